// Package topology joins components into the version graph: each data plane
// to the control plane that serves it, each zone control plane to its global
// control plane. Components that no edge connects are separate environments
// and are never compared with each other.
//
// Joins, strongest first (design.md "Edges"): the injector (a CP's own
// sidecar image), a stated address (KUMA_CONTROL_PLANE_URL, a zone's
// globalAddress) naming a CP's service or host name, the only candidate in the
// linted set, and the candidate whose files are nearest in the directory tree.
// When the nearest is a tie, nothing is joined and a note says why.
package topology

import (
	"fmt"
	"net/url"
	"path"
	"sort"
	"strings"

	"github.com/kumalint/kumalint/model"
)

// Build assigns IDs, finds edges and environments, and settles the product of
// components whose images did not tell it.
func Build(comps []*model.Component) *model.Graph { return BuildWith(comps, nil) }

// BuildWith is Build with named environments: environmentOf names the
// environment of a report path (from .kumalint.yaml), or "". Components in
// differently named environments are never joined; components in the same
// one always belong together.
func BuildWith(comps []*model.Component, environmentOf func(file string) string) *model.Graph {
	g := &model.Graph{Components: comps}
	names := make([]string, len(comps))
	for i, c := range comps {
		c.ID = i
		if environmentOf != nil {
			src := c.Source
			if src == "" {
				src = c.Object.Pos.File
			}
			names[i] = environmentOf(src)
		}
	}
	// sameEnv keeps the candidates a component may join.
	sameEnv := func(c *model.Component, cands []*model.Component) []*model.Component {
		if names[c.ID] == "" {
			return cands
		}
		var out []*model.Component
		for _, cand := range cands {
			if n := names[cand.ID]; n == "" || n == names[c.ID] {
				out = append(out, cand)
			}
		}
		return out
	}
	var globals, servers []*model.Component // servers: CPs that serve data planes
	for _, c := range comps {
		if !c.IsCP() {
			continue
		}
		if c.Role.Value == model.RoleGlobal {
			globals = append(globals, c)
		} else {
			servers = append(servers, c)
		}
	}
	for _, c := range comps {
		switch {
		case c.IsCP() && c.Role.Value.IsZone() && c.GlobalAddress.Value != "":
			join(g, c, sameEnv(c, globals), model.EdgeZone, c.GlobalAddress.Value, "global control plane")
		case !c.IsCP() && c.Owner != nil:
			g.Edges = append(g.Edges, model.Edge{Kind: model.EdgeDataplane, From: c.ID, To: c.Owner.ID, Via: "injector of " + c.Owner.Object.Name})
		case !c.IsCP():
			join(g, c, sameEnv(c, servers), model.EdgeDataplane, c.CPAddress.Value, "control plane")
		}
	}
	releaseZoneProxies(g)
	g.Environments, g.EnvironmentNames = environments(g, names)
	settleProducts(g)
	return g
}

// releaseZoneProxies makes a zone ingress or egress deployed with its control
// plane (the same unit: rendered from the same chart) move with it. The chart
// gives zone proxies the data-plane image, whose tag defaults to the chart's
// appVersion like the control plane's (domain.md §1.3), so a chart upgrade
// moves both in one change, which is how they are meant to move.
func releaseZoneProxies(g *model.Graph) {
	for _, e := range g.Edges {
		c, cp := g.Components[e.From], g.Components[e.To]
		if e.Kind == model.EdgeDataplane && c.Owner == nil && (c.DPKind == model.DPIngress || c.DPKind == model.DPEgress) &&
			path.Clean(c.Unit) == path.Clean(cp.Unit) {
			c.Owner = cp
		}
	}
}

// join adds one edge from c to the candidate it names or is nearest to.
func join(g *model.Graph, c *model.Component, candidates []*model.Component, kind model.EdgeKind, address, what string) {
	if len(candidates) == 0 {
		return
	}
	if host := hostOf(address); host != "" {
		var named []*model.Component
		for _, cand := range candidates {
			if answersTo(cand, host) {
				named = append(named, cand)
			}
		}
		if len(named) == 1 {
			g.Edges = append(g.Edges, model.Edge{Kind: kind, From: c.ID, To: named[0].ID, Via: "address " + host})
			return
		}
		if len(named) > 1 {
			candidates = named
		}
	}
	if len(candidates) == 1 {
		g.Edges = append(g.Edges, model.Edge{Kind: kind, From: c.ID, To: candidates[0].ID, Via: "only " + what + " linted"})
		return
	}
	best, bestScore, tie := -1, -1, false
	for i, cand := range candidates {
		s := commonDirs(c.Unit, cand.Unit)
		switch {
		case s > bestScore:
			best, bestScore, tie = i, s, false
		case s == bestScore:
			tie = true
		}
	}
	if tie {
		names := make([]string, 0, len(candidates))
		for _, cand := range candidates {
			names = append(names, cand.Object.Name+" ("+cand.Unit+")")
		}
		sort.Strings(names)
		g.Notes = append(g.Notes, model.Diagnostic{
			Pos:   c.Image.Pos,
			Level: model.LevelWarning,
			Message: fmt.Sprintf("%s could not be matched to a %s: %d are equally near (%s); it was not compared with any. Name one in its address or group them with environments in .kumalint.yaml",
				c.Describe(), what, len(candidates), strings.Join(names, ", ")),
		})
		return
	}
	g.Edges = append(g.Edges, model.Edge{Kind: kind, From: c.ID, To: candidates[best].ID, Via: "nearest directory"})
}

