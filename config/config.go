// Package config reads .kumalint.yaml: per-rule levels, named environments,
// ignored paths and policy settings. Every problem is an error with the file
// and line, and an unknown key names the closest valid one.
package config

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/bmatcuk/doublestar/v4"
	"go.yaml.in/yaml/v3"

	"github.com/kumalint/kumalint/internal/textdist"
	"github.com/kumalint/kumalint/loaders/yamldoc"
	"github.com/kumalint/kumalint/model"
)

// Names are the file names Find looks for, in order.
var Names = []string{".kumalint.yaml", ".kumalint.yml"}

// RuleOff disables a rule in Config.Rules.
const RuleOff = "off"

// Config is a parsed .kumalint.yaml.
type Config struct {
	File string // as reported
	// Dir is the file's directory as reported: globs are relative to it.
	Dir string
	// Rules maps rule IDs to "off" or a level name.
	Rules map[string]Setting
	// Environments group paths into named deployments (in file order).
	Environments []Environment
	// Ignore lists path globs (relative to the repository) not to read.
	Ignore []string
	Helm   struct {
		Releases []HelmRelease
	}
	Universal struct {
		Components []UniversalComponent
	}
	// Limits bound what one input may cost (zero: kumalint's default).
	Limits struct {
		MaxFileSize   int64
		MaxAliasNodes int
		MaxDepth      int
		RenderTimeout time.Duration
	}
	Policy struct {
		// MaxSkewLines overrides the two release lines of the policy when
		// set (0: unset).
		MaxSkewLines int
		Kustomize    struct {
			// AllowRemote lists URL prefixes kustomize may fetch from.
			AllowRemote []string
		}
	}
}

// Setting is a rule's configured level, with where it was set.
type Setting struct {
	Value string // off, note, warning or error
	Pos   model.Pos
}

// Environment is a named group of paths.
type Environment struct {
	Name  string
	Paths []string
	Pos   model.Pos
}

// HelmRelease names a release whose chart and values live in the
// repository. Paths are relative to the configuration file.
type HelmRelease struct {
	Name, Namespace, Chart string
	Version                model.Field[string]
	Values                 []string
	Set                    map[string]model.Field[string]
	Pos                    model.Pos
}

// UniversalComponent states what no file does: a Universal control plane or
// data plane and its version.
type UniversalComponent struct {
	Name, Kind, Role, Zone, Version, Product, Store string
	Instances                                       int
	Pos                                             model.Pos
}

// Error is a problem in the configuration, at a position.
type Error struct {
	Pos model.Pos
	Msg string
}

func (e *Error) Error() string { return e.Pos.String() + ": " + e.Msg }

// Find looks for a configuration file in dir and its parents up to root
// (inclusive). It returns "" when there is none.
func Find(dir, root string) string {
	absRoot, _ := filepath.Abs(root)
	d, _ := filepath.Abs(dir)
	for {
		for _, n := range Names {
			p := filepath.Join(d, n)
			if info, err := os.Stat(p); err == nil && info.Mode().IsRegular() {
				return p
			}
		}
		if d == absRoot {
			return ""
		}
		parent := filepath.Dir(d)
		if parent == d || !strings.HasPrefix(d, absRoot) {
			return ""
		}
		d = parent
	}
}

