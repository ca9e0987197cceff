package rules

import (
	"fmt"

	"github.com/kumalint/kumalint/model"
)

// UpgradeJump reports a component that one change moves more than two release
// lines. Policy: "you can upgrade at most two minor versions at a time"
// (domain.md §0), and every path into 3.x passes through 2.14 (the
// kuma-migrator migration paths, domain.md §0).
var UpgradeJump = &Rule{
	ID:    "upgrade-jump",
	Level: model.LevelError,
	Short: "One change moves a component more than two release lines (PR mode).",
	Full: "Starting with 1.4, Kuma and Kong Mesh support upgrades of at most two minor versions at a time: 1.4 to " +
		"1.6 is supported, 1.2 to 1.6 is not and goes through 1.4. The store and the protocols between the tiers " +
		"are only compatible within that window, so a longer jump can leave a control plane unable to read its " +
		"own data. Every supported path into 3.x passes through the last 2.x line, 2.14. This rule needs " +
		"lint --base: it compares each component with itself at the base revision.",
	Remediation: "Upgrade in steps of at most two release lines, one change per step, each rolled out before the " +
		"next; kumalint plan --to VERSION lists the steps.",
	Run: runUpgradeJump,
}

func runUpgradeJump(p *Pass) {
	if p.Before == nil {
		return
	}
	for _, c := range p.Graph.Components {
		b, d, ok := p.moved(c)
		if !ok || d <= 0 || p.followsOwner(c, +1) {
			continue
		}
		prod := product(b, c)
		w := p.Policy.Window(prod, c.Version())
		if p.Policy.Contains(prod, w, b.Version()) {
			continue
		}
		limit := fmt.Sprintf("at most %s (from %s: up to %s)", lines(p.Policy.MaxSkew), b.Version().Line(), p.Policy.NewestAbove(prod, b.Version()))
		if d <= p.Policy.MaxSkew && w.Entry != "" {
			limit = fmt.Sprintf("every path into %d.x passes through %s", c.Version().Major, w.Entry)
		}
		steps := p.Policy.Steps(prod, b.Version(), c.Version())
		first := c.Version().Line()
		if len(steps) > 0 {
			first = steps[0]
		}
		p.Report(model.Finding{
			Pos: c.Image.Pos,
			Message: fmt.Sprintf("%s moves from %s to %s in one change, %s; one upgrade may move %s",
				c.Describe(), b.Version(), c.Version(), lines(d), limit),
			Fix: fmt.Sprintf("upgrade in steps, one change each, rolled out before the next: %s; in this change set %s to %s",
				path(steps), c.Setting(), release(p, prod, first)),
			Key:    p.key(c),
			Degree: d,
		})
	}
}
