package rules

import (
	"fmt"

	"github.com/kumalint/kumalint/model"
)

// ZoneSkew reports a zone control plane more than two release lines behind its global
// control plane. Policy: "zone 1.4 with global 1.6 is allowed, zone 1.3 is
// not" (domain.md §0).
var ZoneSkew = &Rule{
	ID:    "zone-skew",
	Level: model.LevelError,
	Short: "A zone control plane is more than two release lines older than its global control plane.",
	Full: "In a multizone deployment a zone control plane may run at most two minor versions behind the global " +
		"control plane. Kuma only reports the mismatch at runtime (kumaCpGlobalCompatible=false on the " +
		"ZoneInsight), after the zone has already synced with an incompatible global.",
	Remediation: "Upgrade the zone control plane, at most two release lines per step, or keep the global control " +
		"plane back until the zones have caught up.",
	Run: runZoneSkew,
}

func runZoneSkew(p *Pass) {
	for _, tp := range pairs(p, model.EdgeZone) {
		if !tp.tooOld(p.Policy) {
			continue
		}
		lower, upper := tp.lower, tp.upper
		p.Report(model.Finding{
			Pos: lower.Image.Pos,
			Message: fmt.Sprintf("%s is %s, %s behind %s at %s; zones may run %s under it",
				lower.Describe(), imageLabel(lower), lines(tp.behind), upper.Describe(), imageLabel(upper), tp.window),
			Fix: fmt.Sprintf("upgrade this zone's kuma-cp to %s or newer (at most two release lines per step), or keep the global control plane at %s or older until the zones catch up",
				tp.window.Oldest, p.Policy.NewestAbove(tp.prod, lower.Version())),
			Related: tp.related(),
			Key:     p.key(lower, upper),
			Degree:  tp.behind,
		})
	}
}
