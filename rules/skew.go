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
