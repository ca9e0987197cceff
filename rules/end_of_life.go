package rules

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/kumalint/kumalint/model"
)

// EndOfLife reports a version whose line no longer gets fixes. Dates are the
// products' own (domain.md §6.1); --now sets the day compared against.
var EndOfLife = &Rule{
	ID:    "end-of-life",
	Level: model.LevelNote,
	Short: "The version's release line is past its end of life.",
	Full: "Each Kuma and Kong Mesh release line is supported until a published end-of-life date (longer for LTS " +
		"lines). Past it there are no security or bug fixes, and because an upgrade may jump at most two release " +
		"lines, every line you fall behind adds a step to the eventual upgrade. kumalint reports each line once " +
		"per deployment, on its highest tier (global, then zone control planes, then data planes), and leaves out " +
		"data planes that are already outside their control plane's window: their skew finding says how to move them.",
	Remediation: "Plan an upgrade to a supported release line, at most two release lines per step, global " +
		"control plane first, then zones, then data planes.",
	Run: runEndOfLife,
}

func tierRank(c *model.Component) int {
	switch {
	case c.IsCP() && c.Role.Value == model.RoleGlobal:
		return 0
	case c.IsCP():
		return 1
	}
	return 2
}

func runEndOfLife(p *Pass) {
	for _, env := range p.Graph.Environments {
		groups := map[string][]*model.Component{}
		var order []string
		for _, id := range env {
			c := p.Graph.Components[id]
			if !p.eolCandidate(c) {
				continue
			}
			k := string(c.Product) + " " + c.Version().Line()
			if _, ok := groups[k]; !ok {
				order = append(order, k)
			}
			groups[k] = append(groups[k], c)
		}
		for _, k := range order {
			g := groups[k]
			slices.SortStableFunc(g, func(a, b *model.Component) int {
				return cmp.Or(cmp.Compare(tierRank(a), tierRank(b)), cmp.Compare(a.ID, b.ID))
			})
			c := g[0]
			eol, inferred, _ := p.Policy.EndOfLife(c.Product, c.Version())
			when := "on " + eol.Format("2006-01-02")
			if inferred {
				when = "by " + eol.Format("2006-01-02") + " (when a later line did)"
			}
			msg := fmt.Sprintf("%s is %s: %s %s reached end of life %s",
				c.Describe(), imageLabel(c), p.Policy.Train(c.Product).Product.Title(), c.Version().Line(), when)
			if len(g) > 1 {
				msg += fmt.Sprintf(" (%d more components of this deployment run %s)", len(g)-1, c.Version().Line())
			}
			var related []model.Related
			for _, o := range g[1:] {
				related = append(related, model.Related{Pos: o.Image.Pos, Message: o.Describe() + ": " + imageLabel(o)})
			}
			p.Report(model.Finding{
				Pos:     c.Image.Pos,
				Message: msg,
				Fix:     "upgrade to a supported line (" + supportedList(p, c.Product) + "), at most two release lines per step",
				Related: related,
				Key:     p.key(c),
			})
		}
	}
}

// eolCandidate reports whether c runs an end-of-life line that is not
// already reported another way.
func (p *Pass) eolCandidate(c *model.Component) bool {
	v := c.Version()
	if !checkable(v) {
		return false
	}
	eol, _, ok := p.Policy.EndOfLife(c.Product, v)
	if !ok || eol.After(p.Now) {
		return false
	}
	if c.IsCP() {
		return true
	}
	// A data plane outside its control plane's window has a skew finding whose
	// fix moves it; an end-of-life note on top would say the same thing twice.
	if up, _, ok := p.Graph.Upstream(c, model.EdgeDataplane); ok && comparable(c, up) {
		prod := product(c, up)
		if !p.Policy.Contains(prod, p.Policy.Window(prod, up.Version()), v) {
			return false
		}
	}
	return true
}

func supportedList(p *Pass, prod model.Product) string {
	var names []string
	for _, l := range p.Policy.Supported(prod, p.Now) {
		n := l.Name()
		if l.LTS {
			n += " LTS"
		}
		names = append(names, n)
	}
	if len(names) == 0 {
		return "see the product's support policy"
	}
	return strings.Join(names, ", ")
}
