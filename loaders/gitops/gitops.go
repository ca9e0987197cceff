// Package gitops reads the objects that install Helm releases from git: Flux
// HelmRelease, Argo CD Application and helmfile releases. Each becomes a
// helm.Release whose values keep the positions of the lines a person edits:
// inside spec.values, inside an Application's values string, in the value
// files they name.
package gitops

import (
	"encoding/base64"
	"errors"
	"fmt"
	"path"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/kumalint/kumalint/loaders/helm"
	"github.com/kumalint/kumalint/loaders/yamldoc"
	"github.com/kumalint/kumalint/model"
)

// Releases finds the releases of the kuma and kong-mesh charts among docs.
// Files reads value files and charts the objects point at.
func Releases(docs []yamldoc.Doc, files helm.Files) ([]*helm.Release, []model.Diagnostic) {
	l := &loader{files: files, byName: map[string]yamldoc.Doc{}}
	for _, d := range docs {
		kind := yamldoc.Str(yamldoc.Path(d.Root, "kind"))
		if kind == "ConfigMap" || kind == "Secret" || kind == "HelmRepository" || kind == "OCIRepository" || kind == "HelmChart" {
			l.byName[kind+"/"+namespaceOf(d)+"/"+yamldoc.Str(yamldoc.Path(d.Root, "metadata", "name"))] = d
		}
	}
	for _, d := range docs {
		api := yamldoc.Str(yamldoc.Path(d.Root, "apiVersion"))
		kind := yamldoc.Str(yamldoc.Path(d.Root, "kind"))
		switch {
		case kind == "HelmRelease" && strings.HasPrefix(api, "helm.toolkit.fluxcd.io/"):
			l.helmRelease(d)
		case kind == "Application" && strings.HasPrefix(api, "argoproj.io/"):
			l.application(d)
		case kind == "" && isHelmfile(d):
			l.helmfile(d)
		}
	}
	return l.out, l.diags
}

type loader struct {
	files  helm.Files
	byName map[string]yamldoc.Doc // ConfigMaps and Secrets: kind/namespace/name
	out    []*helm.Release
	diags  []model.Diagnostic
}

func (l *loader) note(pos model.Pos, format string, args ...any) {
	l.diags = append(l.diags, model.Diagnostic{Pos: pos, Level: model.LevelNote, Message: fmt.Sprintf(format, args...)})
}

func (l *loader) fail(pos model.Pos, format string, args ...any) {
	l.diags = append(l.diags, model.Diagnostic{Pos: pos, Level: model.LevelError, Message: fmt.Sprintf(format, args...)})
}

func namespaceOf(d yamldoc.Doc) string {
	return yamldoc.Str(yamldoc.Path(d.Root, "metadata", "namespace"))
}

func object(d yamldoc.Doc, kind string) model.Object {
	o := model.Object{Kind: kind, Namespace: namespaceOf(d), Name: yamldoc.Str(yamldoc.Path(d.Root, "metadata", "name")), Pos: d.Pos(d.Root)}
	if _, v := yamldoc.Get(yamldoc.Path(d.Root, "metadata", "annotations"), "kumalint.io/ignore"); v != nil {
		o.Ignore = model.Stated(yamldoc.Str(v), d.Pos(v))
	}
	return o
}

// field is a scalar with its position.
func field(d yamldoc.Doc, n *yaml.Node, keys ...string) model.Field[string] {
	parent := yamldoc.Path(n, keys[:len(keys)-1]...)
	if len(keys) == 1 {
		parent = n
	}
	_, v := yamldoc.Get(parent, keys[len(keys)-1])
	if v == nil {
		return model.Field[string]{Pos: d.Pos(parent)}
	}
	return model.Stated(yamldoc.Str(v), d.Pos(v))
}

// target resolves a chart reference: a kuma or kong-mesh chart by name, or
// a chart directory in the repository (relative to base).
func (l *loader) target(chart model.Field[string], version model.Field[string], base string) (helm.Target, bool) {
	if t, ok := helm.ByName(chart.Value, version); ok {
		return t, true
	}
	dir := path.Clean(path.Join(base, strings.TrimPrefix(chart.Value, "./")))
	if !strings.HasPrefix(dir, "..") && l.files.Exists(path.Join(dir, "Chart.yaml")) {
		t, diags, err := helm.FromDir(l.files, dir)
		l.diags = append(l.diags, diags...)
		if err != nil {
			l.fail(chart.Pos, "chart %s: %v", dir, err)
			return helm.Target{}, false
		}
		if t.ChartName != "" && !t.Version.Set && version.Set {
			t.Version = version
		}
		return t, t.ChartName != ""
	}
	return helm.Target{}, false
}

