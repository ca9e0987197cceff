package helm

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/engine"
	"helm.sh/helm/v3/pkg/strvals"

	"github.com/kumalint/kumalint/loaders/kube"
	"github.com/kumalint/kumalint/loaders/yamldoc"
	"github.com/kumalint/kumalint/model"
)

// DefaultRenderTimeout bounds one render: a template that loops or recurses
// is stopped with an error (the goroutine is abandoned; Helm's engine cannot
// be interrupted).
const DefaultRenderTimeout = 5 * time.Second

// Renderer renders releases whose chart is in the repository with Helm's
// engine: offline, no cluster (lookup returns nothing), no schema validation
// (a values.schema.json $ref could reach the network). Each chart is parsed
// once and copied for every render, because rendering mutates it.
type Renderer struct {
	Files Files
	// Fetch, when set (--fetch-charts), downloads charts that are not in
	// the repository.
	Fetch *Fetcher
	// Timeout bounds one render (zero: DefaultRenderTimeout).
	Timeout time.Duration
	mu      sync.Mutex
	cache   map[string]*chart.Chart
}

// chartFor loads (once) the chart a release installs: from the repository
// through Files, so nothing outside it can be read, with a dependency that is
// not vendored, or the whole chart, fetched when --fetch-charts allows. The
// second result names the chart in positions.
func (rd *Renderer) chartFor(r *Release) (*chart.Chart, string, error) {
	key, dir := r.Dir, r.Dir
	fetched := rd.Fetch != nil && r.AppVersion.Value == ""
	if fetched {
		key = r.Dir + "|" + r.Repo + "|" + r.ChartName + "@" + r.Version.Value
		if dir == "" {
			dir = r.ChartName + "-" + r.Version.Value + ".tgz"
		}
	}
	rd.mu.Lock()
	defer rd.mu.Unlock()
	if c, ok := rd.cache[key]; ok {
		return c, dir, nil
	}
	var files []*loader.BufferedFile
	if r.Dir != "" {
		names, err := rd.Files.Tree(r.Dir)
		if err != nil {
			return nil, dir, err
		}
		for _, n := range names {
			data, err := rd.Files.Raw(path.Join(r.Dir, n))
			if err != nil {
				return nil, dir, err
			}
			files = append(files, &loader.BufferedFile{Name: n, Data: data})
		}
	}
	var c *chart.Chart
	var err error
	switch {
	case fetched && r.Dir == "":
		data, ferr := rd.Fetch.Fetch(r.Repo, r.ChartName, r.Version.Value)
		if ferr != nil {
			return nil, dir, ferr
		}
		c, err = loader.LoadArchive(bytes.NewReader(data))
	case fetched:
		data, ferr := rd.Fetch.Fetch(r.Repo, r.ChartName, r.Version.Value)
		if ferr != nil {
			return nil, dir, ferr
		}
		files = append(files, &loader.BufferedFile{Name: "charts/" + r.ChartName + "-" + r.Version.Value + ".tgz", Data: data})
		c, err = loader.LoadFiles(files)
	default:
		c, err = loader.LoadFiles(files)
	}
	if err != nil {
		return nil, dir, fmt.Errorf("%s: %w", dir, err)
	}
	if rd.cache == nil {
		rd.cache = map[string]*chart.Chart{}
	}
	rd.cache[key] = c
	return c, dir, nil
}

// kumaChart finds the kuma or kong-mesh chart in a loaded chart tree.
func kumaChart(c *chart.Chart, name string) *chart.Chart {
	if c.Name() == name {
		return c
	}
	for _, d := range c.Dependencies() {
		if d.Name() == name {
			return d
		}
	}
	return nil
}

// Renderable reports whether the release can be rendered: its chart is in
// the repository together with the kuma or kong-mesh chart it is or depends
// on (vendored, so its appVersion is known), or --fetch-charts may download
// the pinned version.
func (rd *Renderer) Renderable(r *Release) bool {
	if r.Dir != "" && r.AppVersion.Value != "" {
		return true
	}
	return rd.Fetch != nil && model.ParseVersion(r.Version.Value).Known()
}

