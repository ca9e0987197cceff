package helm

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/kumalint/kumalint/loaders/yamldoc"
	"github.com/kumalint/kumalint/model"
)

// experimentalKeys maps the chart's experimental.* values to the env they
// render (domain.md §1.6).
var experimentalKeys = map[string]string{
	"deltaKds":            "KUMA_EXPERIMENTAL_KDS_DELTA_ENABLED",
	"sidecarContainers":   "KUMA_EXPERIMENTAL_SIDECAR_CONTAINERS",
	"inboundTagsDisabled": "KUMA_EXPERIMENTAL_INBOUND_TAGS_DISABLED",
	"deltaXds":            "KUMA_EXPERIMENTAL_DELTA_XDS",
	"gatewayAPI":          "KUMA_EXPERIMENTAL_GATEWAY_API",
}

// Evaluate turns a release into components the way the chart would render
// them: the control plane, its injector images and the zone proxies it
// deploys. Every attribute keeps the position of the values key that set it,
// or, for a chart default, of the line that pins the chart version.
func Evaluate(r *Release) []*model.Component {
	app, appPos := r.appVersion()
	appV := model.ParseVersion(app)
	def := defaultsOf(r.ChartName, appV)
	name := def.name
	if n := r.str("nameOverride"); n.Value != "" {
		name = n.Value
	}

	cp := &model.Component{
		Kind:      model.KindControlPlane,
		Object:    r.Object,
		Container: "control-plane",
		Unit:      r.Unit,
		Chart: &model.ChartFacts{
			Name: r.ChartName, Version: r.Version, AppVersion: app,
			GlobalImageTag: r.str("global", "image", "tag"),
		},
	}
	globalReg := r.str("global", "image", "registry")
	cp.Chart.DefaultRegistry = !globalReg.Set || globalReg.Value == def.registry
	cp.Image = r.image(def, app, appPos, []string{"controlPlane", "image"}, "kuma-cp")
	cp.Product = r.product(cp.Image.Value)
	env := r.envVars()

	// Mode: envVars win over controlPlane.mode (sprig merge, domain.md §1.5).
	mode := r.str("controlPlane", "mode")
	if e, ok := env[model.EnvMode]; ok {
		mode = e
	}
	switch {
	case mode.Value != "":
		cp.Role = model.Field[model.Role]{Value: model.Role(mode.Value), Pos: mode.Pos, Set: mode.Set}
	case appV.Known() && (appV.Major < 2 || appV.Major == 2 && appV.Minor < 6):
		cp.Role = model.Field[model.Role]{Value: model.RoleStandalone, Pos: r.anchor()}
	default:
		cp.Role = model.Field[model.Role]{Value: model.RoleZone, Pos: r.anchor()}
	}
	cp.Zone = r.str("controlPlane", "zone")
	cp.GlobalAddress = r.str("controlPlane", "kdsGlobalAddress")
	cp.Environment = r.str("controlPlane", "environment")
	if cp.Environment.Value == "" {
		cp.Environment.Value = "kubernetes"
	}
	cp.StoreType.Value = "kubernetes"
	if cp.Environment.Value == "universal" {
		cp.StoreType = model.Field[string]{Value: "postgres", Pos: cp.Environment.Pos, Set: true}
	}

	r.scaling(cp, name)
	cp.Flags = r.flags(env)
	cp.Addresses = r.addresses(name)
	cp.Chart.Unknown = r.unknownKeys()
	if cp.Role.Value.IsZone() && cp.Environment.Value == "universal" {
		for _, proxy := range []string{"ingress", "egress"} {
			if e := r.str(proxy, "enabled"); e.Value == "true" {
				cp.Chart.ZoneProxyOnUniversal = e
			}
		}
	}

	comps := []*model.Component{cp}
	if cp.Role.Value == model.RoleGlobal {
		return comps // a global CP serves no data planes
	}
	sidecar := r.image(def, app, appPos, []string{"dataPlane", "image"}, "kuma-dp")
	if e, ok := env[model.EnvSidecarImage]; ok {
		sidecar = model.Field[model.Image]{Value: model.ParseImage(e.Value), Pos: e.Pos, Set: true}
	}
	initImg := r.image(def, app, appPos, []string{"dataPlane", "initImage"}, "kuma-init")
	if e, ok := env[model.EnvInitImage]; ok {
		initImg = model.Field[model.Image]{Value: model.ParseImage(e.Value), Pos: e.Pos, Set: true}
	}
	for _, dp := range []struct {
		kind      model.DataplaneKind
		img       model.Field[model.Image]
		container string
	}{{model.DPInjected, sidecar, model.EnvSidecarImage}, {model.DPInit, initImg, model.EnvInitImage}} {
		comps = append(comps, &model.Component{
			Kind: model.KindDataPlane, DPKind: dp.kind, Object: r.Object, Container: dp.container,
			Image: dp.img, Product: r.product(dp.img.Value), Owner: cp, Unit: r.Unit,
		})
	}
	// Zone proxies run the data-plane image (domain.md §1.3).
	for _, p := range []struct {
		key  string
		kind model.DataplaneKind
	}{{"ingress", model.DPIngress}, {"egress", model.DPEgress}} {
		if r.str(p.key, "enabled").Value != "true" {
			continue
		}
		obj := r.Object
		obj.Name = r.Object.Name + "/" + p.key
		comps = append(comps, &model.Component{
			Kind: model.KindDataPlane, DPKind: p.kind, Object: obj, Container: p.key,
			Image: sidecar, Product: r.product(sidecar.Value), Owner: cp, Unit: r.Unit,
		})
	}
	return comps
}

