// Package rules holds kumalint's checks. A Rule is a value — ID, level,
// descriptions, remediation and a Run function over the version graph — in
// the manner of golang.org/x/tools/go/analysis. One file per rule; each has a
// page in docs/rules/<id>.md.
package rules

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/kumalint/kumalint/model"
	"github.com/kumalint/kumalint/policy"
)

// Rule is one check.
type Rule struct {
	ID          string      // stable, kebab-case
	Level       model.Level // default level
	Short       string      // one line: what it finds
	Full        string      // why it matters, with the policy sentence
	Remediation string      // how to fix, in general
	Run         func(*Pass)
}

// Pass is what a rule sees and how it reports.
type Pass struct {
	Graph *model.Graph
	// Before is the graph at the base revision in PR mode (lint --base), nil
	// otherwise. Rules about changes run only when it is set.
	Before *model.Graph
	Policy *policy.Policy
	Now    time.Time

	rule     *Rule
	prior    []*model.Component // by Graph component ID: the same component in Before
	loose    map[string]string  // identity -> loose identity, for LooseKey
	findings []model.Finding
}

// Prior returns c as it was at the base revision, or nil when c is new or
// there is no base.
func (p *Pass) Prior(c *model.Component) *model.Component {
	if c.ID < len(p.prior) {
		return p.prior[c.ID]
	}
	return nil
}

// Report records a finding of the running rule. A zero Level takes the
// rule's default.
func (p *Pass) Report(f model.Finding) {
	f.Rule = p.rule.ID
	if f.Level == model.LevelNone {
		f.Level = p.rule.Level
	}
	parts := strings.Split(f.Key, model.KeySep)
	for i, part := range parts {
		if l, ok := p.loose[part]; ok {
			parts[i] = l
		}
	}
	f.LooseKey = strings.Join(parts, model.KeySep)
	p.findings = append(p.findings, f)
}

// All lists every rule, sorted by ID.
func All() []*Rule {
	all := []*Rule{
		CPNoDisruptionBudget,
		CPSingleReplica,
		DataplaneAhead,
		DataplaneSkew,
		Downgrade,
		EndOfLife,
		ExperimentalFlagSkew,
		InvalidConfig,
		MixedProduct,
		RemovedSetting,
		StoreSkew,
		UnknownSetting,
		UnknownVersion,
		UnpinnedVersion,
		UpgradeJump,
		UpgradeOrder,
		ZoneAhead,
		ZoneSkew,
	}
	slices.SortFunc(all, func(a, b *Rule) int { return strings.Compare(a.ID, b.ID) })
	return all
}

// IDs lists every rule ID, sorted.
func IDs() []string {
	var ids []string
	for _, r := range All() {
		ids = append(ids, r.ID)
	}
	return ids
}

// ByID finds a rule.
func ByID(id string) (*Rule, bool) {
	for _, r := range All() {
		if r.ID == id {
			return r, true
		}
	}
	return nil, false
}

// Run applies rules to the graph and returns the findings in a stable order.
// before is the graph at the base revision in PR mode (nil otherwise) and
// prior maps g's component IDs to their match in it (topology.Match).
func Run(g, before *model.Graph, prior []*model.Component, pol *policy.Policy, now time.Time, rules []*Rule) []model.Finding {
	loose := make(map[string]string, len(g.Components))
	for _, c := range g.Components {
		loose[c.Identity()] = c.LooseIdentity()
	}
	var out []model.Finding
	for _, r := range rules {
		p := &Pass{Graph: g, Before: before, Policy: pol, Now: now, rule: r, prior: prior, loose: loose}
		r.Run(p)
		out = append(out, p.findings...)
	}
	Sort(out)
	return out
}

// Sort orders findings by file, line, column, rule and message.
func Sort(fs []model.Finding) {
	slices.SortStableFunc(fs, func(a, b model.Finding) int {
		return cmp.Or(
			strings.Compare(a.Pos.File, b.Pos.File),
			cmp.Compare(a.Pos.Line, b.Pos.Line),
			cmp.Compare(a.Pos.Col, b.Pos.Col),
			strings.Compare(a.Rule, b.Rule),
			strings.Compare(a.Message, b.Message),
		)
	})
}

// key builds a finding's line-independent identity from the components it
// is about, and extra rule-specific parts.
func (p *Pass) key(comps ...*model.Component) string {
	parts := []string{p.rule.ID}
	for _, c := range comps {
		parts = append(parts, c.Identity())
	}
	return strings.Join(parts, model.KeySep)
}

// imageLabel is "kuma-dp 2.5.3" for messages.
func imageLabel(c *model.Component) string {
	img := c.Image.Value
	name := img.Name
	if name == "" {
		name = string(img.Binary)
	}
	return fmt.Sprintf("%s %s", name, img.Version)
}

// checkable reports whether a version can take part in skew arithmetic. A
// preview build is, like in Kuma's own check, compatible with anything.
func checkable(v model.Version) bool { return v.State == model.VersionExact }

// comparable reports whether two components can be compared: both versions
// known and, when both products are known, the same product (mixing products
// is mixed-product's finding).
func comparable(a, b *model.Component) bool {
	if !checkable(a.Version()) || !checkable(b.Version()) {
		return false
	}
	return a.Product == b.Product || a.Product == model.ProductUnknown || b.Product == model.ProductUnknown
}

// product returns the product two comparable components are measured on.
func product(a, b *model.Component) model.Product {
	if a.Product != model.ProductUnknown {
		return a.Product
	}
	return b.Product
}
