// Package suppress silences findings: `# kumalint:ignore rule-id -- reason`
// comments on the finding's line or the line above, the kumalint.io/ignore
// annotation on a Kubernetes object, and baseline files. A silenced finding is
// kept, marked with its Suppression, so that SARIF can show it as suppressed.
package suppress

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/kumalint/kumalint/model"
)

// Directive is one kumalint:ignore comment.
type Directive struct {
	Pos    model.Pos
	Rules  []string
	Reason string
	// Alone: the comment is the whole line, so it also covers the next line.
	Alone bool
	used  bool
}

// directiveRE finds the comment; the text after it is parsed by parseSpec.
var directiveRE = regexp.MustCompile(`(^|\s)#\s*kumalint:ignore\b(.*)$`)

// Scan finds the ignore comments of a file. It reads lines, not YAML, so it
// works for any file kumalint reads, including ones that do not parse.
func Scan(file string, data []byte) []*Directive {
	if !bytes.Contains(data, []byte("kumalint:ignore")) {
		return nil
	}
	var out []*Directive
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSuffix(line, "\r") // CRLF files
		m := directiveRE.FindStringSubmatchIndex(line)
		if m == nil {
			continue
		}
		rules, reason := ParseSpec(line[m[4]:m[5]])
		col := m[2] + strings.Index(line[m[2]:], "#")
		out = append(out, &Directive{
			Pos:    model.Pos{File: file, Line: i + 1, Col: col + 1},
			Rules:  rules,
			Reason: reason,
			Alone:  strings.TrimSpace(line[:col]) == "",
		})
	}
	return out
}

// ParseSpec splits "rule-a, rule-b -- why" into rule IDs and the reason.
func ParseSpec(s string) (rules []string, reason string) {
	spec, reason, _ := strings.Cut(s, "--")
	rules = strings.FieldsFunc(spec, func(r rune) bool { return r == ',' || unicode.IsSpace(r) })
	return rules, strings.TrimSpace(reason)
}

// Options for Apply.
type Options struct {
	// Known reports whether a rule ID exists; Suggest proposes one for a typo.
	Known   func(id string) bool
	Suggest func(id string) string
}

// Apply marks the findings that directives (by file) or their component's
// object annotation silence, and returns problems with the directives
// themselves: unknown rules, a missing reason, a directive that silences
// nothing. comps maps component identities to components, for annotations.
func Apply(findings []model.Finding, directives map[string][]*Directive, comps map[string]*model.Component, opts Options) []model.Diagnostic {
	var diags []model.Diagnostic
	check := func(pos model.Pos, rules []string, reason, what string) {
		if len(rules) == 0 {
			diags = append(diags, model.Diagnostic{Pos: pos, Level: model.LevelWarning, Message: what + " names no rule: write " + what + " rule-id -- reason"})
		}
		for _, r := range rules {
			if !opts.Known(r) {
				msg := fmt.Sprintf("%s names unknown rule %q", what, r)
				if s := opts.Suggest(r); s != "" {
					msg += fmt.Sprintf("; did you mean %q?", s)
				}
				diags = append(diags, model.Diagnostic{Pos: pos, Level: model.LevelWarning, Message: msg})
			}
		}
		if reason == "" && len(rules) > 0 {
			diags = append(diags, model.Diagnostic{Pos: pos, Level: model.LevelWarning, Message: what + " without a reason: add -- and say why, so the next reader knows"})
		}
	}
	for _, ds := range directives {
		for _, d := range ds {
			check(d.Pos, d.Rules, d.Reason, "kumalint:ignore")
		}
	}
	annotated := map[string]bool{}
	for _, c := range comps {
		ig := c.Object.Ignore
		if ig.Set && !annotated[ig.Pos.String()] {
			annotated[ig.Pos.String()] = true
			rules, reason := ParseSpec(ig.Value)
			check(ig.Pos, rules, reason, "kumalint.io/ignore")
		}
	}
	for i := range findings {
		f := &findings[i]
		if f.Suppression != nil {
			continue
		}
		for _, d := range directives[f.Pos.File] {
			if (d.Pos.Line == f.Pos.Line || d.Alone && d.Pos.Line == f.Pos.Line-1) && slices.Contains(d.Rules, f.Rule) {
				d.used = true
				f.Suppression = &model.Suppression{Kind: model.SuppressedInSource, Justification: d.Reason, Pos: d.Pos}
				break
			}
		}
		if f.Suppression != nil {
			continue
		}
		parts := strings.Split(f.Key, model.KeySep)
		if len(parts) < 2 {
			continue
		}
		if c, ok := comps[parts[1]]; ok && c.Object.Ignore.Set {
			rules, reason := ParseSpec(c.Object.Ignore.Value)
			if slices.Contains(rules, f.Rule) {
				f.Suppression = &model.Suppression{Kind: model.SuppressedInSource, Justification: reason, Pos: c.Object.Ignore.Pos}
			}
		}
	}
	for _, ds := range directives {
		for _, d := range ds {
			if !d.used && len(d.Rules) > 0 && !slices.ContainsFunc(d.Rules, func(r string) bool { return !opts.Known(r) }) {
				where := "on this line"
				if d.Alone {
					where = "on the next line"
				}
				diags = append(diags, model.Diagnostic{Pos: d.Pos, Level: model.LevelNote, Message: "this kumalint:ignore silences nothing: there is no " + strings.Join(d.Rules, " or ") + " finding " + where + "; remove it"})
			}
		}
	}
	return diags
}
