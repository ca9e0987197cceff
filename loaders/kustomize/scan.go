// Package kustomize builds kustomize overlays in-process (kustomize/api
// v0.21.2) and points findings on the built objects back at the line that
// produced the value: an images: or replicas: entry, a patch, or the base
// resource. Before anything is built, the kustomization tree is walked:
// remote resources are refused (kustomize would fetch them, without a
// timeout for plain HTTP), local paths must stay inside the repository, and
// files whose aliases would expand beyond a bound are refused (kyaml expands
// them without one).
package kustomize

import (
	"fmt"
	"maps"
	"path"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/kumalint/kumalint/loaders/yamldoc"
	"github.com/kumalint/kumalint/model"
)

// FileNames are the names kustomize looks for, in its order.
var FileNames = []string{"kustomization.yaml", "kustomization.yml", "Kustomization"}

// DefaultMaxNodes bounds what alias expansion may build from one file.
const DefaultMaxNodes = 1_000_000

// Files is the repository, read by report path (see lint's implementation).
type Files interface {
	Docs(rel string) ([]yamldoc.Doc, error)
	Raw(rel string) ([]byte, error)
	Exists(rel string) bool
	List(rel string) []string
}

// Kustomization is one kustomization file and what it refers to.
type Kustomization struct {
	Dir  string // report path of its directory
	File string // report path of the file
	Doc  yamldoc.Doc
	// Children are the kustomization directories it builds on (resources,
	// bases, components).
	Children []string
	// Owned are the files it reads directly (resources, patches,
	// generator inputs).
	Owned []string
	// Images and Replicas are its images: and replicas: entries.
	Images   []ImageEntry
	Replicas []ReplicaEntry
	// Patches are the patches it applies, decoded, with file positions.
	Patches []yamldoc.Doc
	// HelmCharts is the position of a helmCharts: list, which is not built.
	HelmCharts model.Pos
}

// ImageEntry is an images: entry.
type ImageEntry struct {
	Name                    string
	NewName, NewTag, Digest model.Field[string]
}

// ReplicaEntry is a replicas: entry.
type ReplicaEntry struct {
	Name  string
	Count model.Field[string]
}

// Tree is every kustomization under the linted paths.
type Tree struct {
	ByDir map[string]*Kustomization
	// Top are the kustomizations no other one in the tree builds on: the
	// overlays that are deployed.
	Top []string
	// Owned are the files some kustomization reads: they are not linted as
	// plain manifests (their objects are linted as built).
	Owned map[string]bool
	// Failed are kustomizations that cannot be built (remote resources, a
	// path out of the repository, a missing file, a cycle, an alias bomb).
	Failed map[string]bool
}

// Options for Scan.
type Options struct {
	// AllowRemote lists URL prefixes that may be fetched (configuration
	// policy.kustomize.allowRemote); nothing else is.
	AllowRemote []string
	// MaxNodes bounds alias expansion per document (zero: DefaultMaxNodes).
	MaxNodes int
}

var remoteRE = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.-]*://|^git@|^git::|\?(ref|version|timeout|submodules)=|\.git(/|$)|_git/`)

// remote reports whether a resource entry names something kustomize would
// fetch: a URL, a git address, or host.tld/org/repo that is not on disk.
func remote(entry string, exists bool) bool {
	if remoteRE.MatchString(entry) {
		return true
	}
	first, _, found := strings.Cut(entry, "/")
	return found && !exists && strings.Contains(first, ".") && !strings.HasPrefix(first, ".")
}

// Scan reads the kustomization files named by files (report paths) and
// everything they refer to. Problems are errors at the line of the entry.
func Scan(fs Files, kustomizationFiles []string, opts Options) (*Tree, []model.Diagnostic) {
	t := &Tree{ByDir: map[string]*Kustomization{}, Owned: map[string]bool{}, Failed: map[string]bool{}}
	s := &scanner{fs: fs, t: t, opts: opts}
	for _, f := range kustomizationFiles {
		s.load(path.Dir(f), model.Pos{File: f})
	}
	referenced := map[string]bool{}
	for _, k := range t.ByDir {
		for _, c := range k.Children {
			referenced[c] = true
		}
	}
	for _, f := range kustomizationFiles {
		dir := path.Dir(f)
		if !referenced[dir] && !slices.Contains(t.Top, dir) {
			t.Top = append(t.Top, dir)
		}
	}
	slices.Sort(t.Top)
	// From every kustomization: in a cycle, none is top-level.
	s.seenCycles = map[string]bool{}
	for _, dir := range slices.Sorted(maps.Keys(t.ByDir)) {
		s.cycles(dir, nil)
	}
	return t, s.diags
}

type scanner struct {
	fs         Files
	t          *Tree
	opts       Options
	diags      []model.Diagnostic
	seenCycles map[string]bool
}

func (s *scanner) fail(dir string, pos model.Pos, format string, args ...any) {
	s.t.Failed[dir] = true
	s.diags = append(s.diags, model.Diagnostic{Pos: pos, Level: model.LevelError, Message: fmt.Sprintf(format, args...)})
}

