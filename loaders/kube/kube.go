// Package kube turns rendered Kubernetes manifests — what `helm template` and
// `kumactl install control-plane` print, and hand-written YAML — into
// components: control-plane Deployments with their HPA, PDB and Services, the
// data-plane images their injectors hand out, zone proxies and workloads that
// run kuma-dp themselves.
//
// Facts used here are from domain.md §3 (rendered objects and env names) and
// §1.2 (replicas, HPA, PDB).
package kube

import (
	"path"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/kumalint/kumalint/loaders/yamldoc"
	"github.com/kumalint/kumalint/model"
)

// object is one Kubernetes object of a document (or of a List's items).
type object struct {
	doc         yamldoc.Doc
	node        *yaml.Node
	kind        string
	name        string
	namespace   string
	labels      map[string]string
	annotations map[string]string
}

// ignoreAnnotation silences rules for the components of one object.
const ignoreAnnotation = "kumalint.io/ignore"

func (o *object) ref() model.Object {
	ref := model.Object{Kind: o.kind, Namespace: o.namespace, Name: o.name, Pos: o.doc.Pos(o.node)}
	if _, v := yamldoc.Get(yamldoc.Path(o.node, "metadata", "annotations"), ignoreAnnotation); v != nil {
		ref.Ignore = model.Stated(yamldoc.Str(v), o.doc.Pos(v))
	}
	return ref
}

func (o *object) unit() string { return path.Dir(o.doc.File) }

// workloadKinds maps a workload kind to the path of its pod spec. Control
// planes run only in long-lived controllers; Jobs are migrations at most.
var workloadKinds = map[string]struct {
	template []string
	longLive bool
	replicas bool
}{
	"Deployment":            {[]string{"spec", "template"}, true, true},
	"StatefulSet":           {[]string{"spec", "template"}, true, true},
	"ReplicaSet":            {[]string{"spec", "template"}, true, true},
	"ReplicationController": {[]string{"spec", "template"}, true, true},
	"DeploymentConfig":      {[]string{"spec", "template"}, true, true},
	"DaemonSet":             {[]string{"spec", "template"}, true, false},
	"Job":                   {[]string{"spec", "template"}, false, false},
	"CronJob":               {[]string{"spec", "jobTemplate", "spec", "template"}, false, false},
	"Pod":                   {nil, true, false},
}

// Load reads the Kubernetes objects in docs. Components from files in one
// directory form one unit: that is how `helm template --output-dir` and
// hand-kept manifests are laid out.
func Load(docs []yamldoc.Doc) ([]*model.Component, []model.Diagnostic) {
	var objs []*object
	for _, d := range docs {
		objs = collect(d, d.Root, objs, 0)
	}
	var (
		comps []*model.Component
		diags []model.Diagnostic
	)
	units := map[string][]*object{}
	var order []string
	for _, o := range objs {
		u := o.unit()
		if _, ok := units[u]; !ok {
			order = append(order, u)
		}
		units[u] = append(units[u], o)
	}
	sort.Strings(order)
	for _, u := range order {
		c, d := loadUnit(u, units[u])
		comps = append(comps, c...)
		diags = append(diags, d...)
	}
	return comps, diags
}

// collect gathers the objects of a document, unpacking kind: List.
func collect(d yamldoc.Doc, n *yaml.Node, out []*object, depth int) []*object {
	if n == nil || n.Kind != yaml.MappingNode || depth > 4 {
		return out
	}
	kind := yamldoc.Str(yamldoc.Path(n, "kind"))
	if kind == "" || yamldoc.Str(yamldoc.Path(n, "apiVersion")) == "" {
		return out
	}
	if strings.HasSuffix(kind, "List") {
		for _, item := range yamldoc.Items(yamldoc.Path(n, "items")) {
			out = collect(d, item, out, depth+1)
		}
		return out
	}
	md := yamldoc.Path(n, "metadata")
	return append(out, &object{
		doc:         d,
		node:        n,
		kind:        kind,
		name:        yamldoc.Str(yamldoc.Path(md, "name")),
		namespace:   yamldoc.Str(yamldoc.Path(md, "namespace")),
		labels:      yamldoc.StringMap(yamldoc.Path(md, "labels")),
		annotations: yamldoc.StringMap(yamldoc.Path(md, "annotations")),
	})
}

