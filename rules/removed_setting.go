package rules

import (
	"fmt"

	"github.com/kumalint/kumalint/model"
)

// RemovedSetting reports settings that the version being deployed removed or
// deprecated (domain.md §1.1).
var RemovedSetting = &Rule{
	ID:    "removed-setting",
	Level: model.LevelError,
	Short: "A setting that the deployed version removed or deprecated.",
	Full: "Kuma renamed the remote mode to zone in 1.2. It deprecated standalone mode in 2.6, where kuma-cp rewrites it " +
		"to zone and logs a warning, and removed it in 3.0. A global control plane on Kubernetes is not supported in " +
		"3.0. A setting like that stops the control plane, or changes what it does, when you upgrade to the version " +
		"that drops it. Deprecations are notes; removals are errors.",
	Remediation: "Move to the replacement before upgrading: mode zone instead of remote or standalone, and a Universal " +
		"(Postgres) global control plane for 3.x.",
	Run: runRemovedSetting,
}

func runRemovedSetting(p *Pass) {
	for _, c := range p.Graph.Components {
		if !c.IsCP() && checkable(c.Version()) && c.Version().Major >= 3 && (c.DPKind == model.DPIngress || c.DPKind == model.DPEgress) {
			p.Report(model.Finding{Pos: c.Image.Pos, Key: p.key(c),
				Message: fmt.Sprintf("%s runs %s, but ZoneIngress and ZoneEgress were removed in 3.0: kuma-dp 3.x accepts only --proxy-type=dataplane", c.Describe(), c.Version()),
				Fix:     "keep zone proxies on 2.x until they are replaced by the 3.x zone proxies, or remove them"})
		}
		if !c.IsCP() || !checkable(c.Version()) {
			continue
		}
		v := c.Version()
		at := func(major, minor int) bool { return v.Major > major || v.Major == major && v.Minor >= minor }
		report := func(level model.Level, pos model.Pos, msg, fix string) {
			p.Report(model.Finding{Level: level, Pos: pos, Message: msg, Fix: fix, Key: p.key(c) + model.KeySep + msg})
		}
		role := c.Role
		switch {
		case role.Set && role.Value == model.RoleRemote && at(1, 2):
			report(model.LevelError, role.Pos, fmt.Sprintf("mode remote was renamed to zone in Kuma 1.2; %s %s does not know it", c.Product.Title(), v),
				"set the mode to zone")
		case role.Set && role.Value == model.RoleStandalone && at(3, 0):
			report(model.LevelError, role.Pos, fmt.Sprintf("standalone mode was removed in 3.0; %s %s refuses to start with it", c.Product.Title(), v),
				"set the mode to zone (a zone without a global address is a single zone)")
		case role.Set && role.Value == model.RoleStandalone && at(2, 6):
			report(model.LevelNote, role.Pos, fmt.Sprintf("standalone mode is deprecated since 2.6 (kuma-cp %s runs it as zone) and removed in 3.0", v),
				"set the mode to zone before upgrading to 3.x")
		case !role.Set && role.Value == model.RoleStandalone && at(3, 0):
			// A default cannot be removed: the chart's default is zone from 2.6.
		}
		if role.Value == model.RoleGlobal && at(3, 0) && c.Environment.Value == "kubernetes" {
			pos := role.Pos
			if c.Environment.Set {
				pos = c.Environment.Pos
			}
			report(model.LevelError, pos, fmt.Sprintf("a global control plane on Kubernetes (store %s) is not supported in %s 3.x", c.StoreType.Value, c.Product.Title()),
				"run the global control plane in Universal mode with a Postgres store before moving it to 3.x")
		}
	}
}