// appVersion is what the chart deploys and where that is decided: the chart
// in the repository, else the pinned chart version.
func (r *Release) appVersion() (string, model.Pos) {
	if r.AppVersion.Value != "" {
		return r.AppVersion.Value, r.AppVersion.Pos
	}
	if app, ok := appVersion(r.ChartName, r.Version.Value); ok {
		return app, r.Version.Pos
	}
	pos := r.Version.Pos
	if !r.Version.Set {
		pos = r.ChartRef.Pos
	}
	return r.Version.Value, pos // unknown or floating: the version rules say so
}

// image builds a component image the way kuma.formatImage does:
// <block>.registry or global.image.registry, <block>.repository, and
// <block>.tag, else global.image.tag, else the chart's appVersion
// (domain.md §1.3).
func (r *Release) image(def chartDefaults, app string, appPos model.Pos, block []string, repo string) model.Field[model.Image] {
	at := func(k string) []string { return append(slices.Clone(block), k) }
	registry := r.str(at("registry")...)
	if registry.Value == "" {
		registry = r.str("global", "image", "registry")
	}
	if registry.Value == "" {
		registry.Value = def.registry
	}
	if rp := r.str(at("repository")...); rp.Value != "" {
		repo = rp.Value
	}
	tag := r.str(at("tag")...)
	if tag.Value == "" {
		tag = r.str("global", "image", "tag")
	}
	if tag.Value == "" {
		tag = model.Field[string]{Value: app, Pos: appPos}
	}
	ref := registry.Value + "/" + repo
	if tag.Value != "" {
		ref += ":" + tag.Value
	}
	img := model.ParseImage(ref)
	if tag.Value == "" {
		// No chart version and no tag: the release floats with the chart.
		img.Version = model.ParseVersion("")
	}
	return model.Field[model.Image]{Value: img, Pos: tag.Pos, Set: tag.Set}
}

// product is the release's product unless the image says otherwise (a Kuma
// sidecar pinned in a Kong Mesh release is mixed-product's finding).
func (r *Release) product(img model.Image) model.Product {
	if img.Product != model.ProductUnknown {
		return img.Product
	}
	return r.Product
}