// fileIn returns the kustomization file of dir, if it has one.
func (s *scanner) fileIn(dir string) string {
	for _, n := range FileNames {
		if p := path.Join(dir, n); s.fs.Exists(p) {
			return p
		}
	}
	return ""
}

// load reads the kustomization in dir (once) and what it refers to.
func (s *scanner) load(dir string, from model.Pos) *Kustomization {
	if k, ok := s.t.ByDir[dir]; ok {
		return k
	}
	file := s.fileIn(dir)
	if file == "" {
		s.fail(dir, from, "%s has no kustomization.yaml", dir)
		return nil
	}
	docs, err := s.fs.Docs(file)
	if err != nil || len(docs) == 0 {
		msg := "empty"
		if err != nil {
			msg = err.Error()
		}
		s.fail(dir, model.Pos{File: file}, "kustomization %s: %s", file, msg)
		return nil
	}
	k := &Kustomization{Dir: dir, File: file, Doc: docs[0]}
	s.t.ByDir[dir] = k
	s.t.Owned[file] = true
	s.bounded(dir, docs)
	root := docs[0].Root
	if root.Kind != yaml.MappingNode {
		s.fail(dir, docs[0].Pos(root), "kustomization %s is not a mapping", file)
		return k
	}
	for _, key := range []string{"resources", "bases", "components"} {
		for _, e := range yamldoc.Items(yamldoc.Path(root, key)) {
			s.resource(k, key, e)
		}
	}
	for _, key := range []string{"crds", "configurations", "generators", "transformers", "validators"} {
		for _, e := range yamldoc.Items(yamldoc.Path(root, key)) {
			if e.Kind == yaml.ScalarNode && !strings.Contains(e.Value, "\n") {
				s.file(k, key, e)
			}
		}
	}
	if _, v := yamldoc.Get(yamldoc.Path(root, "openapi"), "path"); v != nil {
		s.file(k, "openapi", v)
	}
	for _, key := range []string{"configMapGenerator", "secretGenerator"} {
		for _, g := range yamldoc.Items(yamldoc.Path(root, key)) {
			for _, e := range yamldoc.Items(yamldoc.Path(g, "files")) {
				name := e.Value
				if _, p, ok := strings.Cut(name, "="); ok {
					name = p
				}
				s.fileNamed(k, key, e, name)
			}
			for _, e := range yamldoc.Items(yamldoc.Path(g, "envs")) {
				s.file(k, key, e)
			}
			if _, e := yamldoc.Get(g, "env"); e != nil {
				s.file(k, key, e)
			}
		}
	}
	s.patches(k, root)
	for _, e := range yamldoc.Items(yamldoc.Path(root, "images")) {
		im := ImageEntry{Name: yamldoc.Str(yamldoc.Path(e, "name"))}
		for key, f := range map[string]*model.Field[string]{"newName": &im.NewName, "newTag": &im.NewTag, "digest": &im.Digest} {
			if _, v := yamldoc.Get(e, key); v != nil {
				*f = model.Stated(yamldoc.Str(v), docs[0].Pos(v))
			}
		}
		k.Images = append(k.Images, im)
	}
	for _, e := range yamldoc.Items(yamldoc.Path(root, "replicas")) {
		r := ReplicaEntry{Name: yamldoc.Str(yamldoc.Path(e, "name"))}
		if _, v := yamldoc.Get(e, "count"); v != nil {
			r.Count = model.Stated(yamldoc.Str(v), docs[0].Pos(v))
		}
		k.Replicas = append(k.Replicas, r)
	}
	for _, key := range []string{"helmCharts", "helmChartInflationGenerator"} {
		if kn, _ := yamldoc.Get(root, key); kn != nil {
			k.HelmCharts = docs[0].Pos(kn)
			s.diags = append(s.diags, model.Diagnostic{Pos: k.HelmCharts, Level: model.LevelWarning,
				Message: key + " is not built: kumalint runs kustomize without plugins or helm; lint the chart's values (a HelmRelease, Application or values file) instead"})
		}
	}
	return k
}

// local resolves an entry against the kustomization's directory and checks
// that it stays in the repository.
func (s *scanner) local(k *Kustomization, key string, e *yaml.Node, name string) (string, bool) {
	p := path.Clean(path.Join(k.Dir, name))
	exists := !strings.HasPrefix(p, "../") && p != ".." && s.fs.Exists(p)
	if remote(name, exists) {
		if slices.ContainsFunc(s.opts.AllowRemote, func(prefix string) bool { return strings.HasPrefix(name, prefix) }) {
			return "", false // allowed: kustomize fetches it
		}
		s.fail(k.Dir, k.Doc.Pos(e), "%s entry %q is remote: kumalint does not fetch it (kustomize would, and can hang); vendor it into the repository, or allow the prefix in .kumalint.yaml policy.kustomize.allowRemote", key, name)
		return "", false
	}
	if path.IsAbs(name) || strings.HasPrefix(p, "../") || p == ".." {
		s.fail(k.Dir, k.Doc.Pos(e), "%s entry %q leaves the repository: not read", key, name)
		return "", false
	}
	if !exists {
		s.fail(k.Dir, k.Doc.Pos(e), "%s entry %q: %s does not exist", key, name, p)
		return "", false
	}
	return p, true
}

