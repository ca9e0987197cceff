package universal

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/kumalint/kumalint/loaders/yamldoc"
	"github.com/kumalint/kumalint/model"
)

// composeTopLevel are the Compose specification's top-level keys.
var composeTopLevel = []string{"version", "name", "services", "networks", "volumes", "configs", "secrets", "include", "models"}

// isCompose recognises a compose file: its name, or a services: mapping of
// services with images or builds.
func isCompose(d yamldoc.Doc) bool {
	base := path.Base(d.File)
	named := strings.HasPrefix(base, "docker-compose") || strings.HasPrefix(base, "compose.") || strings.HasPrefix(base, "compose-")
	services := yamldoc.Path(d.Root, "services")
	if services == nil || services.Kind != yaml.MappingNode {
		return false
	}
	if named {
		return true
	}
	for i := 1; i < len(services.Content); i += 2 {
		if _, img := yamldoc.Get(services.Content[i], "image"); img != nil {
			return yamldoc.Path(d.Root, "kind") == nil // not a Kubernetes object
		}
	}
	return false
}

// interpolation is ${VAR}, ${VAR:-default}, ${VAR-default} and $VAR.
var interpolation = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)`)

// compose reads the kuma-cp and kuma-dp services of a compose file.
type compose struct {
	fs    Files
	doc   yamldoc.Doc
	vars  map[string]string // from the .env file beside it
	diags []model.Diagnostic
}

// interpolate resolves variables from the project's .env file and their
// defaults. An unresolved variable stays as written: the version is then
// not a version, which unknown-version reports (kumalint never guesses).
func (c *compose) interpolate(s string) string {
	return interpolation.ReplaceAllStringFunc(s, func(m string) string {
		g := interpolation.FindStringSubmatch(m)
		name, op, def := g[1], g[2], g[3]
		if name == "" {
			name = g[4]
		}
		if v, ok := c.vars[name]; ok && (v != "" || op != ":-") {
			return v
		}
		if op != "" {
			return def
		}
		return m
	})
}

func (c *compose) str(n *yaml.Node) model.Field[string] {
	if n == nil || n.Kind != yaml.ScalarNode {
		return model.Field[string]{}
	}
	return model.Stated(c.interpolate(n.Value), c.doc.Pos(n))
}

func loadCompose(fs Files, d yamldoc.Doc) ([]*process, []model.Diagnostic) {
	c := &compose{fs: fs, doc: d, vars: map[string]string{}}
	dir := path.Dir(d.File)
	if data, err := fs.Raw(path.Join(dir, ".env")); err == nil {
		for _, kv := range envLines(string(data)) {
			c.vars[kv.name] = kv.value
		}
	}
	for i := 0; i+1 < len(d.Root.Content); i += 2 {
		k := d.Root.Content[i]
		if !strings.HasPrefix(k.Value, "x-") && !slices.Contains(composeTopLevel, k.Value) {
			c.diags = append(c.diags, model.Diagnostic{Pos: d.Pos(k), Level: model.LevelWarning,
				Message: fmt.Sprintf("%q is not a top-level key of the Compose specification: compose refuses this file", k.Value)})
		}
	}
	services := yamldoc.Path(d.Root, "services")
	var out []*process
	for i := 0; i+1 < len(services.Content); i += 2 {
		name := services.Content[i].Value
		svc := c.extend(services.Content[i+1], services, 0)
		p := c.service(name, svc, services.Content[i])
		if p != nil {
			out = append(out, p)
		}
	}
	return out, c.diags
}

// extend resolves extends: within the same file (service: name) by falling
// back to the extended service for keys the service does not set.
func (c *compose) extend(svc, services *yaml.Node, depth int) []*yaml.Node {
	chain := []*yaml.Node{svc}
	ext := yamldoc.Path(svc, "extends")
	if ext == nil || depth > 8 {
		return chain
	}
	target := yamldoc.Str(ext)
	if ext.Kind == yaml.MappingNode {
		if f := yamldoc.Str(yamldoc.Path(ext, "file")); f != "" {
			return chain // another file: not followed
		}
		target = yamldoc.Str(yamldoc.Path(ext, "service"))
	}
	if _, base := yamldoc.Get(services, target); base != nil {
		chain = append(chain, c.extend(base, services, depth+1)...)
	}
	return chain
}

// get looks a key up through the extends chain (merge keys are followed by
// yamldoc).
func get(chain []*yaml.Node, key string) *yaml.Node {
	for _, n := range chain {
		if _, v := yamldoc.Get(n, key); v != nil {
			return v
		}
	}
	return nil
}

func (c *compose) service(name string, chain []*yaml.Node, key *yaml.Node) *process {
	image := c.str(get(chain, "image"))
	img := model.ParseImage(image.Value)
	p := &process{
		binary:    img.Binary,
		image:     model.Field[model.Image]{Value: img, Pos: image.Pos, Set: image.Set},
		env:       map[string]model.Field[string]{},
		object:    model.Object{Kind: "ComposeService", Name: name, Pos: c.doc.Pos(key)},
		unit:      path.Dir(c.doc.File),
		instances: model.Field[int]{Value: 1, Pos: c.doc.Pos(key)},
		addresses: []string{name},
	}
	if _, v := yamldoc.Get(yamldoc.Path(chain[0], "labels"), "kumalint.io/ignore"); v != nil {
		p.object.Ignore = model.Stated(yamldoc.Str(v), c.doc.Pos(v))
	}
	for _, k := range []string{"hostname", "container_name"} {
		if v := yamldoc.Str(get(chain, k)); v != "" {
			p.addresses = append(p.addresses, c.interpolate(v))
		}
	}
	for _, n := range []string{"entrypoint", "command"} {
		args := c.words(get(chain, n))
		// A binary named in the command: kuma-cp run, /usr/bin/kuma-dp run.
		for i, a := range args {
			if b := model.ParseImage(path.Base(a.Value)).Binary; (b == model.BinaryCP || b == model.BinaryDP) && p.binary != b {
				if p.binary != model.BinaryCP && p.binary != model.BinaryDP {
					// kuma-dp installed into an application image: the
					// image's tag is the application's, not Kuma's.
					c.diags = append(c.diags, model.Diagnostic{Pos: a.Pos, Level: model.LevelNote,
						Message: fmt.Sprintf("service %s runs %s from image %s, which does not say which Kuma version it installed; state it in .kumalint.yaml universal.components", name, b, image.Value)})
					return nil
				}
				args = args[i+1:]
				break
			}
		}
		p.args = append(p.args, args...)
	}
	// Later sources win: the extended service's env, env_file, environment.
	for i := len(chain) - 1; i >= 0; i-- {
		for _, f := range c.envFiles(chain[i]) {
			p.env[f.name] = f.field
		}
		for k, v := range c.environment(yamldoc.Path(chain[i], "environment")) {
			p.env[k] = v
		}
	}
	if r := yamldoc.Path(get(chain, "deploy"), "replicas"); r != nil {
		if n, ok := atoi(c.interpolate(r.Value)); ok {
			p.instances = model.Stated(n, c.doc.Pos(r))
		}
	} else if s := get(chain, "scale"); s != nil {
		if n, ok := atoi(c.interpolate(s.Value)); ok {
			p.instances = model.Stated(n, c.doc.Pos(s))
		}
	}
	mounts := c.mounts(get(chain, "volumes"))
	dir := path.Dir(c.doc.File)
	p.base = func(target string) string {
		for container, host := range mounts {
			if target == container || strings.HasPrefix(target, strings.TrimSuffix(container, "/")+"/") {
				rel := strings.TrimPrefix(strings.TrimPrefix(target, container), "/")
				if got := inRepo(c.fs, dir, path.Join(host, rel)); got != "" {
					return got
				}
			}
		}
		return inRepo(c.fs, dir, target)
	}
	return p
}

// words splits a command given as a list or a string.
func (c *compose) words(n *yaml.Node) []model.Field[string] {
	if n == nil {
		return nil
	}
	if n.Kind == yaml.SequenceNode {
		var out []model.Field[string]
		for _, it := range yamldoc.Items(n) {
			out = append(out, c.str(it))
		}
		return out
	}
	var out []model.Field[string]
	for _, w := range strings.Fields(c.interpolate(n.Value)) {
		out = append(out, model.Stated(w, c.doc.Pos(n)))
	}
	return out
}

// environment reads environment: as a map or a list of NAME=value.
func (c *compose) environment(n *yaml.Node) map[string]model.Field[string] {
	out := map[string]model.Field[string]{}
	switch {
	case n == nil:
	case n.Kind == yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			out[n.Content[i].Value] = c.str(n.Content[i+1])
		}
	case n.Kind == yaml.SequenceNode:
		for _, it := range yamldoc.Items(n) {
			if k, v, ok := strings.Cut(it.Value, "="); ok {
				out[k] = model.Stated(c.interpolate(v), c.doc.Pos(it))
			}
		}
	}
	return out
}

type envEntry struct {
	name  string
	field model.Field[string]
}

// envFiles reads env_file: entries that are in the repository, each value at
// its own line.
func (c *compose) envFiles(svc *yaml.Node) []envEntry {
	n := yamldoc.Path(svc, "env_file")
	var names []*yaml.Node
	switch {
	case n == nil:
	case n.Kind == yaml.ScalarNode:
		names = []*yaml.Node{n}
	default:
		for _, it := range yamldoc.Items(n) {
			if it.Kind == yaml.MappingNode {
				it = yamldoc.Path(it, "path")
			}
			names = append(names, it)
		}
	}
	var out []envEntry
	for _, nn := range names {
		rel := path.Join(path.Dir(c.doc.File), yamldoc.Str(nn))
		data, err := c.fs.Raw(rel)
		if err != nil {
			c.diags = append(c.diags, model.Diagnostic{Pos: c.doc.Pos(nn), Level: model.LevelNote,
				Message: fmt.Sprintf("env_file %s is not in this repository: its variables are not known", yamldoc.Str(nn))})
			continue
		}
		for _, kv := range envLines(string(data)) {
			out = append(out, envEntry{kv.name, model.Stated(kv.value, model.Pos{File: rel, Line: kv.line, Col: kv.col})})
		}
	}
	return out
}

// mounts maps container paths to host paths of bind mounts.
func (c *compose) mounts(n *yaml.Node) map[string]string {
	out := map[string]string{}
	for _, it := range yamldoc.Items(n) {
		if it.Kind == yaml.MappingNode {
			if yamldoc.Str(yamldoc.Path(it, "type")) == "bind" {
				out[yamldoc.Str(yamldoc.Path(it, "target"))] = yamldoc.Str(yamldoc.Path(it, "source"))
			}
			continue
		}
		parts := strings.Split(c.interpolate(it.Value), ":")
		if len(parts) >= 2 && (strings.HasPrefix(parts[0], ".") || strings.HasPrefix(parts[0], "/")) {
			out[parts[1]] = parts[0]
		}
	}
	return out
}

type kv struct {
	name, value string
	line, col   int
}

// envLines parses NAME=value lines (an env file, a systemd EnvironmentFile).
func envLines(s string) []kv {
	var out []kv
	for i, line := range strings.Split(s, "\n") {
		t := strings.TrimSpace(line)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		t = strings.TrimPrefix(t, "export ")
		k, v, ok := strings.Cut(t, "=")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		if q := v[:min(len(v), 1)]; q == `"` || q == "'" {
			v = strings.Trim(v, q)
		} else if j := strings.Index(v, " #"); j >= 0 {
			v = strings.TrimSpace(v[:j]) // an inline comment after an unquoted value
		}
		out = append(out, kv{strings.TrimSpace(k), v, i + 1, strings.Index(line, "=") + 2})
	}
	return out
}