// envVars reads controlPlane.envVars with each value's position. Helm merges
// maps across values layers, so every layer contributes, higher ones
// winning; a null removes a variable.
func (r *Release) envVars() map[string]model.Field[string] {
	out := map[string]model.Field[string]{}
	for i := range r.Layers {
		l := &r.Layers[i]
		if l.Set != nil {
			prefix := strings.Join(append(append([]string{}, l.Prefix...), "controlPlane", "envVars"), ".") + "."
			for k, val := range l.Set {
				if name, ok := strings.CutPrefix(k, prefix); ok {
					out[name] = model.Stated(val.Value, l.Doc.Pos(val))
				}
			}
			continue
		}
		v := l.Root
		for _, k := range append(append([]string{}, l.Prefix...), "controlPlane", "envVars") {
			_, v = yamldoc.Get(v, k)
		}
		if v == nil || v.Kind != yaml.MappingNode {
			continue
		}
		for j := 0; j+1 < len(v.Content); j += 2 {
			name, val := v.Content[j].Value, v.Content[j+1]
			if val.Tag == "!!null" {
				delete(out, name)
				continue
			}
			f := model.Stated(yamldoc.Str(val), l.Doc.Pos(val))
			f.Set = !l.Chart
			out[name] = f
		}
	}
	return out
}

// scaling sets replicas, the autoscaler and the disruption budget
// (domain.md §1.2).
func (r *Release) scaling(cp *model.Component, name string) {
	if r.str("controlPlane", "autoscaling", "enabled").Value == "true" {
		s := &model.Scaling{Object: model.Object{Kind: "HorizontalPodAutoscaler", Namespace: r.Namespace, Name: name + "-control-plane"}}
		s.Min = r.intAt(2, "controlPlane", "autoscaling", "minReplicas")
		s.Max = r.intAt(5, "controlPlane", "autoscaling", "maxReplicas")
		cp.Scaling = s
	}
	cp.Replicas = r.intAt(1, "controlPlane", "replicas")
	if r.str("controlPlane", "podDisruptionBudget", "enabled").Value == "true" {
		mu := r.str("controlPlane", "podDisruptionBudget", "maxUnavailable")
		if mu.Value == "" {
			mu = model.Field[string]{Value: "1", Pos: r.keyPos("controlPlane", "podDisruptionBudget", "enabled"), Set: true}
		}
		cp.Budget = &model.Budget{
			Object:         model.Object{Kind: "PodDisruptionBudget", Namespace: r.Namespace, Name: name + "-control-plane", Pos: r.keyPos("controlPlane", "podDisruptionBudget")},
			MaxUnavailable: mu,
		}
	}
}

// intAt reads an integer, with the chart default def where unset: the
// position is then where the key would go.
func (r *Release) intAt(def int, path ...string) model.Field[int] {
	f := r.str(path...)
	if f.Value == "" {
		return model.Field[int]{Value: def, Pos: r.keyPos(path[:len(path)-1]...)}
	}
	var n int
	if _, err := fmt.Sscanf(f.Value, "%d", &n); err != nil {
		n = -1 // templated or not a number: unknown
	}
	return model.Field[int]{Value: n, Pos: f.Pos, Set: f.Set}
}

// flags are the experimental settings: experimental.* values and
// KUMA_EXPERIMENTAL_* envVars (which win), sorted by name.
func (r *Release) flags(env map[string]model.Field[string]) []model.Flag {
	byEnv := map[string]model.Field[string]{}
	for key, envName := range experimentalKeys {
		if f := r.str("experimental", key); f.Value != "" && f.Set {
			byEnv[envName] = f
		}
	}
	for name, f := range env {
		if strings.HasPrefix(name, model.EnvExperimentalPrefix) {
			byEnv[name] = f
		}
	}
	out := make([]model.Flag, 0, len(byEnv))
	for name, f := range byEnv {
		out = append(out, model.Flag{Env: name, Value: f})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Env < out[j].Env })
	return out
}

// addresses are the Service names the chart gives the control plane.
func (r *Release) addresses(name string) []string {
	svc := name + "-control-plane"
	if s := r.str("controlPlane", "service", "name"); s.Value != "" {
		svc = s.Value
	}
	var out []string
	for _, host := range []string{svc, name + "-global-zone-sync"} {
		out = append(out, host)
		if r.Namespace != "" {
			out = append(out, host+"."+r.Namespace, host+"."+r.Namespace+".svc", host+"."+r.Namespace+".svc.cluster.local")
		}
	}
	return out
}
