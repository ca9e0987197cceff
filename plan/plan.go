// Package plan computes the upgrade steps from a deployment's version graph to
// a target version that the upgrade policy allows: the global control plane
// first, then zones, then data planes that pin their own kuma-dp, each step at
// most two release lines, and every major entered through its entry line
// (domain.md §0).
package plan

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/kumalint/kumalint/model"
	"github.com/kumalint/kumalint/policy"
)

// Tier is a level of the upgrade order.
type Tier int

// Tiers, in the order they are upgraded.
const (
	TierGlobal Tier = iota
	TierZone
	TierDataplane
)

func (t Tier) String() string {
	return [...]string{"global control plane", "zone control planes", "data planes with their own kuma-dp"}[t]
}

// Move is one setting to change in a step.
type Move struct {
	Component *model.Component
	From, To  string // versions
	// Followers are injector images (sidecar, init) that move with this
	// control plane in the same change.
	Followers []Move
}

// Step is one change: the moves of one tier, rolled out before the next step.
type Step struct {
	Tier  Tier
	Line  string // the release line the tier moves to
	Moves []Move
}

// Plan is the way of one deployment (environment) to the target.
type Plan struct {
	Product model.Product
	Target  string // the target version as asked, "2.13" or "2.13.1"
	// Root names the deployment: its top component.
	Root  *model.Component
	Steps []Step
	// Skipped lists components the plan leaves alone, with the reason.
	Skipped []string
}

// ErrNoDeployment is returned when the graph has no control plane.
var ErrNoDeployment = errors.New("no Kuma or Kong Mesh control plane found")

// node is a component being planned, with its position on the train.
type node struct {
	c       *model.Component
	tier    Tier
	pos     int
	ver     string
	upper   *node
	lowers  []*node
	follows []*follower
}

// follower is an injector image and the version it is at in the plan.
type follower struct {
	c   *model.Component
	ver string
}

// Make plans every environment of g to target. A nil pol is the embedded
// release table.
func Make(g *model.Graph, pol *policy.Policy, target model.Version) ([]*Plan, error) {
	if pol == nil {
		pol = policy.Default()
	}
	if target.State != model.VersionExact && !lineOnly(target) {
		return nil, fmt.Errorf("--to %q: want a release version such as 2.13 or 2.13.1", target.Raw)
	}
	var plans []*Plan
	for _, env := range g.Environments {
		if p := makeOne(g, pol, env, target); p != nil {
			plans = append(plans, p)
		}
	}
	if len(plans) == 0 {
		return nil, ErrNoDeployment
	}
	return plans, nil
}

// lineOnly reports whether v is a bare MAJOR.MINOR, which ParseVersion calls
// floating (an image tag like that floats; a plan target does not).
func lineOnly(v model.Version) bool {
	return v.State == model.VersionFloating && strings.Count(strings.TrimPrefix(v.Raw, "v"), ".") == 1
}

func tierOf(c *model.Component) (Tier, bool) {
	switch {
	case c.IsCP() && c.Role.Value == model.RoleGlobal:
		return TierGlobal, true
	case c.IsCP():
		return TierZone, true
	case c.Owner == nil:
		return TierDataplane, true
	}
	return 0, false // an injector image: moves with its control plane
}

