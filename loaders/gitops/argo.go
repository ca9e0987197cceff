package gitops

import (
	"path"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/kumalint/kumalint/loaders/helm"
	"github.com/kumalint/kumalint/loaders/yamldoc"
)

// application reads an Argo CD Application: spec.source or spec.sources[]
// with a kuma or kong-mesh chart, from a Helm repository (chart:) or from a
// path in this repository. Argo CD's precedence, lowest first: valueFiles in
// order, values (a string), valuesObject, parameters.
func (l *loader) application(d yamldoc.Doc) {
	spec := yamldoc.Path(d.Root, "spec")
	sources := yamldoc.Items(yamldoc.Path(spec, "sources"))
	if s := yamldoc.Path(spec, "source"); s != nil {
		sources = append([]*yaml.Node{s}, sources...)
	}
	obj := object(d, "Application")
	ns := yamldoc.Str(yamldoc.Path(spec, "destination", "namespace"))
	for _, src := range sources {
		chart := field(d, src, "chart")
		base := ""
		if !chart.Set {
			// A chart at a path of a git source: the path is in this
			// repository when the Application lives beside it.
			p := field(d, src, "path")
			if !p.Set {
				continue
			}
			chart, base = p, ""
		}
		version := field(d, src, "targetRevision")
		t, ok := l.target(chart, version, base)
		if !ok {
			continue
		}
		if t.Repo == "" && t.Dir == "" {
			t.Repo = yamldoc.Str(yamldoc.Path(src, "repoURL"))
		}
		helmNode := yamldoc.Path(src, "helm")
		var layers []helm.Layer
		for _, vf := range yamldoc.Items(yamldoc.Path(helmNode, "valueFiles")) {
			name := yamldoc.Str(vf)
			if ref, rest, ok := strings.Cut(name, "/"); ok && strings.HasPrefix(ref, "$") {
				// $values/envs/prod.yaml: a file of another source. kumalint
				// looks for it in this repository: at the root, else in the
				// Application's directory or the nearest one above it.
				base := ""
				for dir := path.Dir(d.File); dir != "." && dir != "/"; dir = path.Dir(dir) {
					if l.files.Exists(path.Join(dir, rest)) {
						base = dir
						break
					}
				}
				if layer, ok := l.valuesFile(d.Pos(vf), base, rest); ok {
					layers = append(layers, layer)
				}
				continue
			}
			if t.Dir == "" {
				l.note(d.Pos(vf), "value file %s is inside the chart package from %s: not read offline", name, yamldoc.Str(yamldoc.Path(src, "repoURL")))
				continue
			}
			if layer, ok := l.valuesFile(d.Pos(vf), t.Dir, name); ok {
				layers = append(layers, layer)
			}
		}
		if layer, ok := l.embedded(d, yamldoc.Path(helmNode, "values")); ok {
			layers = append(layers, layer)
		}
		if vo := yamldoc.Path(helmNode, "valuesObject"); vo != nil {
			layers = append(layers, helm.Layer{Doc: d, Root: vo})
		}
		if layer, ok := setLayer(d, yamldoc.Path(helmNode, "parameters")); ok {
			layers = append(layers, layer)
		}
		name := obj.Name
		if rn := yamldoc.Str(yamldoc.Path(helmNode, "releaseName")); rn != "" {
			name = rn
		}
		l.out = append(l.out, t.Release(name, ns, chart, obj, path.Dir(d.File), layers))
	}
}