// valuesFile reads a value file named in an object, relative to base.
func (l *loader) valuesFile(pos model.Pos, base, name string) (helm.Layer, bool) {
	p := path.Clean(path.Join(base, name))
	if strings.HasPrefix(p, "..") || path.IsAbs(name) {
		l.note(pos, "value file %s is outside the repository: not read", name)
		return helm.Layer{}, false
	}
	if !l.files.Exists(p) {
		l.note(pos, "value file %s is not in this repository: the release is evaluated without it", p)
		return helm.Layer{}, false
	}
	docs, err := l.files.Docs(p)
	if err != nil {
		l.fail(pos, "value file %s: %v", p, err)
		return helm.Layer{}, false
	}
	if len(docs) == 0 {
		return helm.Layer{}, false
	}
	return helm.DocLayer(docs[0]), true
}

// embedded decodes values written as a string (Argo CD helm.values, a
// ConfigMap key) with file positions.
func (l *loader) embedded(d yamldoc.Doc, n *yaml.Node) (helm.Layer, bool) {
	if n == nil || n.Kind != yaml.ScalarNode || strings.TrimSpace(n.Value) == "" {
		return helm.Layer{}, false
	}
	docs, err := yamldoc.DecodeEmbedded(d.File, d.Data, n)
	if err != nil {
		if e := (*yamldoc.Error)(nil); errors.As(err, &e) {
			l.fail(e.Pos, "values: %s", e.Msg)
		} else {
			l.fail(d.Pos(n), "values: %v", err)
		}
		return helm.Layer{}, false
	}
	if len(docs) == 0 {
		return helm.Layer{}, false
	}
	return helm.DocLayer(docs[0]), true
}

// helmRelease reads a Flux HelmRelease (v2, v2beta1, v2beta2): valuesFrom in
// order, then spec.values on top (Flux merges spec.values last).
func (l *loader) helmRelease(d yamldoc.Doc) {
	spec := yamldoc.Path(d.Root, "spec")
	chart := field(d, spec, "chart", "spec", "chart")
	version := field(d, spec, "chart", "spec", "version")
	if !chart.Set {
		if ref := yamldoc.Path(spec, "chartRef"); ref != nil {
			chart, version = l.chartRef(d, ref)
		}
	}
	if version.Set && !model.ParseVersion(version.Value).Known() {
		// A semver range: Flux installs whatever matches, which kumalint
		// treats as floating.
		version = model.Field[string]{Value: version.Value, Pos: version.Pos, Set: false}
	}
	t, ok := l.target(chart, version, path.Dir(d.File))
	if !ok {
		return
	}
	obj := object(d, "HelmRelease")
	ns := obj.Namespace
	if tn := yamldoc.Str(yamldoc.Path(spec, "targetNamespace")); tn != "" {
		ns = tn
	}
	var layers []helm.Layer
	for _, vf := range yamldoc.Items(yamldoc.Path(spec, "valuesFrom")) {
		kind, name := yamldoc.Str(yamldoc.Path(vf, "kind")), yamldoc.Str(yamldoc.Path(vf, "name"))
		key := yamldoc.Str(yamldoc.Path(vf, "valuesKey"))
		if key == "" {
			key = "values.yaml"
		}
		src, found := l.byName[kind+"/"+obj.Namespace+"/"+name]
		if !found {
			l.note(d.Pos(vf), "valuesFrom %s %s is not in the linted files: the release is evaluated without it", kind, name)
			continue
		}
		layer, ok := l.keyLayer(src, kind, key)
		if !ok {
			l.note(d.Pos(vf), "valuesFrom %s %s has no readable key %q", kind, name, key)
			continue
		}
		if tp := yamldoc.Str(yamldoc.Path(vf, "targetPath")); tp != "" {
			layer = helm.Layer{Doc: layer.Doc, Set: map[string]*yaml.Node{tp: layer.Root}}
		}
		layers = append(layers, layer)
	}
	if v := yamldoc.Path(spec, "values"); v != nil {
		layers = append(layers, helm.Layer{Doc: d, Root: v})
	}
	name := obj.Name
	if rn := yamldoc.Str(yamldoc.Path(spec, "releaseName")); rn != "" {
		name = rn
	}
	if ref := yamldoc.Path(spec, "chart", "spec", "sourceRef"); yamldoc.Str(yamldoc.Path(ref, "kind")) == "HelmRepository" {
		refNS := yamldoc.Str(yamldoc.Path(ref, "namespace"))
		if refNS == "" {
			refNS = obj.Namespace
		}
		if repo, ok := l.byName["HelmRepository/"+refNS+"/"+yamldoc.Str(yamldoc.Path(ref, "name"))]; ok {
			t.Repo = yamldoc.Str(yamldoc.Path(repo.Root, "spec", "url"))
		}
	}
	l.out = append(l.out, t.Release(name, ns, chart, obj, path.Dir(d.File), layers))
}

