package gitops

import (
	"path"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/kumalint/kumalint/loaders/helm"
	"github.com/kumalint/kumalint/loaders/yamldoc"
)

// isHelmfile recognises helmfile.yaml by its file name and releases list.
func isHelmfile(d yamldoc.Doc) bool {
	base := path.Base(d.File)
	return (strings.HasPrefix(base, "helmfile") || path.Base(path.Dir(d.File)) == "helmfile.d") &&
		yamldoc.Path(d.Root, "releases") != nil
}

// helmfile reads helmfile releases: values (files relative to the helmfile,
// or inline maps) in order, then set: on top.
func (l *loader) helmfile(d yamldoc.Doc) {
	base := path.Dir(d.File)
	repos := map[string]string{}
	for _, r := range yamldoc.Items(yamldoc.Path(d.Root, "repositories")) {
		repos[yamldoc.Str(yamldoc.Path(r, "name"))] = yamldoc.Str(yamldoc.Path(r, "url"))
	}
	for _, rel := range yamldoc.Items(yamldoc.Path(d.Root, "releases")) {
		chart := field(d, rel, "chart")
		version := field(d, rel, "version")
		t, ok := l.target(chart, version, base)
		if !ok {
			continue
		}
		if repo, _, found := strings.Cut(chart.Value, "/"); found && t.Dir == "" {
			t.Repo = repos[repo]
		}
		var layers []helm.Layer
		for _, v := range yamldoc.Items(yamldoc.Path(rel, "values")) {
			switch {
			case v.Kind == yaml.MappingNode:
				layers = append(layers, helm.Layer{Doc: d, Root: v})
			case strings.HasSuffix(v.Value, ".gotmpl"):
				l.note(d.Pos(v), "value file %s is a helmfile template: not rendered, the release is evaluated without it", v.Value)
			default:
				if layer, ok := l.valuesFile(d.Pos(v), base, v.Value); ok {
					layers = append(layers, layer)
				}
			}
		}
		if layer, ok := setLayer(d, yamldoc.Path(rel, "set")); ok {
			layers = append(layers, layer)
		}
		name := yamldoc.Str(yamldoc.Path(rel, "name"))
		obj := object(d, "HelmfileRelease")
		obj.Name, obj.Namespace, obj.Pos = name, yamldoc.Str(yamldoc.Path(rel, "namespace")), d.Pos(rel)
		l.out = append(l.out, t.Release(name, obj.Namespace, chart, obj, base, layers))
	}
}
