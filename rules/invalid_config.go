package rules

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/kumalint/kumalint/model"
)

// zoneNameRE is the chart's and kuma-cp's check on zone names (domain.md
// §1.1): DNS-1123 subdomain, at most 253 characters.
var zoneNameRE = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`)

// InvalidConfig reports values the chart refuses to render or kuma-cp refuses
// to start with (domain.md §1.1, §1.3).
var InvalidConfig = &Rule{
	ID:    "invalid-config",
	Level: model.LevelError,
	Short: "A setting the chart or kuma-cp rejects.",
	Full: "Some settings fail the Helm render or stop kuma-cp at startup: a zone name or a global address on a " +
		"control plane that is not in zone mode, a global address without the grpc:// or grpcs:// scheme, a zone " +
		"name that is not a DNS-1123 name, global.image.tag set to another version than the chart's (the chart's " +
		"version-pin guard, from 1.6), and zone proxies on a Universal-on-Kubernetes zone. kumalint reports them " +
		"before the deploy fails.",
	Remediation: "Fix the value as the message says; to run another version, use a chart of that version instead of " +
		"overriding global.image.tag.",
	Run: runInvalidConfig,
}

func runInvalidConfig(p *Pass) {
	for _, c := range p.Graph.Components {
		if !c.IsCP() {
			continue
		}
		report := func(pos model.Pos, msg, fix string) {
			p.Report(model.Finding{Pos: pos, Message: msg, Fix: fix, Key: p.key(c) + model.KeySep + msg})
		}
		zoneMode := c.Role.Value.IsZone()
		if c.Chart != nil && !zoneMode {
			// The chart fails the render; kuma-cp itself ignores the zone
			// settings of a global (domain.md §1.1).
			if c.Zone.Set {
				report(c.Zone.Pos, fmt.Sprintf("controlPlane.zone is set to %q, but the control plane runs in %s mode; the chart refuses to render it", c.Zone.Value, c.Role.Value),
					"remove controlPlane.zone, or set controlPlane.mode to zone")
			}
			if c.GlobalAddress.Set {
				report(c.GlobalAddress.Pos, fmt.Sprintf("controlPlane.kdsGlobalAddress is set, but the control plane runs in %s mode; the chart refuses to render it", c.Role.Value),
					"remove controlPlane.kdsGlobalAddress, or set controlPlane.mode to zone")
			}
		}
		if ga := c.GlobalAddress; ga.Set && ga.Value != "" && !strings.HasPrefix(ga.Value, "grpcs://") && !strings.HasPrefix(ga.Value, "grpc://") {
			report(ga.Pos, fmt.Sprintf("the global address %q has no grpcs:// or grpc:// scheme; the chart and kuma-cp reject it", ga.Value),
				"write it as grpcs://HOST:5685")
		}
		if z := c.Zone; z.Set && z.Value != "" && zoneMode && (len(z.Value) > 253 || !zoneNameRE.MatchString(z.Value)) {
			report(z.Pos, fmt.Sprintf("zone name %q is not a DNS-1123 name (lower-case letters, digits, '-' and '.'; at most 253 characters); kuma-cp rejects it", z.Value),
				"rename the zone, for example "+strings.ToLower(strings.NewReplacer("_", "-", " ", "-").Replace(z.Value)))
		}
		ch := c.Chart
		if ch == nil {
			continue
		}
		app := model.ParseVersion(ch.AppVersion)
		if tag := ch.GlobalImageTag; tag.Set && ch.DefaultRegistry && app.Known() && strings.TrimPrefix(tag.Value, "v") != ch.AppVersion &&
			(app.Major > 1 || app.Minor >= 6) {
			report(tag.Pos, fmt.Sprintf("global.image.tag is %s, but the %s chart %s deploys %s from its own registry; its version-pin guard fails the render",
				tag.Value, ch.Name, ch.Version.Value, ch.AppVersion),
				fmt.Sprintf("use the %s chart of version %s instead of overriding global.image.tag, or set a mirror registry", ch.Name, strings.TrimPrefix(tag.Value, "v")))
		}
		if z := ch.ZoneProxyOnUniversal; z.Set {
			report(z.Pos, "zone ingress or egress is enabled on a zone with controlPlane.environment universal; the chart refuses to render it",
				"deploy zone proxies from the zone's Kubernetes chart, or switch them off here")
		}
	}
}
