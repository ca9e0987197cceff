package rules

import (
	"github.com/kumalint/kumalint/model"
	"github.com/kumalint/kumalint/policy"
)

// tierPair is a lower tier and the upper tier it must stay close to.
type tierPair struct {
	lower, upper *model.Component
	edge         model.Edge
	prod         model.Product
	// behind is how many release lines lower is behind upper (negative: ahead).
	behind int
	window policy.Window
}

// pairs lists the comparable pairs joined by edges of kind.
func pairs(p *Pass, kind model.EdgeKind) []tierPair {
	var out []tierPair
	for _, e := range p.Graph.Edges {
		if e.Kind != kind {
			continue
		}
		lower, upper := p.Graph.Components[e.From], p.Graph.Components[e.To]
		if !comparable(lower, upper) {
			continue
		}
		prod := product(lower, upper)
		out = append(out, tierPair{
			lower:  lower,
			upper:  upper,
			edge:   e,
			prod:   prod,
			behind: p.Policy.Distance(prod, lower.Version(), upper.Version()),
			window: p.Policy.Window(prod, upper.Version()),
		})
	}
	return out
}

// tooOld reports whether the lower tier is outside the window.
func (tp tierPair) tooOld(pol *policy.Policy) bool {
	return tp.behind > 0 && !pol.Contains(tp.prod, tp.window, tp.lower.Version())
}

func (tp tierPair) related() []model.Related {
	return []model.Related{{Pos: tp.upper.Image.Pos, Message: tp.upper.Describe() + ": " + imageLabel(tp.upper)}}
}

// moved returns c as it was at the base revision and how many release lines
// it moved up since (negative: down). ok is false without a base, for a new
// component, or when either version cannot be measured.
func (p *Pass) moved(c *model.Component) (from *model.Component, lines int, ok bool) {
	b := p.Prior(c)
	if b == nil || !comparable(b, c) || (b.Product != c.Product && b.Product != model.ProductUnknown && c.Product != model.ProductUnknown) {
		return nil, 0, false
	}
	return b, p.Policy.Distance(product(b, c), b.Version(), c.Version()), true
}

// upgradedPast reports whether this change moved the lower tier up and left it
// ahead of its upper tier. upgrade-order reports that; the -ahead rules then
// stay quiet so the same line gets one finding.
func (p *Pass) upgradedPast(tp tierPair) bool {
	_, d, ok := p.moved(tp.lower)
	return ok && d > 0 && tp.behind < 0
}

// followsOwner reports whether c is an injector image whose control plane
// moved the same way in this change (up when dir > 0, down when dir < 0):
// the finding belongs on the control plane.
func (p *Pass) followsOwner(c *model.Component, dir int) bool {
	if c.Owner == nil {
		return false
	}
	_, d, ok := p.moved(c.Owner)
	if !ok {
		return false
	}
	if d == 0 {
		b := p.Prior(c.Owner)
		d = c.Owner.Version().Compare(b.Version())
	}
	return d*dir > 0
}