// container is the part of a pod's container kumalint reads.
type container struct {
	name  string
	image model.Field[model.Image]
	env   map[string]envVar
	args  []string
	init  bool
}

type envVar struct {
	value model.Field[string]
	// fromRef is set when the value comes from valueFrom and cannot be read.
	fromRef bool
}

func loadUnit(unit string, objs []*object) ([]*model.Component, []model.Diagnostic) {
	var (
		comps []*model.Component
		diags []model.Diagnostic
		cps   []*cpObject
	)
	var hpas, pdbs, services []*object
	for _, o := range objs {
		switch o.kind {
		case "HorizontalPodAutoscaler":
			hpas = append(hpas, o)
			continue
		case "PodDisruptionBudget":
			pdbs = append(pdbs, o)
			continue
		case "Service":
			services = append(services, o)
			continue
		}
		wk, ok := workloadKinds[o.kind]
		if !ok {
			continue
		}
		tmpl := o.node
		if wk.template != nil {
			tmpl = yamldoc.Path(o.node, wk.template...)
		}
		spec := yamldoc.Path(tmpl, "spec")
		podLabels := yamldoc.StringMap(yamldoc.Path(tmpl, "metadata", "labels"))
		podAnnotations := yamldoc.StringMap(yamldoc.Path(tmpl, "metadata", "annotations"))
		if o.kind == "Pod" {
			spec = yamldoc.Path(o.node, "spec")
			podLabels, podAnnotations = o.labels, o.annotations
		}
		ctrs := containers(o.doc, spec)
		if len(ctrs) == 0 {
			diags = append(diags, model.Diagnostic{
				Pos:     o.doc.Pos(o.node),
				Level:   model.LevelWarning,
				Message: o.kind + " " + o.name + " has no containers (spec.template.spec.containers is empty or missing): not a valid workload, skipped",
			})
			continue
		}
		for _, c := range ctrs {
			switch c.image.Value.Binary {
			case model.BinaryCP:
				if c.init || !wk.longLive {
					continue // `kuma-cp migrate up` in an init container or Job
				}
				cp := newCP(o, wk.replicas, c, podLabels)
				cps = append(cps, cp)
			case model.BinaryDP:
				comps = append(comps, newDP(o, c, podAnnotations))
			}
		}
	}
	for _, cp := range cps {
		cp.attachScaling(hpas)
		cp.attachBudget(pdbs)
		cp.attachServices(services)
		comps = append(comps, cp.comp)
		comps = append(comps, cp.injected...)
	}
	for _, c := range comps {
		c.Unit = unit
	}
	return comps, diags
}

func containers(d yamldoc.Doc, spec *yaml.Node) []container {
	var out []container
	for _, list := range []struct {
		key  string
		init bool
	}{{"initContainers", true}, {"containers", false}} {
		for _, cn := range yamldoc.Items(yamldoc.Path(spec, list.key)) {
			c := container{name: yamldoc.Str(yamldoc.Path(cn, "name")), init: list.init, env: map[string]envVar{}}
			// Native sidecars are init containers with restartPolicy Always.
			if list.init && yamldoc.Str(yamldoc.Path(cn, "restartPolicy")) == "Always" {
				c.init = false
			}
			if _, img := yamldoc.Get(cn, "image"); img != nil {
				c.image = model.Stated(model.ParseImage(yamldoc.Str(img)), d.Pos(img))
			}
			for _, e := range yamldoc.Items(yamldoc.Path(cn, "env")) {
				name := yamldoc.Str(yamldoc.Path(e, "name"))
				if name == "" {
					continue
				}
				if _, v := yamldoc.Get(e, "value"); v != nil {
					c.env[name] = envVar{value: model.Stated(yamldoc.Str(v), d.Pos(v))}
				} else if _, vf := yamldoc.Get(e, "valueFrom"); vf != nil {
					c.env[name] = envVar{value: model.Field[string]{Pos: d.Pos(vf)}, fromRef: true}
				}
			}
			for _, key := range []string{"command", "args"} {
				for _, a := range yamldoc.Items(yamldoc.Path(cn, key)) {
					c.args = append(c.args, yamldoc.Str(a))
				}
			}
			out = append(out, c)
		}
	}
	return out
}

