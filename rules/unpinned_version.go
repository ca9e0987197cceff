package rules

import (
	"fmt"

	"github.com/kumalint/kumalint/model"
)

// UnpinnedVersion reports an image whose tag does not say which version runs.
// `latest` makes skew undecidable (domain.md §7).
var UnpinnedVersion = &Rule{
	ID:    "unpinned-version",
	Level: model.LevelWarning,
	Short: "A Kuma image has latest, no tag, only a digest, or another floating tag.",
	Full: "The upgrade policy is about versions, and a floating tag hides the version: `latest`, a missing tag " +
		"(which pulls latest), a bare MAJOR.MINOR or a digest without a tag. The version can change on any pod " +
		"restart, and no skew between the tiers can be checked, by kumalint or by a reviewer.",
	Remediation: "Pin an exact release tag (MAJOR.MINOR.PATCH). To pin by digest as well, keep the tag in front " +
		"of it: repository:2.9.3@sha256:….",
	Run: runUnpinnedVersion,
}

func runUnpinnedVersion(p *Pass) {
	for _, c := range p.Graph.Components {
		img := c.Image.Value
		var why string
		switch img.Version.State {
		case model.VersionFloating:
			why = fmt.Sprintf("uses the floating tag %q", img.Tag)
		case model.VersionMissing:
			if img.Digest != "" {
				why = "is pinned by digest only, so its version cannot be read"
			} else {
				why = "has no tag, so it pulls latest"
			}
		default:
			continue
		}
		p.Report(model.Finding{
			Pos:     c.Image.Pos,
			Message: fmt.Sprintf("%s: image %s %s; the version it runs, and its skew against the other tiers, cannot be checked", c.Describe(), img.Ref, why),
			Fix:     "pin an exact release: " + suggestTag(p, c),
			Key:     p.key(c),
		})
	}
}

// suggestTag proposes a tag: the upper tier's version when it is known.
func suggestTag(p *Pass, c *model.Component) string {
	for _, k := range []model.EdgeKind{model.EdgeDataplane, model.EdgeZone} {
		if up, _, ok := p.Graph.Upstream(c, k); ok && checkable(up.Version()) {
			return fmt.Sprintf("%s:%s, the version of %s", c.Image.Value.Repository, up.Version(), up.Describe())
		}
	}
	return c.Image.Value.Repository + ":MAJOR.MINOR.PATCH"
}