func (s *scanner) resource(k *Kustomization, key string, e *yaml.Node) {
	if e.Kind != yaml.ScalarNode {
		s.fail(k.Dir, k.Doc.Pos(e), "%s entries are paths, not %s", key, kindName(e))
		return
	}
	p, ok := s.local(k, key, e, e.Value)
	if !ok {
		return
	}
	if s.fileIn(p) != "" {
		k.Children = append(k.Children, p)
		if child := s.load(p, k.Doc.Pos(e)); child == nil || s.t.Failed[p] {
			s.t.Failed[k.Dir] = true
		}
		return
	}
	s.own(k, p)
}

func (s *scanner) file(k *Kustomization, key string, e *yaml.Node) {
	s.fileNamed(k, key, e, yamldoc.Str(e))
}

func (s *scanner) fileNamed(k *Kustomization, key string, e *yaml.Node, name string) {
	if p, ok := s.local(k, key, e, name); ok {
		s.own(k, p)
	}
}

// own records a file a kustomization reads and checks it is safe to expand.
func (s *scanner) own(k *Kustomization, p string) {
	k.Owned = append(k.Owned, p)
	s.t.Owned[p] = true
	if strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml") || strings.HasSuffix(p, ".json") {
		docs, err := s.fs.Docs(p)
		if err != nil {
			s.fail(k.Dir, model.Pos{File: p}, "%v", err)
			return
		}
		s.bounded(k.Dir, docs)
	}
}

// bounded refuses a file whose aliases would expand too far.
func (s *scanner) bounded(dir string, docs []yamldoc.Doc) {
	for _, d := range docs {
		limit := s.opts.MaxNodes
		if limit <= 0 {
			limit = DefaultMaxNodes
		}
		if n, over := yamldoc.ExpandedSize(d.Root, limit); over {
			s.fail(dir, d.Pos(d.Root), "YAML aliases in this document expand to more than %d nodes (%d counted): not built (kustomize expands aliases without a limit)", limit, n)
			return
		}
	}
}

// patches reads every patch the kustomization applies, with positions.
func (s *scanner) patches(k *Kustomization, root *yaml.Node) {
	add := func(key string, e *yaml.Node) {
		switch {
		case e == nil:
		case e.Kind == yaml.ScalarNode && strings.Contains(e.Value, "\n"):
			docs, err := yamldoc.DecodeEmbedded(k.File, k.Doc.Data, e)
			if err != nil {
				s.fail(k.Dir, k.Doc.Pos(e), "%s: %v", key, err)
				return
			}
			k.Patches = append(k.Patches, docs...)
		case e.Kind == yaml.ScalarNode:
			if p, ok := s.local(k, key, e, e.Value); ok {
				s.own(k, p)
				if docs, err := s.fs.Docs(p); err == nil {
					k.Patches = append(k.Patches, docs...)
				}
			}
		}
	}
	for _, e := range yamldoc.Items(yamldoc.Path(root, "patchesStrategicMerge")) {
		add("patchesStrategicMerge", e)
	}
	for _, key := range []string{"patches", "patchesJson6902"} {
		for _, e := range yamldoc.Items(yamldoc.Path(root, key)) {
			_, pathNode := yamldoc.Get(e, "path")
			add(key, pathNode)
			_, inline := yamldoc.Get(e, "patch")
			if inline != nil && inline.Kind == yaml.ScalarNode && !strings.Contains(inline.Value, "\n") {
				// A one-line patch is JSON: decode it in place.
				docs, err := yamldoc.DecodeEmbedded(k.File, k.Doc.Data, inline)
				if err == nil {
					k.Patches = append(k.Patches, docs...)
				}
				continue
			}
			add(key, inline)
		}
	}
}

// cycles reports a kustomization that builds on itself.
func (s *scanner) cycles(dir string, stack []string) {
	if i := slices.Index(stack, dir); i >= 0 {
		cycle := append(slices.Clone(stack[i:]), dir)
		members := slices.Clone(cycle[:len(cycle)-1])
		slices.Sort(members)
		if key := strings.Join(members, "|"); !s.seenCycles[key] {
			s.seenCycles[key] = true
			k := s.t.ByDir[stack[len(stack)-1]]
			s.fail(dir, model.Pos{File: k.File}, "kustomizations build on each other in a cycle: %s", strings.Join(cycle, " -> "))
		}
		for _, d := range members {
			s.t.Failed[d] = true
		}
		return
	}
	if len(stack) > len(s.t.ByDir) {
		return
	}
	k := s.t.ByDir[dir]
	if k == nil {
		return
	}
	for _, c := range k.Children {
		s.cycles(c, append(stack, dir))
		if s.t.Failed[c] {
			s.t.Failed[dir] = true
		}
	}
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	return "that"
}
