package rules

import (
	"fmt"

	"github.com/kumalint/kumalint/model"
)

// UnknownSetting reports a values key that the chart does not have, under a
// block it does (controlPlane.autoScaling for autoscaling): the chart ignores
// it, and the setting the author meant silently keeps its default.
var UnknownSetting = &Rule{
	ID:    "unknown-setting",
	Level: model.LevelWarning,
	Short: "A values key the chart does not have: probably a typo, and ignored.",
	Full: "Helm renders whatever keys the chart's templates read and ignores the rest without a word. A misspelt key " +
		"such as controlPlane.autoScaling or dataPlane.image.tags leaves the real setting at its default, so the " +
		"upgrade-policy checks (replicas, autoscaling, pinned images) pass on paper but not in the cluster. kumalint " +
		"checks the blocks the policy depends on: images, autoscaling, disruption budgets, and near misses of the " +
		"main keys.",
	Remediation: "Rename the key to the one the chart reads.",
	Run:         runUnknownSetting,
}

func runUnknownSetting(p *Pass) {
	for _, c := range p.Graph.Components {
		if !c.IsCP() || c.Chart == nil {
			continue
		}
		for _, u := range c.Chart.Unknown {
			f := model.Finding{
				Pos:     u.Pos,
				Message: fmt.Sprintf("%s is not a setting of the %s chart: Helm ignores it", u.Key, c.Chart.Name),
				Fix:     "remove it, or check the chart's values for the key you meant",
				Key:     p.key(c) + model.KeySep + u.Key,
			}
			if u.Suggest != "" {
				f.Message += fmt.Sprintf("; did you mean %s?", u.Suggest)
				f.Fix = "rename it to " + u.Suggest
			}
			p.Report(f)
		}
	}
}