// Load reads and checks a configuration file; display names it in errors.
// ruleIDs are the rules that exist.
func Load(path, display string, ruleIDs []string) (*Config, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if info.Size() > 1<<20 {
		return nil, &Error{model.Pos{File: display}, "over 1 MiB: not a configuration file"}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(display, data, ruleIDs)
}

// Parse checks and decodes configuration text.
func Parse(display string, data []byte, ruleIDs []string) (*Config, error) {
	docs, err := yamldoc.Decode(display, data)
	if err != nil {
		if e := (*yamldoc.Error)(nil); errors.As(err, &e) {
			return nil, &Error{e.Pos, e.Msg}
		}
		return nil, &Error{model.Pos{File: display}, err.Error()}
	}
	c := &Config{File: display, Dir: path.Dir(filepath.ToSlash(display)), Rules: map[string]Setting{}}
	if len(docs) == 0 {
		return c, nil
	}
	if len(docs) > 1 {
		return nil, &Error{docs[1].Pos(docs[1].Root), "more than one YAML document: a configuration file has one"}
	}
	p := &parser{doc: docs[0], c: c, rules: ruleIDs}
	if err := p.top(docs[0].Root); err != nil {
		return nil, err
	}
	return c, nil
}

type parser struct {
	doc   yamldoc.Doc
	c     *Config
	rules []string
}

func (p *parser) errorf(n *yaml.Node, format string, args ...any) error {
	return &Error{p.doc.Pos(n), fmt.Sprintf(format, args...)}
}

// fields walks a mapping, refusing keys that are not in known.
func (p *parser) fields(n *yaml.Node, where string, known []string, each func(key string, k, v *yaml.Node) error) error {
	if n == nil || n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		return p.errorf(n, "%s must be a mapping", where)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Value == "<<" {
			return p.errorf(k, "merge keys are not supported in the configuration file")
		}
		if known != nil && !slices.Contains(known, k.Value) {
			msg := fmt.Sprintf("unknown key %q in %s", k.Value, where)
			if s := Closest(k.Value, known); s != "" {
				msg += fmt.Sprintf("; did you mean %q?", s)
			} else {
				msg += "; valid keys are " + strings.Join(known, ", ")
			}
			return p.errorf(k, "%s", msg)
		}
		if err := each(k.Value, k, v); err != nil {
			return err
		}
	}
	return nil
}

func (p *parser) top(root *yaml.Node) error {
	return p.fields(root, "the configuration", []string{"rules", "environments", "ignore", "helm", "universal", "policy", "limits"}, func(key string, k, v *yaml.Node) error {
		switch key {
		case "rules":
			return p.rulesSection(v)
		case "environments":
			return p.environments(v)
		case "ignore":
			globs, err := p.globs(v, "ignore")
			p.c.Ignore = globs
			return err
		case "helm":
			return p.helm(k, v)
		case "universal":
			return p.universal(k, v)
		case "policy":
			return p.policy(v)
		case "limits":
			return p.limits(v)
		}
		return nil
	})
}

func (p *parser) rulesSection(n *yaml.Node) error {
	return p.fields(n, "rules", nil, func(id string, k, v *yaml.Node) error {
		if !slices.Contains(p.rules, id) {
			msg := fmt.Sprintf("unknown rule %q", id)
			if s := Closest(id, p.rules); s != "" {
				msg += fmt.Sprintf("; did you mean %q?", s)
			}
			return p.errorf(k, "%s (kumalint rules lists them)", msg)
		}
		val := strings.ToLower(p.scalar(v))
		if val == "false" {
			val = RuleOff // YAML 1.1 reads a bare off as false
		}
		if val != RuleOff {
			if _, err := model.ParseLevel(val); err != nil || val == "none" {
				return p.errorf(v, "rules.%s: %q is not off, note, warning or error", id, v.Value)
			}
		}
		p.c.Rules[id] = Setting{Value: val, Pos: p.doc.Pos(v)}
		return nil
	})
}

func (p *parser) scalar(n *yaml.Node) string {
	if n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}

func (p *parser) environments(n *yaml.Node) error {
	return p.fields(n, "environments", nil, func(name string, k, v *yaml.Node) error {
		globs, err := p.globs(v, "environments."+name)
		if err != nil {
			return err
		}
		if len(globs) == 0 {
			return p.errorf(v, "environments.%s lists no paths", name)
		}
		p.c.Environments = append(p.c.Environments, Environment{Name: name, Paths: globs, Pos: p.doc.Pos(k)})
		return nil
	})
}

// globs reads one glob or a list of them and checks their syntax.
func (p *parser) globs(n *yaml.Node, where string) ([]string, error) {
	items := []*yaml.Node{n}
	if n.Kind == yaml.SequenceNode {
		items = n.Content
	}
	var out []string
	for _, it := range items {
		if it.Kind != yaml.ScalarNode || it.Tag != "!!str" || it.Value == "" {
			return nil, p.errorf(it, "%s: want a path glob such as clusters/prod/** or a list of them", where)
		}
		g := strings.TrimPrefix(filepath.ToSlash(it.Value), "./")
		if !doublestar.ValidatePattern(g) {
			return nil, p.errorf(it, "%s: %q is not a valid glob", where, it.Value)
		}
		out = append(out, g)
	}
	return out, nil
}