func makeOne(g *model.Graph, pol *policy.Policy, env []int, target model.Version) *Plan {
	p := &Plan{Target: strings.TrimPrefix(target.Raw, "v")}
	nodes := map[int]*node{}
	var order []*node
	for _, id := range env {
		c := g.Components[id]
		if c.IsCP() && (p.Root == nil || c.Role.Value == model.RoleGlobal && p.Root.Role.Value != model.RoleGlobal) {
			p.Root = c
		}
		if c.Product != model.ProductUnknown && p.Product == model.ProductUnknown {
			p.Product = c.Product
		}
	}
	if p.Root == nil {
		return nil
	}
	train := pol.Train(p.Product)
	if _, ok := train.Lookup(target); !ok {
		p.Skipped = append(p.Skipped, fmt.Sprintf("%s %s is not a release line kumalint knows (its table ends at %s)", p.Product.Title(), target.Line(), train.Newest().Name()))
		return p
	}
	tpos := train.Position(target.Major, target.Minor)
	for _, id := range env {
		c := g.Components[id]
		t, ok := tierOf(c)
		if !ok {
			continue
		}
		if !c.Version().Known() {
			p.Skipped = append(p.Skipped, fmt.Sprintf("%s: version %q is not a release, so it cannot be planned", c.Describe(), c.Image.Value.Version.Raw))
			continue
		}
		n := &node{c: c, tier: t, pos: train.Position(c.Version().Major, c.Version().Minor), ver: c.Version().String()}
		if n.pos > tpos {
			p.Skipped = append(p.Skipped, fmt.Sprintf("%s runs %s, already past %s", c.Describe(), n.ver, target.Line()))
			continue
		}
		nodes[id] = n
		order = append(order, n)
	}
	for _, id := range env {
		c := g.Components[id]
		if c.Owner != nil {
			if n, ok := nodes[c.Owner.ID]; ok {
				n.follows = append(n.follows, &follower{c, c.Version().String()})
			}
		}
	}
	for _, e := range g.Edges {
		lo, up := nodes[e.From], nodes[e.To]
		if lo != nil && up != nil {
			lo.upper = up
			up.lowers = append(up.lowers, lo)
		}
	}
	for {
		progressed := false
		for _, tier := range []Tier{TierGlobal, TierZone, TierDataplane} {
			if st, ok := step(pol, p.Product, order, tier, tpos, target); ok {
				p.Steps = append(p.Steps, st)
				progressed = true
			}
		}
		if !progressed {
			break
		}
	}
	for _, n := range order {
		if n.pos < tpos {
			p.Skipped = append(p.Skipped, fmt.Sprintf("%s stays at %s: no step the policy allows reaches %s", n.c.Describe(), n.ver, target.Line()))
		}
	}
	return p
}

// step moves every component of tier as far towards target as the policy
// allows now: at most MaxSkew lines from where it is, never past its upper
// tier, and never so far that a lower tier falls out of its window.
func step(pol *policy.Policy, prod model.Product, order []*node, tier Tier, tpos int, target model.Version) (Step, bool) {
	train := pol.Train(prod)
	st := Step{Tier: tier}
	for _, n := range order {
		if n.tier != tier || n.pos >= tpos {
			continue
		}
		best := -1
		for cand := min(tpos, n.pos+pol.MaxSkew); cand > n.pos; cand-- {
			if n.upper != nil && cand > n.upper.pos {
				continue
			}
			v := versionAt(train, cand, target, tpos)
			w := pol.Window(prod, v)
			if !pol.Contains(prod, w, n.c.Version()) {
				continue
			}
			if slices.ContainsFunc(n.lowers, func(l *node) bool { return !pol.Contains(prod, w, l.c.Version()) }) {
				continue
			}
			best = cand
			break
		}
		if best < 0 {
			continue
		}
		v := versionAt(train, best, target, tpos)
		to := release(train, v, best == tpos, target)
		m := Move{Component: n.c, From: n.ver, To: to}
		for _, f := range n.follows {
			m.Followers = append(m.Followers, Move{Component: f.c, From: f.ver, To: to})
			f.ver = to
		}
		st.Moves = append(st.Moves, m)
		st.Line = v.Line()
		n.pos, n.ver = best, to
		n.c = moved(n.c, v)
	}
	return st, len(st.Moves) > 0
}

// versionAt is the version at a train position; the target itself at its own.
func versionAt(t *policy.Train, pos int, target model.Version, tpos int) model.Version {
	if pos == tpos {
		return model.Version{Major: target.Major, Minor: target.Minor, State: model.VersionExact}
	}
	return model.ParseVersion(t.LineName(pos) + ".0")
}

// release names the version to set on a line: the target as asked, else the
// line's newest known patch, else "2.11.x".
func release(t *policy.Train, v model.Version, isTarget bool, target model.Version) string {
	if isTarget && target.State == model.VersionExact {
		return target.String()
	}
	if l, ok := t.Lookup(v); ok && l.Latest >= 0 {
		return fmt.Sprintf("%s.%d", v.Line(), l.Latest)
	}
	return v.Line() + ".x"
}

// moved is a copy of c at version v, so later steps measure from there.
func moved(c *model.Component, v model.Version) *model.Component {
	cp := *c
	img := cp.Image.Value
	img.Version = model.Version{Major: v.Major, Minor: v.Minor, State: model.VersionExact}
	cp.Image.Value = img
	return &cp
}
