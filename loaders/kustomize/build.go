package kustomize

import (
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/kustomize/kyaml/filesys"

	"github.com/kumalint/kumalint/loaders/yamldoc"
	"github.com/kumalint/kumalint/model"
)

// Annotations kustomize adds when buildMetadata asks for them.
const (
	originAnnotation = "config.kubernetes.io/origin"
	repoRoot         = "/repo" // where the tree sits in the in-memory file system
)

// Builder builds the overlays of a tree from an in-memory copy of the files
// the scan saw, so kustomize reads nothing else: not a file outside the
// repository, not a remote base (the scan refused those), not a plugin.
type Builder struct {
	fs   Files
	tree *Tree
	once sync.Once
	mem  filesys.FileSystem
	err  error
}

// NewBuilder prepares builds of tree's overlays.
func NewBuilder(fs Files, tree *Tree) *Builder { return &Builder{fs: fs, tree: tree} }

// memory writes the tree into an in-memory file system once. Every
// kustomization gets buildMetadata (so built objects say where they come
// from) and loses helmCharts (never built; the scan said so).
func (b *Builder) memory() (filesys.FileSystem, error) {
	b.once.Do(func() {
		mem := filesys.MakeFsInMemory()
		files := map[string]bool{}
		for f := range b.tree.Owned {
			files[f] = true
		}
		for _, f := range slices.Sorted(maps.Keys(files)) {
			data, err := b.fs.Raw(f)
			if err != nil {
				b.err = err
				return
			}
			if k, ok := b.tree.ByDir[path.Dir(f)]; ok && k.File == f {
				if data, err = withBuildMetadata(k.Doc); err != nil {
					b.err = fmt.Errorf("%s: %w", f, err)
					return
				}
			}
			if err := mem.MkdirAll(path.Join(repoRoot, path.Dir(f))); err != nil {
				b.err = err
				return
			}
			if err := mem.WriteFile(path.Join(repoRoot, f), data); err != nil {
				b.err = err
				return
			}
		}
		b.mem = mem
	})
	return b.mem, b.err
}

func withBuildMetadata(d yamldoc.Doc) ([]byte, error) {
	var m map[string]any
	if err := d.Root.Decode(&m); err != nil {
		return nil, err
	}
	delete(m, "helmCharts")
	delete(m, "helmChartInflationGenerator")
	delete(m, "helmGlobals")
	m["buildMetadata"] = []string{types.OriginAnnotations}
	return yaml.Marshal(m)
}

// Built is one object of a built overlay.
type Built struct {
	Doc yamldoc.Doc
	// Origin is the report path of the file the object came from.
	Origin string
}

// Build builds the overlay in dir. The documents are named after the
// overlay's kustomization file; Origin says where each object came from.
func (b *Builder) Build(dir string) ([]Built, error) {
	mem, err := b.memory()
	if err != nil {
		return nil, err
	}
	opts := krusty.MakeDefaultOptions()
	// The scan confined every path to the repository; kustomize's own
	// restriction would also refuse ../base inside it.
	opts.LoadRestrictions = types.LoadRestrictionsNone
	opts.PluginConfig = types.DisabledPluginConfig()
	m, err := krusty.MakeKustomizer(opts).Run(mem, path.Join(repoRoot, dir))
	if err != nil {
		return nil, fmt.Errorf("kustomize build %s: %s", dir, strings.ReplaceAll(err.Error(), repoRoot+"/", ""))
	}
	var out []Built
	k := b.tree.ByDir[dir]
	for _, r := range m.Resources() {
		y, err := r.AsYAML()
		if err != nil {
			return nil, err
		}
		docs, err := yamldoc.Decode(k.File, y)
		if err != nil || len(docs) == 0 {
			continue
		}
		origin := ""
		if o := r.GetAnnotations()[originAnnotation]; o != "" {
			var meta struct {
				Path string `yaml:"path"`
			}
			if yaml.Unmarshal([]byte(o), &meta) == nil && meta.Path != "" {
				origin = path.Clean(path.Join(dir, meta.Path))
			}
		}
		out = append(out, Built{Doc: docs[0], Origin: origin})
	}
	return out, nil
}

// Chain lists the kustomizations an overlay builds on, outermost first.
func (t *Tree) Chain(dir string) []*Kustomization {
	var out []*Kustomization
	seen := map[string]bool{}
	var walk func(string)
	walk = func(d string) {
		k := t.ByDir[d]
		if k == nil || seen[d] {
			return
		}
		seen[d] = true
		out = append(out, k)
		for _, c := range k.Children {
			walk(c)
		}
	}
	walk(dir)
	return out
}

// errorPos is where a build error is reported: the overlay's kustomization.
func (t *Tree) errorPos(dir string) model.Pos {
	if k := t.ByDir[dir]; k != nil {
		return model.Pos{File: k.File}
	}
	return model.Pos{File: dir}
}