func (p *parser) strings(n *yaml.Node, where string) ([]string, error) {
	if n.Kind != yaml.SequenceNode {
		return nil, p.errorf(n, "%s must be a list", where)
	}
	var out []string
	for _, it := range n.Content {
		if it.Kind != yaml.ScalarNode {
			return nil, p.errorf(it, "%s: want a string", where)
		}
		out = append(out, it.Value)
	}
	return out, nil
}

func (p *parser) helm(_, n *yaml.Node) error {
	err := p.fields(n, "helm", []string{"releases"}, func(_ string, _, v *yaml.Node) error {
		if v.Kind != yaml.SequenceNode {
			return p.errorf(v, "helm.releases must be a list")
		}
		for _, it := range v.Content {
			r := HelmRelease{Pos: p.doc.Pos(it)}
			err := p.fields(it, "a helm release", []string{"name", "namespace", "chart", "version", "values", "set"}, func(key string, _, v *yaml.Node) error {
				var err error
				switch key {
				case "values":
					r.Values, err = p.strings(v, "values")
				case "set":
					r.Set = map[string]model.Field[string]{}
					err = p.fields(v, "set", nil, func(key string, _, v *yaml.Node) error {
						r.Set[key] = model.Stated(v.Value, p.doc.Pos(v))
						return nil
					})
				case "version":
					r.Version = model.Stated(p.scalar(v), p.doc.Pos(v))
				default:
					*map[string]*string{"name": &r.Name, "namespace": &r.Namespace, "chart": &r.Chart}[key] = p.scalar(v)
				}
				return err
			})
			if err != nil {
				return err
			}
			if r.Chart == "" {
				return p.errorf(it, "a helm release needs chart: a path in the repository or a chart name")
			}
			p.c.Helm.Releases = append(p.c.Helm.Releases, r)
		}
		return nil
	})
	return err
}

func (p *parser) universal(_, n *yaml.Node) error {
	err := p.fields(n, "universal", []string{"components"}, func(_ string, _, v *yaml.Node) error {
		if v.Kind != yaml.SequenceNode {
			return p.errorf(v, "universal.components must be a list")
		}
		for _, it := range v.Content {
			u := UniversalComponent{Pos: p.doc.Pos(it)}
			err := p.fields(it, "a universal component", []string{"name", "kind", "role", "zone", "version", "product", "store", "instances"}, func(key string, _, v *yaml.Node) error {
				if key == "instances" {
					n, err := strconv.Atoi(p.scalar(v))
					if err != nil || n < 0 {
						return p.errorf(v, "instances: want a number")
					}
					u.Instances = n
					return nil
				}
				*map[string]*string{"name": &u.Name, "kind": &u.Kind, "role": &u.Role, "zone": &u.Zone, "version": &u.Version, "product": &u.Product, "store": &u.Store}[key] = p.scalar(v)
				return nil
			})
			if err != nil {
				return err
			}
			p.c.Universal.Components = append(p.c.Universal.Components, u)
		}
		return nil
	})
	if err == nil {
		for _, u := range p.c.Universal.Components {
			switch {
			case u.Name == "" || u.Version == "":
				return &Error{u.Pos, "a universal component needs a name and a version"}
			case u.Kind != "" && u.Kind != "control-plane" && u.Kind != "data-plane":
				return &Error{u.Pos, fmt.Sprintf("kind %q: want control-plane or data-plane", u.Kind)}
			}
		}
	}
	return err
}

func (p *parser) policy(n *yaml.Node) error {
	return p.fields(n, "policy", []string{"maxSkewLines", "kustomize"}, func(key string, k, v *yaml.Node) error {
		if key == "maxSkewLines" {
			m, err := strconv.Atoi(p.scalar(v))
			if err != nil || m < 1 || m > 10 {
				return p.errorf(v, "policy.maxSkewLines: want a number from 1 to 10 (the published policy is 2)")
			}
			p.c.Policy.MaxSkewLines = m
			return nil
		}
		return p.fields(v, "policy.kustomize", []string{"allowRemote"}, func(_ string, _, v *yaml.Node) error {
			list, err := p.strings(v, "policy.kustomize.allowRemote")
			p.c.Policy.Kustomize.AllowRemote = list
			return err
		})
	})
}

