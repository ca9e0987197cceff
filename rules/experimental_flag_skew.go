package rules

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/kumalint/kumalint/model"
)

// ExperimentalFlagSkew reports a not-backward-compatible experimental flag that
// is on while versions are mixed, or switched on in the same change as an
// upgrade. Policy: "Some feature flags are not backward compatible … The project
// promises to wait at least two minors before turning such a feature on by
// default" (domain.md §0); the flags are listed in policy/releases.yaml from
// domain.md §6.2.
var ExperimentalFlagSkew = &Rule{
	ID:    "experimental-flag-skew",
	Level: model.LevelWarning,
	Short: "A not-backward-compatible experimental flag is on while versions are mixed or changing.",
	Full: "Some experimental flags of kuma-cp change what the control planes store or exchange with each other " +
		"(kubeOutboundsAsVIPs, useTagFirstVirtualOutboundModel, KDSSyncNameWithHashSuffix, kdsDeltaEnabled). " +
		"They are safe only once every control plane and data plane runs a version that understands them. A flag " +
		"like that, on while the deployment runs more than one release line, or switched on in the same change " +
		"as an upgrade, breaks the mixed-version window the upgrade procedure relies on.",
	Remediation: "Finish the upgrade first (every component on one release line), then switch the flag on in a " +
		"change of its own.",
	Run: runExperimentalFlagSkew,
}

func runExperimentalFlagSkew(p *Pass) {
	for _, env := range p.Graph.Environments {
		members := make([]*model.Component, 0, len(env))
		for _, id := range env {
			members = append(members, p.Graph.Components[id])
		}
		mixed, oldest := mixedLines(p, members)
		moves := p.movesIn(members)
		for _, c := range members {
			if !c.IsCP() {
				continue
			}
			for _, fl := range c.Flags {
				pf, ok := p.Policy.Flag(fl.Env)
				if !ok || !fl.On() || (checkable(c.Version()) && p.Policy.DefaultOn(c.Product, pf, c.Version())) {
					continue
				}
				f := model.Finding{
					Pos: fl.Value.Pos,
					Fix: fmt.Sprintf("switch %s off (or leave it unset) until every component runs one release line, then switch it on in a change of its own", fl.Env),
					Key: p.key(c) + model.KeySep + fl.Env,
				}
				switch {
				case moves != "" && !p.wasOn(c, fl.Env):
					f.Message = fmt.Sprintf("%s (experimental.%s) is switched on in the same change that %s; it is not backward compatible",
						fl.Env, pf.Name, moves)
				case len(mixed) > 1:
					f.Message = fmt.Sprintf("%s (experimental.%s) is on for %s while this deployment runs %s; it is not backward compatible",
						fl.Env, pf.Name, c.Describe(), strings.Join(mixed, " and "))
					f.Related = []model.Related{{Pos: oldest.Image.Pos, Message: "oldest: " + oldest.Describe() + ": " + imageLabel(oldest)}}
					f.Degree = len(mixed)
				default:
					continue
				}
				p.Report(f)
			}
		}
	}
}

// mixedLines lists the release lines the components run, oldest first, and
// the component on the oldest line.
func mixedLines(p *Pass, comps []*model.Component) ([]string, *model.Component) {
	type seen struct {
		pos   int
		name  string
		first *model.Component
	}
	var lines []seen
	for _, c := range comps {
		if !checkable(c.Version()) {
			continue
		}
		pos := p.Policy.Train(c.Product).Position(c.Version().Major, c.Version().Minor)
		if !slices.ContainsFunc(lines, func(s seen) bool { return s.pos == pos }) {
			lines = append(lines, seen{pos, c.Version().Line(), c})
		}
	}
	slices.SortFunc(lines, func(a, b seen) int { return cmp.Compare(a.pos, b.pos) })
	names := make([]string, len(lines))
	for i, l := range lines {
		names[i] = l.name
	}
	if len(lines) == 0 {
		return nil, nil
	}
	return names, lines[0].first
}

// movesIn describes the first version change among comps in this change
// ("moves control plane x from 2.9.3 to 2.11.0"), or "" when nothing moved.
func (p *Pass) movesIn(comps []*model.Component) string {
	for _, c := range comps {
		if b, _, ok := p.moved(c); ok && c.Version().Compare(b.Version()) != 0 {
			return fmt.Sprintf("moves %s from %s to %s", c.Describe(), b.Version(), c.Version())
		}
	}
	return ""
}

// wasOn reports whether c had the flag on at the base revision.
func (p *Pass) wasOn(c *model.Component, env string) bool {
	b := p.Prior(c)
	if b == nil {
		return false
	}
	f, ok := b.Flag(env)
	return ok && f.On()
}