// Render renders r from its chart and returns the components of the output,
// their attributes mapped back to the values keys that set them.
func (rd *Renderer) Render(r *Release) ([]*model.Component, []model.Diagnostic) {
	fail := func(pos model.Pos, format string, args ...any) ([]*model.Component, []model.Diagnostic) {
		return nil, []model.Diagnostic{{Pos: pos, Level: model.LevelError, Message: fmt.Sprintf(format, args...)}}
	}
	orig, dir, err := rd.chartFor(r)
	if err != nil {
		pos := r.ChartRef.Pos
		if r.Version.Set {
			pos = r.Version.Pos
		}
		return fail(pos, "cannot load the %s chart %s: %v", r.ChartName, r.Version.Value, err)
	}
	if r.AppVersion.Value == "" {
		// Fetched: the chart says what it deploys.
		if k := kumaChart(orig, r.ChartName); k != nil && k.Metadata != nil {
			rc := *r
			rc.AppVersion = model.Field[string]{Value: strings.TrimPrefix(k.Metadata.AppVersion, "v"), Pos: r.Version.Pos}
			r = &rc
		}
	}
	ch := copyChart(orig)
	vals, err := r.values()
	if err != nil {
		return fail(r.anchor(), "values of %s: %v", r.Name, err)
	}
	if err := chartutil.ProcessDependenciesWithMerge(ch, vals); err != nil {
		return fail(r.ChartRef.Pos, "dependencies of %s: %v", dir, err)
	}
	caps := chartutil.DefaultCapabilities.Copy()
	if kv, err := chartutil.ParseKubeVersion("v1.31.0"); err == nil {
		caps.KubeVersion = *kv
	}
	opts := chartutil.ReleaseOptions{Name: r.Name, Namespace: r.Namespace, Revision: 1, IsInstall: true}
	// Helm's own schema validation is off (it follows remote $refs); ours
	// refuses them.
	rv, err := chartutil.ToRenderValuesWithSchemaValidation(ch, vals, opts, caps, true)
	if err != nil {
		return fail(r.anchor(), "values of %s: %v", r.Name, err)
	}
	if top, ok := rv["Values"].(chartutil.Values); ok {
		if err := validateSchemas(ch, top, r.kumaKey()); err != nil {
			pos := r.anchor()
			if se := (*SchemaError)(nil); errors.As(err, &se) && se.Kuma && len(se.Path) > 0 {
				pos = r.keyPos(se.Path...)
			}
			return fail(pos, "values of release %s do not match %v", r.Name, err)
		}
	}
	timeout := rd.Timeout
	if timeout <= 0 {
		timeout = DefaultRenderTimeout
	}
	out, err := renderWithTimeout(ch, rv, timeout)
	if err != nil {
		return fail(rd.templatePos(dir, orig, err), "rendering %s (release %s): %v", dir, r.Name, trimEngineError(err))
	}
	var docs []yamldoc.Doc
	for _, name := range sortedKeys(out) {
		if !strings.HasSuffix(name, ".yaml") && !strings.HasSuffix(name, ".yml") || strings.TrimSpace(out[name]) == "" {
			continue
		}
		file := path.Join(dir, strings.TrimPrefix(name, ch.Name()+"/"))
		d, err := yamldoc.Decode(file, []byte(out[name]))
		if err != nil {
			return fail(model.Pos{File: file}, "the chart renders invalid YAML for release %s: %v", r.Name, err)
		}
		docs = append(docs, d...)
	}
	rendered, diags := kube.Load(docs)
	return reconcile(rendered, Evaluate(r), r), diags
}

// renderWithTimeout runs the engine, giving up after timeout.
func renderWithTimeout(ch *chart.Chart, vals chartutil.Values, timeout time.Duration) (map[string]string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	type result struct {
		out map[string]string
		err error
	}
	done := make(chan result, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- result{err: fmt.Errorf("the template engine panicked: %v", p)}
			}
		}()
		out, err := engine.Engine{}.Render(ch, vals)
		done <- result{out, err}
	}()
	select {
	case r := <-done:
		return r.out, r.err
	case <-ctx.Done():
		return nil, fmt.Errorf("stopped after %s: a template loops or recurses", timeout)
	}
}

