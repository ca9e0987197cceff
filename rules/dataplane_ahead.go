package rules

import (
	"fmt"

	"github.com/kumalint/kumalint/model"
)

// DataplaneAhead reports a data plane newer than its control plane. Policy: upgrade
// the control plane first, then the data planes (domain.md §0, "Upgrade order").
var DataplaneAhead = &Rule{
	ID:    "dataplane-ahead",
	Level: model.LevelError,
	Short: "A data plane is newer than its control plane.",
	Full: "The upgrade order is control plane first, then data planes: data planes may lag the control plane " +
		"by up to two release lines but must never run ahead of it. A newer kuma-dp can rely on control-plane " +
		"features that its control plane does not have yet.",
	Remediation: "Upgrade the control plane to the data plane's release line first, or set the data-plane image " +
		"back to the control plane's version.",
	Run: runDataplaneAhead,
}

func runDataplaneAhead(p *Pass) {
	for _, tp := range pairs(p, model.EdgeDataplane) {
		if tp.behind >= 0 || p.upgradedPast(tp) {
			continue // not ahead, or ahead because of this change: upgrade-order's finding
		}
		lower, upper := tp.lower, tp.upper
		what, _ := setting(lower)
		p.Report(model.Finding{
			Pos: lower.Image.Pos,
			Message: fmt.Sprintf("%s is %s, %s ahead of %s at %s; data planes may run %s next to it, never newer",
				lower.Describe(), imageLabel(lower), lines(-tp.behind), upper.Describe(), imageLabel(upper), tp.window),
			Fix: fmt.Sprintf("upgrade the control plane to %s first%s, or set %s back to %s",
				lower.Version().Line(), steps(-tp.behind, p.Policy.MaxSkew), what, upper.Version()),
			Related: tp.related(),
			Key:     p.key(lower, upper),
			Degree:  -tp.behind,
		})
	}
}
