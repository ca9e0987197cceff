package universal

import (
	"fmt"
	"path"
	"strings"

	"github.com/kumalint/kumalint/model"
)

// loadUnit reads a systemd unit: ExecStart= with a versioned install path
// (/opt/kuma-2.9.1/bin/kuma-cp), Environment= and EnvironmentFile= (when the
// file is in the repository).
func loadUnit(fs Files, file string, data []byte) (*process, []model.Diagnostic) {
	var (
		diags   []model.Diagnostic
		p       = &process{env: map[string]model.Field[string]{}, unit: path.Dir(file)}
		section string
		exec    model.Field[string]
	)
	name := strings.TrimSuffix(path.Base(file), ".service")
	p.object = model.Object{Kind: "SystemdUnit", Name: name, Pos: model.Pos{File: file, Line: 1}}
	lines := strings.Split(string(data), "\n")
	for i := 0; i < len(lines); i++ {
		raw := lines[i]
		line := strings.TrimSpace(raw)
		lineNo := i + 1
		// Continuation lines end with a backslash.
		for strings.HasSuffix(line, "\\") && i+1 < len(lines) {
			i++
			line = strings.TrimSuffix(line, "\\") + " " + strings.TrimSpace(lines[i])
		}
		switch {
		case line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, ";"):
			continue
		case strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]"):
			section = line
			continue
		}
		key, value, ok := strings.Cut(line, "=")
		if !ok {
			diags = append(diags, model.Diagnostic{Pos: model.Pos{File: file, Line: lineNo}, Level: model.LevelWarning,
				Message: fmt.Sprintf("%q is not a KEY=value line: systemd ignores it", line)})
			continue
		}
		key, value = strings.TrimSpace(key), strings.TrimSpace(value)
		col := strings.Index(raw, "=") + 2
		pos := model.Pos{File: file, Line: lineNo, Col: col}
		if section != "[Service]" {
			continue
		}
		switch key {
		case "ExecStart":
			exec = model.Stated(strings.TrimLeft(value, "@-:+!"), pos)
		case "Environment":
			for _, assignment := range splitQuoted(value) {
				if k, v, ok := strings.Cut(assignment, "="); ok {
					p.env[k] = model.Stated(v, pos)
				}
			}
		case "EnvironmentFile":
			ef := strings.TrimPrefix(value, "-")
			rel := inRepo(fs, path.Dir(file), ef)
			if rel == "" {
				diags = append(diags, model.Diagnostic{Pos: pos, Level: model.LevelNote,
					Message: fmt.Sprintf("EnvironmentFile %s is not in this repository: its variables are not known", ef)})
				continue
			}
			if data, err := fs.Raw(rel); err == nil {
				for _, e := range envLines(string(data)) {
					p.env[e.name] = model.Stated(e.value, model.Pos{File: rel, Line: e.line, Col: e.col})
				}
			}
		}
	}
	if !exec.Set {
		if section == "" {
			diags = append(diags, model.Diagnostic{Pos: model.Pos{File: file}, Level: model.LevelWarning, Message: "no [Service] section: not a systemd service unit"})
		}
		return nil, diags
	}
	words := strings.Fields(exec.Value)
	if len(words) == 0 {
		return nil, diags
	}
	bin := model.ParseImage(path.Base(words[0])).Binary
	if bin != model.BinaryCP && bin != model.BinaryDP {
		return nil, diags
	}
	p.binary = bin
	img, ok := imageFromPath(words[0], bin)
	if !ok {
		// /usr/local/bin/kuma-cp says nothing about the version.
		img = model.Image{Ref: words[0], Binary: bin, Version: model.ParseVersion("")}
		diags = append(diags, model.Diagnostic{Pos: exec.Pos, Level: model.LevelNote,
			Message: fmt.Sprintf("%s does not say which version it is (a path like /opt/kuma-2.9.1/bin/%s does); state it in .kumalint.yaml universal.components", words[0], bin)})
	}
	p.image = model.Field[model.Image]{Value: img, Pos: exec.Pos, Set: true}
	p.instances = model.Field[int]{Value: 1, Pos: exec.Pos}
	for _, w := range words[1:] {
		p.args = append(p.args, model.Stated(w, exec.Pos))
	}
	p.base = func(target string) string { return inRepo(fs, path.Dir(file), target) }
	return p, diags
}

// splitQuoted splits Environment= values: "A=1 B=2" "C=3" or A=1 B=2.
func splitQuoted(s string) []string {
	var out []string
	var cur strings.Builder
	quoted := false
	for _, r := range s {
		switch {
		case r == '"':
			quoted = !quoted
		case r == ' ' && !quoted:
			if cur.Len() > 0 {
				out = append(out, cur.String())
				cur.Reset()
			}
		default:
			cur.WriteRune(r)
		}
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}