// flag returns the value of --name=value or --name value in args.
func flag(args []string, name string) (string, bool) {
	for i, a := range args {
		if v, ok := strings.CutPrefix(a, "--"+name+"="); ok {
			return v, true
		}
		if a == "--"+name && i+1 < len(args) {
			return args[i+1], true
		}
	}
	return "", false
}

// productHint reads the product from an object's names and labels when the
// image is mirrored: the Kong Mesh chart sets nameOverride kong-mesh (domain.md §2.1).
func productHint(o *object, env map[string]envVar) model.Product {
	for name := range env {
		if strings.HasPrefix(name, model.KongMeshEnvPrefix) {
			return model.ProductKongMesh
		}
	}
	for _, s := range []string{o.name, o.labels["app.kubernetes.io/name"], o.labels["helm.sh/chart"], o.labels["app"]} {
		if strings.HasPrefix(s, "kong-mesh") {
			return model.ProductKongMesh
		}
	}
	for _, s := range []string{o.labels["app.kubernetes.io/name"], o.labels["helm.sh/chart"]} {
		if s == "kuma" || strings.HasPrefix(s, "kuma-") {
			return model.ProductKuma
		}
	}
	return model.ProductUnknown
}

func newDP(o *object, c container, podAnnotations map[string]string) *model.Component {
	dp := &model.Component{
		Kind:      model.KindDataPlane,
		Object:    o.ref(),
		Container: c.name,
		Image:     c.image,
		Product:   c.image.Value.Product,
		DPKind:    model.DPContainer,
	}
	proxyType := c.env[model.EnvDataplaneProxyType].value.Value
	if v, ok := flag(c.args, "proxy-type"); ok {
		proxyType = v
	}
	switch {
	case proxyType == "ingress" || podAnnotations["kuma.io/ingress"] == "enabled":
		dp.DPKind = model.DPIngress
	case proxyType == "egress" || podAnnotations["kuma.io/egress"] == "enabled":
		dp.DPKind = model.DPEgress
	}
	if e, ok := c.env[model.EnvControlPlaneURL]; ok && !e.fromRef {
		dp.CPAddress = e.value
	} else if v, ok := flag(c.args, "cp-address"); ok {
		dp.CPAddress = model.Stated(v, c.image.Pos)
	}
	if dp.Product == model.ProductUnknown {
		dp.Product = productHint(o, c.env)
	}
	return dp
}

// cpObject is a control plane being assembled from its workload and the
// objects around it.
type cpObject struct {
	obj       *object
	comp      *model.Component
	podLabels map[string]string
	injected  []*model.Component
}

