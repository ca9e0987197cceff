package lint

// The loaders beyond plain manifests: Helm releases, kustomize overlays,
// Universal processes and configured components.

import (
	"fmt"
	"path"
	"runtime"
	"slices"
	"sort"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/kumalint/kumalint/config"
	"github.com/kumalint/kumalint/loaders/discover"
	"github.com/kumalint/kumalint/loaders/gitops"
	"github.com/kumalint/kumalint/loaders/helm"
	"github.com/kumalint/kumalint/loaders/kustomize"
	"github.com/kumalint/kumalint/loaders/universal"
	"github.com/kumalint/kumalint/loaders/yamldoc"
	"github.com/kumalint/kumalint/model"
)

// helmComponents finds every Helm release of the kuma and kong-mesh charts —
// chart directories in the tree, GitOps objects, helmfiles, and releases the
// configuration names — and evaluates their values.
func helmComponents(docs []yamldoc.Doc, files *repoFiles, opts Options) ([]*model.Component, []model.Diagnostic) {
	cfg := opts.Config
	var (
		releases []*helm.Release
		diags    []model.Diagnostic
	)
	// Chart directories: discover reads Chart.yaml and the values files
	// beside it.
	byDir := map[string]map[string]yamldoc.Doc{}
	for _, d := range docs {
		dir, base := path.Dir(d.File), path.Base(d.File)
		if byDir[dir] == nil {
			byDir[dir] = map[string]yamldoc.Doc{}
		}
		if _, seen := byDir[dir][base]; !seen {
			byDir[dir][base] = d
		}
	}
	dirs := make([]string, 0, len(byDir))
	for dir, files := range byDir {
		if _, ok := files["Chart.yaml"]; ok {
			dirs = append(dirs, dir)
		}
	}
	sort.Strings(dirs)
	for _, dir := range dirs {
		rs, ds, err := helm.ChartReleases(files, dir, byDir[dir])
		diags = append(diags, ds...)
		if err != nil {
			diags = append(diags, model.Diagnostic{Pos: model.Pos{File: path.Join(dir, "Chart.yaml")}, Level: model.LevelError, Message: err.Error()})
			continue
		}
		releases = append(releases, rs...)
	}
	rs, ds := gitops.Releases(docs, files)
	releases, diags = append(releases, rs...), append(diags, ds...)
	if cfg != nil {
		rs, ds := configReleases(cfg, files)
		releases, diags = append(releases, rs...), append(diags, ds...)
	}
	// Render on every core; the results keep the releases' order.
	type result struct {
		comps []*model.Component
		diags []model.Diagnostic
	}
	results := make([]result, len(releases))
	rd := &helm.Renderer{Files: files, Fetch: opts.Fetch, Timeout: opts.Limits.RenderTimeout}
	var wg sync.WaitGroup
	next := make(chan int)
	for range min(runtime.GOMAXPROCS(0), max(len(releases), 1)) {
		wg.Go(func() {
			for i := range next {
				r := releases[i]
				if rd.Renderable(r) {
					rendered, ds := rd.Render(r)
					results[i].diags = ds
					if model.Unreadable(ds) == 0 {
						results[i].comps = rendered
						continue
					}
					// The chart refuses these values (an error above, exit
					// 2); the values model still says what they would deploy.
				}
				results[i].comps = helm.Evaluate(r)
			}
		})
	}
	for i := range releases {
		next <- i
	}
	close(next)
	wg.Wait()
	var comps []*model.Component
	for _, r := range results {
		comps = append(comps, r.comps...)
		diags = append(diags, r.diags...)
	}
	return comps, diags
}

// configReleases builds the releases that .kumalint.yaml names: a chart by
// name or by path, value files and set values relative to the file.
func configReleases(cfg *config.Config, files *repoFiles) ([]*helm.Release, []model.Diagnostic) {
	var (
		out   []*helm.Release
		diags []model.Diagnostic
	)
	doc := yamldoc.Doc{File: cfg.File}
	for _, hr := range cfg.Helm.Releases {
		chartRef := model.Stated(hr.Chart, hr.Pos)
		t, ok := helm.ByName(hr.Chart, hr.Version)
		if !ok {
			dir := path.Join(cfg.Dir, hr.Chart)
			var ds []model.Diagnostic
			var err error
			t, ds, err = helm.FromDir(files, dir)
			diags = append(diags, ds...)
			if err != nil || t.ChartName == "" {
				msg := fmt.Sprintf("helm.releases %s: %s is neither the kuma or kong-mesh chart nor a chart in the repository that depends on one", hr.Name, hr.Chart)
				if err != nil {
					msg += ": " + err.Error()
				}
				diags = append(diags, model.Diagnostic{Pos: hr.Pos, Level: model.LevelError, Message: msg})
				continue
			}
			if hr.Version.Set {
				t.Version = hr.Version
			}
		}
		var layers []helm.Layer
		for _, v := range hr.Values {
			p := path.Join(cfg.Dir, v)
			vd, err := files.Docs(p)
			if err != nil || len(vd) == 0 {
				diags = append(diags, model.Diagnostic{Pos: hr.Pos, Level: model.LevelError, Message: fmt.Sprintf("helm.releases %s: value file %s: %v", hr.Name, p, err)})
				continue
			}
			layers = append(layers, helm.DocLayer(vd[0]))
		}
		if len(hr.Set) > 0 {
			set := map[string]*yaml.Node{}
			for k, f := range hr.Set {
				set[k] = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: f.Value, Line: f.Pos.Line, Column: f.Pos.Col}
			}
			layers = append(layers, helm.Layer{Doc: doc, Set: set})
		}
		obj := model.Object{Kind: "HelmRelease", Namespace: hr.Namespace, Name: hr.Name, Pos: hr.Pos}
		out = append(out, t.Release(hr.Name, hr.Namespace, chartRef, obj, cfg.Dir, layers))
	}
	return out, diags
}

// scanKustomizations scans the kustomizations among the inputs (nil when
// there are none): what the overlays read, and what must not be built.
func scanKustomizations(inputs []discover.Input, files *repoFiles, opts Options) (*kustomize.Tree, []model.Diagnostic) {
	var kfiles []string
	for _, in := range inputs {
		if slices.Contains(kustomize.FileNames, path.Base(in.Display)) {
			kfiles = append(kfiles, in.Display)
		}
	}
	if len(kfiles) == 0 {
		return nil, nil
	}
	kopts := kustomize.Options{MaxNodes: opts.Limits.MaxNodes}
	if opts.Config != nil {
		kopts.AllowRemote = opts.Config.Policy.Kustomize.AllowRemote
	}
	return kustomize.Scan(files, kfiles, kopts)
}

// statedComponents are the configuration's universal.components.
func statedComponents(cfg *config.Config) []universal.Stated {
	var out []universal.Stated
	for _, u := range cfg.Universal.Components {
		out = append(out, universal.Stated{Name: u.Name, Kind: u.Kind, Role: u.Role, Zone: u.Zone, Version: u.Version,
			Product: u.Product, Store: u.Store, Instances: u.Instances, Pos: u.Pos})
	}
	return out
}
