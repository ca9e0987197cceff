// Package helm reads Kuma and Kong Mesh Helm releases: the values a team keeps
// in git, evaluated with the chart's own rules (domain.md §1–§2), so that a
// finding lands on the values key a person edits. It works without the
// chart: image tags fall back to the chart's appVersion, known from the chart
// version.
package helm

import (
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/kumalint/kumalint/loaders/yamldoc"
	"github.com/kumalint/kumalint/model"
)

// Layer is one source of values. A release lists them lowest priority first:
// the chart's own values.yaml, values files in order, inline values, then
// --set style parameters.
type Layer struct {
	Doc  yamldoc.Doc
	Root *yaml.Node // the layer's values (nil for a Set layer)
	// Prefix is where the kuma chart's values sit in Root: nothing for the
	// kuma chart, "kuma" for kong-mesh, the dependency's name or alias in an
	// umbrella chart's values (and its kong-mesh "kuma" below that).
	Prefix []string
	// Set holds flat parameters (Argo CD helm.parameters, helmfile set:,
	// --set): dotted key to value node.
	Set map[string]*yaml.Node
	// Chart marks the chart's own defaults: a finding never lands there, it
	// is a related location.
	Chart bool
}

// Release is one installation of the kuma or kong-mesh chart.
type Release struct {
	Name      string
	Namespace string
	Product   model.Product
	// ChartName is kuma or kong-mesh; ChartRef is the chart as written, at
	// the line that names it.
	ChartName string
	ChartRef  model.Field[string]
	// Version is the chart version the release pins (unset: floating).
	Version model.Field[string]
	// AppVersion is known when the chart itself is in the repository
	// (Chart.yaml appVersion); otherwise it comes from Version.
	AppVersion model.Field[string]
	Layers     []Layer
	// Object is the file object the release comes from: a HelmRelease, an
	// Application, a helmfile release, a values file.
	Object model.Object
	Unit   string
	// Dir is the chart directory in the repository ("" for a chart from a
	// Helm repository).
	Dir string
	// Repo is the Helm repository the kuma or kong-mesh chart comes from,
	// for --fetch-charts ("" when unknown: the chart's own repository).
	Repo string
}

// lookup finds the value at path (below Prefix) in the highest-priority
// layer that has it. A null value unsets the key, as in Helm.
func (r *Release) lookup(path ...string) (*yaml.Node, *Layer) {
	for i := len(r.Layers) - 1; i >= 0; i-- {
		l := &r.Layers[i]
		full := append(append([]string{}, l.Prefix...), path...)
		dotted := strings.Join(full, ".")
		if l.Set != nil {
			if v, ok := l.Set[dotted]; ok {
				return v, l
			}
			continue
		}
		v := l.Root
		for _, k := range full {
			_, v = yamldoc.Get(v, k)
			if v == nil {
				break
			}
		}
		if v == nil {
			continue
		}
		if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
			return nil, nil
		}
		return v, l
	}
	return nil, nil
}

// str returns the string at path and where it was set.
func (r *Release) str(path ...string) model.Field[string] {
	v, l := r.lookup(path...)
	if v == nil || v.Kind != yaml.ScalarNode {
		return model.Field[string]{}
	}
	f := model.Stated(v.Value, l.Doc.Pos(v))
	f.Set = !l.Chart
	return f
}

// keyPos is the position of the key at path in the layer that set it, for
// findings about a key rather than its value.
func (r *Release) keyPos(path ...string) model.Pos {
	for i := len(r.Layers) - 1; i >= 0; i-- {
		l := r.Layers[i]
		if l.Set != nil || l.Chart {
			continue
		}
		full := append(append([]string{}, l.Prefix...), path...)
		n := l.Root
		var k *yaml.Node
		for _, p := range full {
			k, n = yamldoc.Get(n, p)
			if n == nil {
				break
			}
		}
		if k != nil && n != nil {
			return l.Doc.Pos(k)
		}
	}
	return r.anchor()
}

// anchor is where a setting the release does not have yet would be added:
// the controlPlane block of its highest values layer, else the start of
// those values, else the line that names the chart.
func (r *Release) anchor() model.Pos {
	for i := len(r.Layers) - 1; i >= 0; i-- {
		l := r.Layers[i]
		if l.Set != nil || l.Chart || l.Root == nil {
			continue
		}
		n := l.Root
		for _, p := range l.Prefix {
			_, n = yamldoc.Get(n, p)
		}
		if k, _ := yamldoc.Get(n, "controlPlane"); k != nil {
			return l.Doc.Pos(k)
		}
		return l.Doc.Pos(l.Root)
	}
	if r.Version.Set {
		return r.Version.Pos
	}
	return r.ChartRef.Pos
}