// hostOf extracts the host from grpcs://host:5685, https://host:5678 or host:port.
func hostOf(address string) string {
	a := strings.TrimSpace(address)
	if a == "" {
		return ""
	}
	if !strings.Contains(a, "://") {
		a = "//" + a
	}
	u, err := url.Parse(a)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Hostname())
}

func answersTo(c *model.Component, host string) bool {
	for _, a := range c.Addresses {
		if strings.EqualFold(a, host) {
			return true
		}
	}
	return false
}

// commonDirs counts the leading directory names two units share.
func commonDirs(a, b string) int {
	as := strings.Split(path.Clean(a), "/")
	bs := strings.Split(path.Clean(b), "/")
	n := 0
	for n < len(as) && n < len(bs) && as[n] == bs[n] {
		n++
	}
	return n
}

// environments partitions the components into connected parts of the graph,
// with components of one named environment in one part, and names the parts.
func environments(g *model.Graph, names []string) ([][]int, []string) {
	parent := make([]int, len(g.Components))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	union := func(x, y int) {
		a, b := find(x), find(y)
		if a != b {
			if a < b {
				parent[b] = a
			} else {
				parent[a] = b
			}
		}
	}
	for _, e := range g.Edges {
		union(e.From, e.To)
	}
	firstOf := map[string]int{}
	for i, n := range names {
		if n == "" {
			continue
		}
		if j, ok := firstOf[n]; ok {
			union(i, j)
		} else {
			firstOf[n] = i
		}
	}
	byRoot := map[int][]int{}
	var roots []int
	for i := range g.Components {
		r := find(i)
		if _, ok := byRoot[r]; !ok {
			roots = append(roots, r)
		}
		byRoot[r] = append(byRoot[r], i)
	}
	sort.Ints(roots)
	out := make([][]int, 0, len(roots))
	var outNames []string
	for _, r := range roots {
		out = append(out, byRoot[r])
		name := ""
		for _, id := range byRoot[r] {
			switch n := names[id]; {
			case n == "" || n == name:
			case name == "":
				name = n
			default:
				g.Notes = append(g.Notes, model.Diagnostic{
					Pos:   g.Components[id].Object.Pos,
					Level: model.LevelWarning,
					Message: fmt.Sprintf("environments %q and %q are joined through components that no environment in .kumalint.yaml names; "+
						"add their paths to one of them", name, n),
				})
			}
		}
		outNames = append(outNames, name)
	}
	return out, outNames
}

// settleProducts gives a component whose image is mirrored the product of the
// environment it belongs to, when that environment names exactly one.
func settleProducts(g *model.Graph) {
	for _, env := range g.Environments {
		known := map[model.Product]bool{}
		for _, id := range env {
			if p := g.Components[id].Product; p != model.ProductUnknown {
				known[p] = true
			}
		}
		if len(known) != 1 {
			continue
		}
		var p model.Product
		for k := range known {
			p = k
		}
		for _, id := range env {
			if g.Components[id].Product == model.ProductUnknown {
				g.Components[id].Product = p
			}
		}
	}
}

// Match pairs the components of a graph with those of the same deployment at
// an earlier revision, for PR mode. It returns, per component ID of after, the
// matching component of before (nil for a new component). Components match by
// their full identity first; what is left matches on the identity without the
// directory (role, zone, object and container), when that is unique on both
// sides, so that moving a file does not read as removing and adding a
// component.
func Match(before, after *model.Graph) []*model.Component {
	out := make([]*model.Component, len(after.Components))
	if before == nil {
		return out
	}
	byIdentity := map[string]*model.Component{}
	for _, c := range before.Components {
		byIdentity[c.Identity()] = c
	}
	used := map[*model.Component]bool{}
	for i, c := range after.Components {
		if b, ok := byIdentity[c.Identity()]; ok {
			out[i], used[b] = b, true
		}
	}
	loose := func(comps []*model.Component, skip func(int, *model.Component) bool) map[string][]*model.Component {
		m := map[string][]*model.Component{}
		for i, c := range comps {
			if !skip(i, c) {
				k := c.LooseIdentity()
				m[k] = append(m[k], c)
			}
		}
		return m
	}
	left := loose(before.Components, func(_ int, c *model.Component) bool { return used[c] })
	right := loose(after.Components, func(i int, _ *model.Component) bool { return out[i] != nil })
	for k, cs := range right {
		if bs := left[k]; len(cs) == 1 && len(bs) == 1 {
			out[cs[0].ID] = bs[0]
		}
	}
	return out
}
