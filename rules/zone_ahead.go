package rules

import (
	"fmt"

	"github.com/kumalint/kumalint/model"
)

// ZoneAhead reports a zone control plane newer than its global. Policy: "Multizone:
// global CP first, then zone CPs, then DPs" (domain.md §0).
var ZoneAhead = &Rule{
	ID:    "zone-ahead",
	Level: model.LevelError,
	Short: "A zone control plane is newer than its global control plane.",
	Full: "A multizone deployment is upgraded global first, then zones, then data planes. A zone control plane " +
		"that runs ahead of its global control plane syncs resources the global does not understand yet.",
	Remediation: "Upgrade the global control plane to the zone's release line first, or keep the zone at the " +
		"global's version until then.",
	Run: runZoneAhead,
}

func runZoneAhead(p *Pass) {
	for _, tp := range pairs(p, model.EdgeZone) {
		if tp.behind >= 0 || p.upgradedPast(tp) {
			continue // not ahead, or ahead because of this change: upgrade-order's finding
		}
		lower, upper := tp.lower, tp.upper
		p.Report(model.Finding{
			Pos: lower.Image.Pos,
			Message: fmt.Sprintf("%s is %s, %s ahead of %s at %s; zones may run %s under it, never newer",
				lower.Describe(), imageLabel(lower), lines(-tp.behind), upper.Describe(), imageLabel(upper), tp.window),
			Fix: fmt.Sprintf("upgrade the global control plane to %s first%s, or keep this zone at %s until it is",
				lower.Version().Line(), steps(-tp.behind, p.Policy.MaxSkew), upper.Version()),
			Related: tp.related(),
			Key:     p.key(lower, upper),
			Degree:  -tp.behind,
		})
	}
}