func newCP(o *object, hasReplicas bool, c container, podLabels map[string]string) *cpObject {
	comp := &model.Component{
		Kind:      model.KindControlPlane,
		Object:    o.ref(),
		Container: c.name,
		Image:     c.image,
		Product:   c.image.Value.Product,
	}
	if comp.Product == model.ProductUnknown {
		comp.Product = productHint(o, c.env)
	}
	v := c.image.Value.Version
	str := func(names ...string) model.Field[string] {
		for _, n := range names {
			if e, ok := c.env[n]; ok && !e.fromRef {
				return e.value
			}
		}
		return model.Field[string]{}
	}
	mode := str(model.EnvMode)
	switch {
	case mode.Set:
		comp.Role = model.Stated(model.Role(mode.Value), mode.Pos)
	case v.Known() && (v.Major < 2 || (v.Major == 2 && v.Minor < 6)):
		// The default mode was standalone through 2.5 and zone from 2.6 (domain.md §1.1).
		comp.Role = model.Field[model.Role]{Value: model.RoleStandalone}
	default:
		comp.Role = model.Field[model.Role]{Value: model.RoleZone}
	}
	comp.Environment = str(model.EnvEnvironment)
	if !comp.Environment.Set {
		comp.Environment.Value = "kubernetes"
	}
	comp.StoreType = str(model.EnvStoreType)
	if !comp.StoreType.Set {
		comp.StoreType.Value = "kubernetes"
		if comp.Environment.Value == "universal" {
			comp.StoreType.Value = "memory" // kuma-cp's own default (domain.md §4.1)
		}
	}
	comp.Zone = str(model.EnvZoneName, model.EnvRemoteZone)
	comp.GlobalAddress = str(model.EnvGlobalAddress, model.EnvRemoteGlobalAddr)
	comp.Flags = experimentalFlags(c.env)

	spec := yamldoc.Path(o.node, "spec")
	switch {
	case hasReplicas:
		if k, r := yamldoc.Get(spec, "replicas"); k != nil {
			n, ok := yamldoc.Int(r)
			if !ok {
				n = -1 // templated or not a number: unknown
			}
			comp.Replicas = model.Stated(n, o.doc.Pos(r))
		} else {
			// Kubernetes defaults replicas to 1; the line to edit is spec:.
			specKey, _ := yamldoc.Get(o.node, "spec")
			pos := o.doc.Pos(specKey)
			if specKey == nil {
				pos = o.doc.Pos(o.node)
			}
			comp.Replicas = model.Field[int]{Value: 1, Pos: pos}
		}
	case o.kind == "Pod":
		comp.Replicas = model.Field[int]{Value: 1, Pos: o.doc.Pos(o.node)}
	default:
		comp.Replicas = model.Field[int]{Value: -1, Pos: o.doc.Pos(o.node)} // DaemonSet: one per node
	}

	cp := &cpObject{obj: o, comp: comp, podLabels: podLabels}
	if comp.Role.Value == model.RoleGlobal {
		// The chart renders the injector settings into a global CP too, but a
		// global CP serves no data planes.
		return cp
	}
	for _, inj := range []struct {
		env  string
		kind model.DataplaneKind
	}{{model.EnvSidecarImage, model.DPInjected}, {model.EnvInitImage, model.DPInit}} {
		e, ok := c.env[inj.env]
		if !ok || e.fromRef {
			continue
		}
		img := model.ParseImage(e.value.Value)
		cp.injected = append(cp.injected, &model.Component{
			Kind:      model.KindDataPlane,
			Object:    o.ref(),
			Container: inj.env,
			Image:     model.Stated(img, e.value.Pos),
			Product:   img.Product,
			DPKind:    inj.kind,
			Owner:     comp,
		})
	}
	return cp
}

// experimentalFlags collects the KUMA_EXPERIMENTAL_* settings, sorted by name
// (env is a map). Which of them matter is the policy's business.
func experimentalFlags(env map[string]envVar) []model.Flag {
	var out []model.Flag
	for name, e := range env {
		if strings.HasPrefix(name, model.EnvExperimentalPrefix) && !e.fromRef {
			out = append(out, model.Flag{Env: name, Value: e.value})
		}
	}
	slices.SortFunc(out, func(a, b model.Flag) int { return strings.Compare(a.Env, b.Env) })
	return out
}

func sameNamespace(a, b string) bool { return a == "" || b == "" || a == b }

func (cp *cpObject) attachScaling(hpas []*object) {
	for _, h := range hpas {
		ref := yamldoc.Path(h.node, "spec", "scaleTargetRef")
		if yamldoc.Str(yamldoc.Path(ref, "kind")) != cp.obj.kind || yamldoc.Str(yamldoc.Path(ref, "name")) != cp.obj.name || !sameNamespace(h.namespace, cp.obj.namespace) {
			continue
		}
		s := &model.Scaling{Object: h.ref()}
		spec := yamldoc.Path(h.node, "spec")
		if _, v := yamldoc.Get(spec, "minReplicas"); v != nil {
			n, _ := yamldoc.Int(v)
			s.Min = model.Stated(n, h.doc.Pos(v))
		} else {
			k, _ := yamldoc.Get(h.node, "spec")
			s.Min = model.Field[int]{Value: 1, Pos: h.doc.Pos(k)} // the API default
		}
		if _, v := yamldoc.Get(spec, "maxReplicas"); v != nil {
			n, _ := yamldoc.Int(v)
			s.Max = model.Stated(n, h.doc.Pos(v))
		}
		cp.comp.Scaling = s
		return
	}
}