// chartRef follows spec.chartRef to the OCIRepository (spec.url ending in the
// chart's name, spec.ref.tag or semver) or HelmChart (spec.chart,
// spec.version) it names, when that object is among the linted files.
func (l *loader) chartRef(d yamldoc.Doc, ref *yaml.Node) (chart, version model.Field[string]) {
	kind, name := yamldoc.Str(yamldoc.Path(ref, "kind")), field(d, ref, "name")
	ns := yamldoc.Str(yamldoc.Path(ref, "namespace"))
	if ns == "" {
		ns = namespaceOf(d)
	}
	src, ok := l.byName[kind+"/"+ns+"/"+name.Value]
	if !ok {
		l.note(name.Pos, "chartRef %s %s is not in the linted files: the chart is taken to be named %s", kind, name.Value, name.Value)
		return name, model.Field[string]{Pos: name.Pos}
	}
	sspec := yamldoc.Path(src.Root, "spec")
	switch kind {
	case "OCIRepository":
		chart = field(src, sspec, "url")
		chart.Value = strings.TrimSuffix(chart.Value, "/")
		version = field(src, sspec, "ref", "tag")
		if !version.Set {
			version = field(src, sspec, "ref", "semver")
		}
	case "HelmChart":
		chart, version = field(src, sspec, "chart"), field(src, sspec, "version")
	}
	return chart, version
}

// keyLayer reads values from a ConfigMap's data (or a Secret's stringData or
// base64 data) key.
func (l *loader) keyLayer(src yamldoc.Doc, kind, key string) (helm.Layer, bool) {
	if _, v := yamldoc.Get(yamldoc.Path(src.Root, "data"), key); v != nil && kind == "ConfigMap" {
		return l.embedded(src, v)
	}
	if _, v := yamldoc.Get(yamldoc.Path(src.Root, "stringData"), key); v != nil {
		return l.embedded(src, v)
	}
	if _, v := yamldoc.Get(yamldoc.Path(src.Root, "data"), key); v != nil && kind == "Secret" {
		raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(v.Value))
		if err != nil {
			return helm.Layer{}, false // SOPS or sealed: not readable here
		}
		docs, err := yamldoc.Decode(src.File, raw)
		if err != nil || len(docs) == 0 {
			return helm.Layer{}, false
		}
		// Decoded bytes have no lines in the file: point at the key.
		pinTo(docs[0].Root, v.Line, v.Column)
		return helm.DocLayer(docs[0]), true
	}
	return helm.Layer{}, false
}

func pinTo(n *yaml.Node, line, col int) {
	if n == nil {
		return
	}
	n.Line, n.Column = line, col
	for _, c := range n.Content {
		pinTo(c, line, col)
	}
}

// setLayer reads a list of {name, value} (Argo CD helm.parameters, helmfile
// set:) as --set style values, the highest-priority layer.
func setLayer(d yamldoc.Doc, list *yaml.Node) (helm.Layer, bool) {
	set := map[string]*yaml.Node{}
	for _, it := range yamldoc.Items(list) {
		_, v := yamldoc.Get(it, "value")
		if name := yamldoc.Str(yamldoc.Path(it, "name")); name != "" && v != nil {
			set[name] = v
		}
	}
	return helm.Layer{Doc: d, Set: set}, len(set) > 0
}
