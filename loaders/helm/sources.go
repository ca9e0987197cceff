package helm

import (
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/kumalint/kumalint/loaders/yamldoc"
	"github.com/kumalint/kumalint/model"
)

// Target is a chart a release installs: the kuma or kong-mesh chart, by name
// or from the repository, or an umbrella chart that depends on one.
type Target struct {
	ChartName string // kuma or kong-mesh
	Product   model.Product
	Version   model.Field[string]
	// AppVersion is set when the chart is in the repository.
	AppVersion model.Field[string]
	// Prefix is where the kuma values sit in the release's values.
	Prefix []string
	// Defaults is the chart's own values.yaml layer, when the chart is in
	// the repository.
	Defaults *Layer
	// Dir is the chart directory in the repository ("" for a chart from a
	// Helm repository); value files of an Application are relative to it.
	Dir string
	// Repo is where the kuma or kong-mesh chart comes from, when known.
	Repo string
}

// prefixOf is where the kuma chart's values sit inside a chart's values.
func prefixOf(chartName string) []string {
	if chartName == "kong-mesh" {
		return []string{"kuma"}
	}
	return nil
}

// ByName is a target for a chart referenced by name ("kuma", "kumahq/kuma",
// "oci://…/kong-mesh"), or false when the name is neither chart.
func ByName(ref string, version model.Field[string]) (Target, bool) {
	name := path.Base(strings.TrimSuffix(ref, "/"))
	prod, ok := KumaCharts[name]
	if !ok {
		return Target{}, false
	}
	return Target{ChartName: name, Product: prod, Version: version, Prefix: prefixOf(name)}, true
}

// FromDir is a target for a chart directory in the repository: the kuma or
// kong-mesh chart itself, or an umbrella chart depending on one. A
// dependency that is not vendored under charts/ is still evaluated from its
// version, with a note that says so.
func FromDir(files Files, dir string) (Target, []model.Diagnostic, error) {
	c, err := LoadChart(files, dir)
	if err != nil {
		return Target{}, nil, err
	}
	if prod, ok := KumaCharts[c.Name]; ok {
		t := Target{ChartName: c.Name, Product: prod, Version: c.Version, AppVersion: c.AppVersion, Prefix: prefixOf(c.Name), Dir: dir}
		if c.Values != nil {
			t.Defaults = &Layer{Doc: *c.Values, Root: c.Values.Root, Chart: true, Prefix: t.Prefix}
		}
		return t, nil, nil
	}
	for _, dep := range c.Deps {
		prod, ok := KumaCharts[dep.Name]
		if !ok {
			continue
		}
		at := dep.Name
		if dep.Alias != "" {
			at = dep.Alias
		}
		t := Target{ChartName: dep.Name, Product: prod, Version: dep.Version, Prefix: append([]string{at}, prefixOf(dep.Name)...), Dir: dir}
		if strings.HasPrefix(dep.Repository, "http") {
			t.Repo = dep.Repository
		}
		var diags []model.Diagnostic
		if sub, ok := vendored(files, c, dep); ok {
			t.AppVersion = sub.AppVersion
			if sub.Values != nil {
				t.Defaults = &Layer{Doc: *sub.Values, Root: sub.Values.Root, Chart: true, Prefix: prefixOf(dep.Name)}
			}
		} else {
			diags = append(diags, model.Diagnostic{
				Pos:   dep.Version.Pos,
				Level: model.LevelNote,
				Message: fmt.Sprintf("%s/Chart.yaml: dependency %s %s is not vendored under %s/charts, so it is evaluated from its version and the chart's "+
					"known defaults, not rendered; vendor it (helm dependency build) or lint with --fetch-charts", dir, dep.Name, dep.Version.Value, dir),
			})
		}
		return t, diags, nil
	}
	return Target{}, nil, nil // not a chart kumalint evaluates
}

// Release builds a release of target from values layers (lowest priority
// first; the chart's defaults are added below them).
func (t Target) Release(name, namespace string, chartRef model.Field[string], object model.Object, unit string, layers []Layer) *Release {
	r := &Release{
		Name: name, Namespace: namespace, Product: t.Product, ChartName: t.ChartName,
		ChartRef: chartRef, Version: t.Version, AppVersion: t.AppVersion, Object: object, Unit: unit, Dir: t.Dir, Repo: t.Repo,
	}
	if t.Defaults != nil {
		r.Layers = append(r.Layers, *t.Defaults)
	}
	for _, l := range layers {
		if l.Prefix == nil {
			l.Prefix = t.Prefix
		}
		r.Layers = append(r.Layers, l)
	}
	return r
}

// DocLayer is a values layer from a whole YAML document.
func DocLayer(d yamldoc.Doc) Layer { return Layer{Doc: d, Root: d.Root} }

// ChartReleases are the releases of a chart directory found while walking: one
// per values-<name>.yaml next to Chart.yaml, or the chart with its own
// values when there is none. For an umbrella chart its values.yaml is the
// team's and takes part; for the kuma chart itself it is the defaults.
func ChartReleases(files Files, dir string, siblings map[string]yamldoc.Doc) ([]*Release, []model.Diagnostic, error) {
	t, diags, err := FromDir(files, dir)
	if err != nil || t.ChartName == "" {
		return nil, diags, err
	}
	meta, _ := files.Docs(path.Join(dir, "Chart.yaml"))
	chartRef := model.Field[string]{Value: dir}
	if len(meta) > 0 {
		chartRef = model.Stated(dir, meta[0].Pos(yamldoc.Path(meta[0].Root, "name")))
	}
	var base []Layer
	umbrella := len(t.Prefix) > len(prefixOf(t.ChartName))
	if v, ok := siblings["values.yaml"]; ok && umbrella {
		base = append(base, DocLayer(v))
	}
	var out []*Release
	for _, file := range sortedKeys(siblings) {
		rest, ok := strings.CutPrefix(file, "values-")
		if !ok || !strings.HasSuffix(rest, ".yaml") && !strings.HasSuffix(rest, ".yml") {
			continue
		}
		name := strings.TrimSuffix(strings.TrimSuffix(rest, ".yaml"), ".yml")
		doc := siblings[file]
		obj := model.Object{Kind: "HelmChart", Name: path.Base(dir) + ":" + name, Pos: doc.Pos(doc.Root)}
		out = append(out, t.Release(name, "", chartRef, obj, dir, append(append([]Layer{}, base...), DocLayer(doc))))
	}
	if len(out) == 0 {
		obj := model.Object{Kind: "HelmChart", Name: path.Base(dir), Pos: chartRef.Pos}
		out = append(out, t.Release(path.Base(dir), "", chartRef, obj, dir, base))
	}
	return out, diags, nil
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
