package rules

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/kumalint/kumalint/model"
)

// CPNoDisruptionBudget reports a multi-instance control plane that a node drain can
// take down entirely. The chart offers controlPlane.podDisruptionBudget since
// 1.7 (domain.md §1.2).
var CPNoDisruptionBudget = &Rule{
	ID:    "cp-no-disruption-budget",
	Level: model.LevelNote,
	Short: "A multi-instance control plane on Kubernetes has no PodDisruptionBudget, or one that allows every instance down.",
	Full: "Several control-plane instances only keep the control plane available if they are not evicted together. " +
		"Without a PodDisruptionBudget, a node drain or cluster upgrade may evict every instance at once, which " +
		"is the downtime the extra instances were meant to prevent.",
	Remediation: "Add a PodDisruptionBudget that selects the control-plane pods with maxUnavailable: 1 " +
		"(Helm: controlPlane.podDisruptionBudget.enabled: true).",
	Run: runCPNoDisruptionBudget,
}

func runCPNoDisruptionBudget(p *Pass) {
	for _, c := range p.Graph.Components {
		if !c.IsCP() || c.StoreType.Value == "memory" || !c.OnKubernetes() {
			continue // disruption budgets are a Kubernetes matter
		}
		n, pos, _ := instances(c)
		if n < 2 {
			continue
		}
		b := c.Budget
		if b == nil {
			p.Report(model.Finding{
				Pos:     pos,
				Message: fmt.Sprintf("%s runs %d instances but no PodDisruptionBudget selects its pods: a node drain may evict all of them at once", c.Describe(), n),
				Fix:     "add a PodDisruptionBudget with maxUnavailable: 1 selecting the control-plane pods (Helm: controlPlane.podDisruptionBudget.enabled: true)",
				Related: []model.Related{{Pos: c.Object.Pos, Message: c.Object.String()}},
				Key:     p.key(c),
			})
			continue
		}
		if f, ok := allowsAllDown(b, n); ok {
			p.Report(model.Finding{
				Pos:     f.Pos,
				Message: fmt.Sprintf("%s allows all %d instances of %s to be down at once (%s)", b.Object, n, c.Describe(), f.Value),
				Fix:     "set maxUnavailable: 1 (or minAvailable to at least 1)",
				Related: []model.Related{{Pos: pos, Message: "instances of " + c.Object.String()}},
				Key:     p.key(c),
			})
		}
	}
}

// allowsAllDown returns the PDB field that lets every one of n instances go.
func allowsAllDown(b *model.Budget, n int) (model.Field[string], bool) {
	if f := b.MaxUnavailable; f.Set {
		if v, pct, ok := amount(f.Value); ok && ((pct && v >= 100) || (!pct && v >= n)) {
			f.Value = "maxUnavailable: " + f.Value
			return f, true
		}
	}
	if f := b.MinAvailable; f.Set {
		if v, _, ok := amount(f.Value); ok && v == 0 {
			f.Value = "minAvailable: " + f.Value
			return f, true
		}
	}
	return model.Field[string]{}, false
}

// amount parses "1" or "50%".
func amount(s string) (v int, percent, ok bool) {
	s = strings.TrimSpace(s)
	if t, found := strings.CutSuffix(s, "%"); found {
		s, percent = t, true
	}
	v, err := strconv.Atoi(s)
	return v, percent, err == nil
}
