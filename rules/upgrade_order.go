package rules

import (
	"fmt"

	"github.com/kumalint/kumalint/model"
)

// UpgradeOrder reports a change that upgrades two tiers at once or a lower tier
// before its upper tier. Policy: "Multizone: global CP first, then zone CPs,
// then DPs"; "Single zone: CP first, then DPs" (domain.md §0).
var UpgradeOrder = &Rule{
	ID:    "upgrade-order",
	Level: model.LevelError,
	Short: "One change upgrades two tiers at once, or a lower tier before its upper tier (PR mode).",
	Full: "Kuma and Kong Mesh are upgraded one tier at a time: the global control plane first, then the zone " +
		"control planes, then the data planes. Each tier must run its new version before the tier below moves, " +
		"so a change that upgrades a global together with its zones (or a control plane together with data " +
		"planes that pin their own kuma-dp) rolls out in no guaranteed order. The injector's sidecar image moving " +
		"with its own control plane is the documented way to upgrade sidecars and is not reported. This rule " +
		"needs lint --base; without it, zone-ahead and dataplane-ahead report a lower tier ahead of its upper tier.",
	Remediation: "Split the change: upgrade the upper tier in one change and roll it out, then the tier below in " +
		"the next.",
	Run: runUpgradeOrder,
}

func runUpgradeOrder(p *Pass) {
	if p.Before == nil {
		return
	}
	for _, e := range p.Graph.Edges {
		lower, upper := p.Graph.Components[e.From], p.Graph.Components[e.To]
		lb, ld, ok := p.moved(lower)
		if !ok || ld <= 0 {
			continue
		}
		tier := "global control plane"
		if e.Kind == model.EdgeDataplane {
			tier = "control plane"
		}
		ub, ud, uok := p.moved(upper)
		switch {
		case uok && ud > 0 && lower.Owner != upper:
			p.Report(model.Finding{
				Pos: lower.Image.Pos,
				Message: fmt.Sprintf("%s moves from %s to %s in the same change as its %s %s (%s to %s); one change may upgrade one tier",
					lower.Describe(), lb.Version(), lower.Version(), tier, upper.Object.Name, ub.Version(), upper.Version()),
				Fix: fmt.Sprintf("keep %s at %s in this change and upgrade it in a follow-up change, after the %s runs %s",
					lower.Setting(), lb.Version(), tier, upper.Version()),
				Related: []model.Related{{Pos: upper.Image.Pos, Message: upper.Describe() + ": " + imageLabel(upper)}},
				Key:     p.key(lower, upper),
				Degree:  ld,
			})
		case comparable(lower, upper) && p.Policy.Distance(product(lower, upper), lower.Version(), upper.Version()) < 0:
			ahead := -p.Policy.Distance(product(lower, upper), lower.Version(), upper.Version())
			p.Report(model.Finding{
				Pos: lower.Image.Pos,
				Message: fmt.Sprintf("%s moves from %s to %s while its %s %s runs %s, %s behind; the %s is upgraded first",
					lower.Describe(), lb.Version(), lower.Version(), tier, upper.Object.Name, upper.Version(), lines(ahead), tier),
				Fix: fmt.Sprintf("upgrade the %s to %s in its own change first%s, then this one; or keep %s at %s",
					tier, lower.Version().Line(), steps(ahead, p.Policy.MaxSkew), lower.Setting(), lb.Version()),
				Related: []model.Related{{Pos: upper.Image.Pos, Message: upper.Describe() + ": " + imageLabel(upper)}},
				Key:     p.key(lower, upper),
				Degree:  ahead,
			})
		}
	}
}