var (
	engineErrRE   = regexp.MustCompile(`\(([^():]+):(\d+):\d+\)`)
	templateErrRE = regexp.MustCompile(`template: ([^:\s]+):(\d+):\d+:`)
)

// templatePos finds the template and line in an engine error
// ("execution error at (kuma/templates/cp.yaml:12:3): …"). Helm names a
// subchart by its alias; the file is where the dependency is vendored.
func (rd *Renderer) templatePos(dir string, ch *chart.Chart, err error) model.Pos {
	m := engineErrRE.FindStringSubmatch(err.Error())
	if m == nil {
		m = templateErrRE.FindStringSubmatch(err.Error())
	}
	if m == nil {
		return model.Pos{File: path.Join(dir, "Chart.yaml")}
	}
	line, _ := strconv.Atoi(m[2])
	rel := strings.TrimPrefix(m[1], ch.Name()+"/")
	if rest, ok := strings.CutPrefix(rel, "charts/"); ok && ch.Metadata != nil {
		at, inner, _ := strings.Cut(rest, "/")
		for _, d := range ch.Metadata.Dependencies {
			if d.Alias != at && d.Name != at {
				continue
			}
			if rd.Files.Exists(path.Join(dir, "charts", d.Name)) {
				rel = path.Join("charts", d.Name, inner)
			} else if sub, ok := vendored(rd.Files, &Chart{Dir: dir}, Dependency{Name: d.Name}); ok {
				return model.Pos{File: sub.Dir + "!" + d.Name + "/" + inner, Line: line}
			}
		}
	}
	return model.Pos{File: path.Join(dir, rel), Line: line}
}

func trimEngineError(err error) string {
	msg := err.Error()
	if i := strings.LastIndex(msg, "): "); i >= 0 {
		msg = msg[i+3:]
	}
	if strings.Count(msg, "error calling include") > 10 {
		// Helm stops an include chain at 1000 levels and prints all of it.
		return "a template includes itself without end: " + msg[:min(len(msg), 160)] + "…"
	}
	if len(msg) > 300 {
		msg = msg[:300] + "…"
	}
	return msg
}

// values merges the release's layers the way helm install does: value files
// and inline values in order, each over the last, then --set style
// parameters. The chart's own defaults are the chart's business.
func (r *Release) values() (map[string]any, error) {
	vals := map[string]any{}
	for _, l := range r.Layers {
		if l.Chart {
			continue
		}
		if l.Set != nil {
			for _, k := range sortedKeys(l.Set) {
				if err := strvals.ParseInto(k+"="+l.Set[k].Value, vals); err != nil {
					return nil, fmt.Errorf("%s: %w", k, err)
				}
			}
			continue
		}
		var m map[string]any
		if err := l.Root.Decode(&m); err != nil {
			return nil, err
		}
		mergeValues(vals, m)
	}
	return vals, nil
}

// mergeValues merges over into base: maps deeply, anything else replaced.
func mergeValues(base, over map[string]any) {
	for k, v := range over {
		if bm, ok := base[k].(map[string]any); ok {
			if om, ok := v.(map[string]any); ok {
				mergeValues(bm, om)
				continue
			}
		}
		base[k] = v
	}
}

// copyChart copies what rendering changes: metadata (dependencies are
// enabled or not), values (import-values) and the dependency tree.
func copyChart(c *chart.Chart) *chart.Chart {
	cp := *c
	if c.Metadata != nil {
		md := *c.Metadata
		md.Dependencies = make([]*chart.Dependency, len(c.Metadata.Dependencies))
		for i, d := range c.Metadata.Dependencies {
			dc := *d
			md.Dependencies[i] = &dc
		}
		cp.Metadata = &md
	}
	cp.Values = copyValue(c.Values).(map[string]any)
	deps := make([]*chart.Chart, 0, len(c.Dependencies()))
	for _, d := range c.Dependencies() {
		deps = append(deps, copyChart(d))
	}
	cp.SetDependencies(deps...)
	return &cp
}

func copyValue(v any) any {
	switch t := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, x := range t {
			m[k] = copyValue(x)
		}
		return m
	case []any:
		s := make([]any, len(t))
		for i, x := range t {
			s[i] = copyValue(x)
		}
		return s
	case nil:
		return map[string]any{}
	}
	return v
}

