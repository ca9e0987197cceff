package rules

import (
	"fmt"

	"github.com/kumalint/kumalint/model"
)

// Downgrade reports a version that goes down in a change. Store data is only
// compatible within two minors (domain.md §0), and
// useTagFirstVirtualOutboundModel must be switched off and rolled out before
// any downgrade (domain.md §6.2).
var Downgrade = &Rule{
	ID:    "downgrade",
	Level: model.LevelWarning,
	Short: "One change moves a component to an older version (PR mode).",
	Full: "A downgrade is sometimes the right rollback, but it is not covered by the upgrade procedure. Store " +
		"data is compatible in both directions only within two minor versions, so a downgrade of more than two " +
		"release lines is an error. Some experimental flags (useTagFirstVirtualOutboundModel) change stored " +
		"data in a way older versions cannot read: they must be switched off and rolled out before the " +
		"downgrade, so a downgrade with such a flag on is an error too. This rule needs lint --base.",
	Remediation: "If the rollback is intended, keep it within two release lines and switch off downgrade-unsafe " +
		"flags in an earlier change; otherwise restore the version from the base revision.",
	Run: runDowngrade,
}

func runDowngrade(p *Pass) {
	if p.Before == nil {
		return
	}
	for _, c := range p.Graph.Components {
		b, d, ok := p.moved(c)
		if !ok || c.Version().Compare(b.Version()) >= 0 || p.followsOwner(c, -1) {
			continue
		}
		prod := product(b, c)
		f := model.Finding{
			Pos:     c.Image.Pos,
			Message: fmt.Sprintf("%s moves down from %s to %s", c.Describe(), b.Version(), c.Version()),
			Fix:     fmt.Sprintf("if this is not an intended rollback, set %s back to %s", c.Setting(), b.Version()),
			Key:     p.key(c),
			Degree:  -d,
		}
		switch flag, where, unsafe := p.downgradeUnsafeFlag(c); {
		case -d > p.Policy.MaxSkew:
			f.Level = model.LevelError
			f.Message += fmt.Sprintf(", %s; store data is compatible only within %s (from %s: down to %s)",
				lines(-d), lines(p.Policy.MaxSkew), b.Version().Line(), p.Policy.LineAfter(prod, b.Version(), -p.Policy.MaxSkew))
			f.Fix += fmt.Sprintf("; a rollback goes down at most %s per change", lines(p.Policy.MaxSkew))
		case unsafe:
			f.Level = model.LevelError
			f.Message += fmt.Sprintf(" while %s=%s %s; older versions cannot read what it stores", flag.Env, flag.Value.Value, where)
			f.Fix += fmt.Sprintf("; to roll back, switch %s off in an earlier change and roll that out first", flag.Env)
			if flag.Value.Pos.File != "" && where == "is on" {
				f.Related = []model.Related{{Pos: flag.Value.Pos, Message: flag.Env + " is on"}}
			}
		default:
			if d < 0 {
				f.Message += ", " + lines(-d)
			} else {
				f.Message += " within the " + c.Version().Line() + " line"
			}
			f.Message += "; a downgrade is not part of the upgrade procedure"
		}
		p.Report(f)
	}
}

// downgradeUnsafeFlag finds a downgrade-unsafe flag that is on for c's control
// plane, now or at the base revision (switching it off in the same change does
// not help: it must be rolled out first).
func (p *Pass) downgradeUnsafeFlag(c *model.Component) (model.Flag, string, bool) {
	cp := c
	if !c.IsCP() {
		cp = c.Owner
		if cp == nil {
			up, _, ok := p.Graph.Upstream(c, model.EdgeDataplane)
			if !ok {
				return model.Flag{}, "", false
			}
			cp = up
		}
	}
	for _, side := range []struct {
		comp  *model.Component
		where string
	}{{cp, "is on"}, {p.Prior(cp), "was on at the base revision"}} {
		if side.comp == nil {
			continue
		}
		for _, fl := range side.comp.Flags {
			if pf, ok := p.Policy.Flag(fl.Env); ok && pf.DowngradeUnsafe && fl.On() {
				return fl, side.where, true
			}
		}
	}
	return model.Flag{}, "", false
}
