package rules

import (
	"cmp"
	"fmt"
	"maps"
	"slices"

	"github.com/kumalint/kumalint/model"
)

// StoreSkew reports control planes that share one store while their versions
// span more than two release lines. Policy: "CPs in one zone … share a store
// … Store data is compatible in both directions within two minors … Neither
// direction works across three minors" (domain.md §0).
var StoreSkew = &Rule{
	ID:    "store-skew",
	Level: model.LevelError,
	Short: "Control planes that share a store are more than two release lines apart.",
	Full: "Control-plane instances of one zone do not talk to each other, but they share a store: Kubernetes, or a " +
		"Postgres database. Store data is compatible in both directions only within two minor versions, so an " +
		"instance more than two release lines away from another one on the same store cannot read what the other " +
		"writes. This happens in Universal deployments where instances are upgraded one host at a time.",
	Remediation: "Upgrade the older instances to within two release lines of the newest one before the newest moves " +
		"on, or give them separate stores.",
	Run: runStoreSkew,
}

func runStoreSkew(p *Pass) {
	groups := map[string][]*model.Component{}
	for _, c := range p.Graph.Components {
		if c.IsCP() && c.Store.Value != "" && checkable(c.Version()) {
			groups[c.Store.Value] = append(groups[c.Store.Value], c)
		}
	}
	for _, store := range slices.Sorted(maps.Keys(groups)) {
		cps := groups[store]
		prod := cps[0].Product
		pos := func(c *model.Component) int {
			return p.Policy.Train(prod).Position(c.Version().Major, c.Version().Minor)
		}
		slices.SortStableFunc(cps, func(a, b *model.Component) int { return cmp.Compare(pos(b), pos(a)) })
		newest := cps[0]
		w := p.Policy.Window(prod, newest.Version())
		for _, c := range cps[1:] {
			if p.Policy.Contains(prod, w, c.Version()) {
				continue
			}
			d := p.Policy.Distance(prod, c.Version(), newest.Version())
			p.Report(model.Finding{
				Pos: c.Image.Pos,
				Message: fmt.Sprintf("%s is %s and shares the store %s with %s at %s, %s apart; both can read the store only from %s",
					c.Describe(), imageLabel(c), store, newest.Describe(), newest.Version(), lines(d), w),
				Fix: fmt.Sprintf("upgrade %s to %s or newer%s before %s moves on, or give it a store of its own",
					c.Object.Name, w.Oldest, steps(d, p.Policy.MaxSkew), newest.Object.Name),
				Related: []model.Related{{Pos: newest.Image.Pos, Message: newest.Describe() + ": " + imageLabel(newest)}, {Pos: c.Store.Pos, Message: "store " + store}},
				Key:     p.key(c, newest),
				Degree:  d,
			})
		}
	}
}
