package rules

import (
	"fmt"

	"github.com/kumalint/kumalint/model"
)

// DataplaneSkew reports a data plane more than two release lines behind its control
// plane. Policy: "kuma-dp follows the same rule against kuma-cp: dp 1.4 with
// cp 1.6 is allowed, dp 1.3 with cp 1.6 is not" (domain.md §0).
var DataplaneSkew = &Rule{
	ID:    "dataplane-skew",
	Level: model.LevelError,
	Short: "A data plane is more than two release lines older than its control plane.",
	Full: "Kuma and Kong Mesh support data planes (kuma-dp, zone ingress and egress) at most two minor " +
		"versions behind the control plane that serves them; anything older \"may cause undefined behavior\". " +
		"Kuma notices this only at runtime, as kumaCpCompatible=false on the DataplaneInsight.",
	Remediation: "Move the data-plane image to a version within two release lines of the control plane " +
		"(normally the control plane's own version), or keep the control plane back until the data planes " +
		"are upgraded.",
	Run: runDataplaneSkew,
}

func runDataplaneSkew(p *Pass) {
	for _, tp := range pairs(p, model.EdgeDataplane) {
		if !tp.tooOld(p.Policy) {
			continue
		}
		lower, upper := tp.lower, tp.upper
		what, after := setting(lower)
		p.Report(model.Finding{
			Pos: lower.Image.Pos,
			Message: fmt.Sprintf("%s is %s, %s behind %s at %s; data planes may run %s next to it",
				lower.Describe(), imageLabel(lower), lines(tp.behind), upper.Describe(), imageLabel(upper), tp.window),
			Fix: fmt.Sprintf("set %s to %s or newer, usually the control plane's own %s%s; or keep kuma-cp at %s or older until the data planes are upgraded",
				what, tp.window.Oldest, upper.Version(), after, p.Policy.NewestAbove(tp.prod, lower.Version())),
			Related: tp.related(),
			Key:     p.key(lower, upper),
			Degree:  tp.behind,
		})
	}
}