func (cp *cpObject) attachBudget(pdbs []*object) {
	for _, p := range pdbs {
		if !sameNamespace(p.namespace, cp.obj.namespace) {
			continue
		}
		sel := yamldoc.Path(p.node, "spec", "selector")
		if !selects(sel, cp.podLabels) {
			continue
		}
		b := &model.Budget{Object: p.ref()}
		spec := yamldoc.Path(p.node, "spec")
		if _, v := yamldoc.Get(spec, "maxUnavailable"); v != nil {
			b.MaxUnavailable = model.Stated(yamldoc.Str(v), p.doc.Pos(v))
		}
		if _, v := yamldoc.Get(spec, "minAvailable"); v != nil {
			b.MinAvailable = model.Stated(yamldoc.Str(v), p.doc.Pos(v))
		}
		cp.comp.Budget = b
		return
	}
}

// selects reports whether a label selector matches labels. An empty selector
// selects nothing here: a PDB that covers every pod is not the CP's budget.
func selects(sel *yaml.Node, labels map[string]string) bool {
	ml := yamldoc.StringMap(yamldoc.Path(sel, "matchLabels"))
	exprs := yamldoc.Items(yamldoc.Path(sel, "matchExpressions"))
	if len(ml) == 0 && len(exprs) == 0 {
		return false
	}
	for k, v := range ml {
		if labels[k] != v {
			return false
		}
	}
	for _, e := range exprs {
		key := yamldoc.Str(yamldoc.Path(e, "key"))
		var values []string
		for _, v := range yamldoc.Items(yamldoc.Path(e, "values")) {
			values = append(values, yamldoc.Str(v))
		}
		val, has := labels[key]
		switch yamldoc.Str(yamldoc.Path(e, "operator")) {
		case "In":
			if !has || !contains(values, val) {
				return false
			}
		case "NotIn":
			if has && contains(values, val) {
				return false
			}
		case "Exists":
			if !has {
				return false
			}
		case "DoesNotExist":
			if has {
				return false
			}
		default:
			return false
		}
	}
	return true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// attachServices records the names the control plane answers to, so zones
// (globalAddress) and data planes (KUMA_CONTROL_PLANE_URL) can be joined to it.
func (cp *cpObject) attachServices(services []*object) {
	names := []string{cp.obj.name}
	for _, s := range services {
		if !sameNamespace(s.namespace, cp.obj.namespace) {
			continue
		}
		sel := yamldoc.StringMap(yamldoc.Path(s.node, "spec", "selector"))
		if len(sel) == 0 {
			continue
		}
		match := true
		for k, v := range sel {
			if cp.podLabels[k] != v {
				match = false
				break
			}
		}
		if !match {
			continue
		}
		names = append(names, s.name)
		if h := s.annotations["external-dns.alpha.kubernetes.io/hostname"]; h != "" {
			for _, part := range strings.Split(h, ",") {
				cp.comp.Addresses = append(cp.comp.Addresses, strings.TrimSpace(part))
			}
		}
		if ip := yamldoc.Str(yamldoc.Path(s.node, "spec", "loadBalancerIP")); ip != "" {
			cp.comp.Addresses = append(cp.comp.Addresses, ip)
		}
	}
	ns := cp.obj.namespace
	for _, n := range names {
		cp.comp.Addresses = append(cp.comp.Addresses, n)
		if ns != "" {
			cp.comp.Addresses = append(cp.comp.Addresses, n+"."+ns, n+"."+ns+".svc", n+"."+ns+".svc.cluster.local")
		}
	}
}
