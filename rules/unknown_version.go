package rules

import (
	"fmt"

	"github.com/kumalint/kumalint/model"
)

// UnknownVersion reports a version that was never released, a tag that is not a
// version, or a preview build whose skew cannot be checked (domain.md §5:
// Kuma treats preview builds as compatible with everything).
var UnknownVersion = &Rule{
	ID:    "unknown-version",
	Level: model.LevelWarning,
	Short: "A version that was never released (a typo such as 2.19.0 or Kuma 1.9), or a tag that is not a version.",
	Full: "kumalint measures skew on the products' release trains. A release line that does not exist, a patch " +
		"past the last one of a finished line, or a tag that is not a version at all is most often a typo, and " +
		"the image will fail to pull or run something other than intended. Preview builds " +
		"(X.Y.Z-preview.v<sha>) are reported as notes: like Kuma itself, kumalint cannot check their skew.",
	Remediation: "Use a released version. The release lines kumalint knows are listed by `kumalint explain unknown-version`.",
	Run:         runUnknownVersion,
}

func runUnknownVersion(p *Pass) {
	for _, c := range p.Graph.Components {
		img := c.Image.Value
		v := img.Version
		// The injector's images take the CP's tag unless set apart: one typo,
		// one finding, on the CP.
		if c.Owner != nil && c.Owner.Image.Value.Tag == img.Tag {
			continue
		}
		f := model.Finding{Pos: c.Image.Pos, Key: p.key(c)}
		switch v.State {
		case model.VersionInvalid:
			f.Message = fmt.Sprintf("%s: tag %q of image %s is not a version", c.Describe(), img.Tag, img.Repository)
			f.Fix = "use a release tag such as " + suggestTag(p, c)
		case model.VersionPreview:
			f.Level = model.LevelNote
			f.Message = fmt.Sprintf("%s: %s is a preview build; Kuma treats preview builds as compatible with every version, so its skew cannot be checked", c.Describe(), imageLabel(c))
			f.Fix = "pin a release version before this reaches production"
		case model.VersionExact:
			msg, ok := unreleased(p, c)
			if !ok {
				continue
			}
			f.Message = msg
			f.Fix = "use a released version: " + suggestTag(p, c)
		default:
			continue
		}
		p.Report(f)
	}
}

// unreleased explains why an exact version was never released.
func unreleased(p *Pass, c *model.Component) (string, bool) {
	v := c.Version()
	t := p.Policy.Train(c.Product)
	title := t.Product.Title()
	line, ok := t.Lookup(v)
	if !ok {
		newest := t.Newest()
		if pos := t.Position(v.Major, v.Minor); pos > len(t.Lines)-1 || v.Major > newest.Major {
			return fmt.Sprintf("%s: %s has no release line %s (the newest kumalint knows is %s); a typo, or a release newer than this kumalint",
				c.Describe(), title, v.Line(), newest.Name()), true
		}
		var before, after string
		for _, l := range t.Lines {
			if l.Major < v.Major || (l.Major == v.Major && l.Minor < v.Minor) {
				before = l.Name()
			} else if after == "" {
				after = l.Name()
			}
		}
		if before == "" {
			return fmt.Sprintf("%s: %s has no release line %s; its first is %s", c.Describe(), title, v.Line(), after), true
		}
		return fmt.Sprintf("%s: %s never released a %s line; after %s came %s", c.Describe(), title, v.Line(), before, after), true
	}
	// A finished line gets no more patches: a higher one is a typo. A line still
	// supported when the table was made may have had patches since.
	if line.Latest >= 0 && v.Patch > line.Latest && !line.EOL.IsZero() && !line.EOL.After(t.DataAsOf) {
		return fmt.Sprintf("%s: %s %s ended at %s.%d, so %s was never released", c.Describe(), title, line.Name(), line.Name(), line.Latest, v), true
	}
	return "", false
}