// reconcile gives the rendered components the release's identity and, for
// each attribute, the position of the values key that set it: the values
// model's position when both agree on the value, else the user's values key
// that holds the rendered value, else the template (a chart default).
func reconcile(rendered, evaluated []*model.Component, r *Release) []*model.Component {
	byKind := map[string]*model.Component{}
	for _, e := range evaluated {
		byKind[string(e.Kind)+"|"+string(e.DPKind)] = e
	}
	for _, c := range rendered {
		e := byKind[string(c.Kind)+"|"+string(c.DPKind)]
		if e == nil {
			c.Unit = r.Unit
			continue
		}
		tmpl := model.Pos{File: c.Image.Pos.File}
		c.Object, c.Unit, c.Chart, c.Container = e.Object, e.Unit, e.Chart, e.Container
		c.Addresses = append(c.Addresses, e.Addresses...)
		c.Image.Pos = r.provenance(c.Image.Value.Tag, e.Image.Value.Tag, e.Image.Pos, tmpl)
		c.Image.Set = true
		if c.IsCP() {
			c.Replicas.Pos = r.provenance(strconv.Itoa(c.Replicas.Value), strconv.Itoa(e.Replicas.Value), e.Replicas.Pos, tmpl)
			c.Replicas.Set = e.Replicas.Set
			if c.Scaling != nil && e.Scaling != nil {
				c.Scaling.Object = e.Scaling.Object
				c.Scaling.Min.Pos = r.provenance(strconv.Itoa(c.Scaling.Min.Value), strconv.Itoa(e.Scaling.Min.Value), e.Scaling.Min.Pos, tmpl)
				c.Scaling.Min.Set = e.Scaling.Min.Set
			}
			if c.Budget != nil && e.Budget != nil {
				c.Budget.Object = e.Budget.Object
			}
			c.Role.Pos = r.provenance(string(c.Role.Value), string(e.Role.Value), e.Role.Pos, tmpl)
			c.Role.Set = e.Role.Set
			c.Zone.Pos, c.Zone.Set = r.provenance(c.Zone.Value, e.Zone.Value, e.Zone.Pos, tmpl), e.Zone.Set
			c.GlobalAddress.Pos, c.GlobalAddress.Set = r.provenance(c.GlobalAddress.Value, e.GlobalAddress.Value, e.GlobalAddress.Pos, tmpl), e.GlobalAddress.Set
			c.Environment, c.StoreType = e.Environment, e.StoreType
			c.Flags = e.Flags
		}
		if c.Owner != nil {
			c.Owner = byKindOwner(rendered, c.Owner)
		}
	}
	return rendered
}

func byKindOwner(rendered []*model.Component, owner *model.Component) *model.Component {
	for _, c := range rendered {
		if c == owner {
			return c
		}
	}
	return owner
}

// provenance places a rendered value: where the values model put it when it
// agrees, else the user's values key holding that value, else the template.
func (r *Release) provenance(got, modelled string, modelPos, tmpl model.Pos) model.Pos {
	if got == modelled {
		return modelPos
	}
	if pos, ok := r.search(got); ok {
		return pos
	}
	return tmpl
}

// search finds the highest-priority user values key whose scalar is value.
func (r *Release) search(value string) (model.Pos, bool) {
	if value == "" {
		return model.Pos{}, false
	}
	for i := len(r.Layers) - 1; i >= 0; i-- {
		l := r.Layers[i]
		if l.Chart {
			continue
		}
		for _, k := range sortedKeys(l.Set) {
			if l.Set[k].Value == value {
				return l.Doc.Pos(l.Set[k]), true
			}
		}
		if n := yamldoc.FindScalar(l.Root, value); n != nil {
			return l.Doc.Pos(n), true
		}
	}
	return model.Pos{}, false
}

// kumaKey is the values key of the kuma or kong-mesh chart in an umbrella
// chart (its alias or name), or "" when the release installs it directly.
func (r *Release) kumaKey() string {
	for _, l := range r.Layers {
		if !l.Chart && len(l.Prefix) > len(prefixOf(r.ChartName)) {
			return l.Prefix[0]
		}
	}
	return ""
}