// sizeRE is a byte size: 10485760, 10MiB, 512KiB, 1GiB.
var sizeRE = regexp.MustCompile(`^(\d+)\s*(B|KiB|MiB|GiB)?$`)

func (p *parser) limits(n *yaml.Node) error {
	l := &p.c.Limits
	return p.fields(n, "limits", []string{"maxFileSize", "maxAliasNodes", "maxDepth", "renderTimeout"}, func(key string, _, v *yaml.Node) error {
		val := p.scalar(v)
		switch key {
		case "maxFileSize":
			m := sizeRE.FindStringSubmatch(val)
			if m == nil {
				return p.errorf(v, "limits.maxFileSize: want a size such as 10MiB")
			}
			size, _ := strconv.ParseInt(m[1], 10, 64)
			l.MaxFileSize = size << map[string]int{"": 0, "B": 0, "KiB": 10, "MiB": 20, "GiB": 30}[m[2]]
			if l.MaxFileSize <= 0 || l.MaxFileSize > 1<<30 {
				return p.errorf(v, "limits.maxFileSize: want 1 byte to 1GiB")
			}
		case "maxAliasNodes", "maxDepth":
			n, err := strconv.Atoi(val)
			if err != nil || n < 1 {
				return p.errorf(v, "limits.%s: want a positive number", key)
			}
			if key == "maxDepth" {
				l.MaxDepth = n
			} else {
				l.MaxAliasNodes = n
			}
		case "renderTimeout":
			d, err := time.ParseDuration(val)
			if err != nil || d <= 0 || d > 10*time.Minute {
				return p.errorf(v, "limits.renderTimeout: want a duration such as 5s (at most 10m)")
			}
			l.RenderTimeout = d
		}
		return nil
	})
}

// Level returns the configured level of a rule: off reports false.
func (c *Config) Level(id string, def model.Level) (model.Level, bool) {
	s, ok := c.Rules[id]
	if !ok {
		return def, true
	}
	if s.Value == RuleOff {
		return 0, false
	}
	l, _ := model.ParseLevel(s.Value)
	return l, true
}

// local makes a report path relative to the configuration's directory; ok is
// false for a path outside it.
func (c *Config) local(rel string) (string, bool) {
	if c.Dir == "." || c.Dir == "" {
		return rel, true
	}
	if rest, ok := strings.CutPrefix(rel, c.Dir+"/"); ok {
		return rest, true
	}
	return "", false
}

// Ignored reports whether a report path matches ignore.
func (c *Config) Ignored(rel string) bool {
	rel, ok := c.local(rel)
	if !ok {
		return false
	}
	for _, g := range c.Ignore {
		if match(g, rel) {
			return true
		}
	}
	return false
}

// EnvironmentOf names the configured environment of a report path, or "".
func (c *Config) EnvironmentOf(rel string) string {
	rel, ok := c.local(rel)
	if !ok {
		return ""
	}
	for _, e := range c.Environments {
		for _, g := range e.Paths {
			if match(g, rel) {
				return e.Name
			}
		}
	}
	return ""
}

// match matches a file or any of its parent directories, so "charts/" and
// "charts/**" both cover charts/a/b.yaml.
func match(glob, rel string) bool {
	glob = strings.TrimSuffix(glob, "/")
	for p := rel; ; {
		if ok, _ := doublestar.Match(glob, p); ok {
			return true
		}
		i := strings.LastIndex(p, "/")
		if i < 0 {
			return false
		}
		p = p[:i]
	}
}

// Closest returns the candidate nearest to s by edit distance, if it is near
// enough to be a typo.
func Closest(s string, candidates []string) string {
	best, bestD := "", len(s)/2+2
	sorted := slices.Clone(candidates)
	sort.Strings(sorted)
	ls := strings.ToLower(s)
	for _, c := range sorted {
		lc := strings.ToLower(c)
		if len(ls) >= 3 && (strings.HasPrefix(lc, ls) || strings.HasPrefix(ls, lc)) {
			return c // a shortened or lengthened name
		}
		if d := textdist.Levenshtein(ls, lc); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}
