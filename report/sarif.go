package report

import (
	"io"
	"strings"

	"github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/kumalint/kumalint/docs"
	"github.com/kumalint/kumalint/model"
)

// srcRoot is the uriBaseId of every location: paths are relative to the
// repository root, which is what GitHub code scanning resolves them against.
const srcRoot = "%SRCROOT%"

func sarifLevel(l model.Level) string {
	switch l {
	case model.LevelError:
		return "error"
	case model.LevelWarning:
		return "warning"
	case model.LevelNote:
		return "note"
	}
	return "none"
}

func physical(p model.Pos) *sarif.PhysicalLocation {
	pl := sarif.NewPhysicalLocation().
		WithArtifactLocation(sarif.NewSimpleArtifactLocation(p.File).WithUriBaseId(srcRoot))
	// GitHub requires a region; a whole-file problem is reported on line 1.
	line := max(p.Line, 1)
	region := sarif.NewRegion().WithStartLine(line)
	if p.Col > 0 {
		region.WithStartColumn(p.Col)
	}
	return pl.WithRegion(region)
}

func writeSARIF(w io.Writer, r *Report) error {
	rep, err := sarif.New(sarif.Version210)
	if err != nil {
		return err
	}
	run := sarif.NewRunWithInformationURI("kumalint", InformationURI)
	run.Tool.Driver.WithVersion(strings.TrimPrefix(r.ToolVersion, "v"))
	index := map[string]int{}
	for i, rule := range r.Rules {
		index[rule.ID] = i
		help := rule.Full + "\n\nHow to fix: " + rule.Remediation + "\n\nDocumentation: " + RuleURL(rule.ID)
		md, ok := docs.RulePage(rule.ID)
		if !ok {
			md = help
		}
		md += "\n\n[Rule documentation](" + RuleURL(rule.ID) + ")\n"
		sr := run.AddRule(rule.ID)
		// SARIF wants a name that differs from the id; "downgrade" has none.
		if name := ruleName(rule.ID); !strings.EqualFold(name, rule.ID) {
			sr.WithName(name)
		}
		sr.WithShortDescription(sarif.NewMultiformatMessageString(rule.Short)).
			WithFullDescription(sarif.NewMultiformatMessageString(rule.Full)).
			WithHelpURI(RuleURL(rule.ID)).
			WithHelp(sarif.NewMultiformatMessageString(help).WithMarkdown(md)).
			WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(sarifLevel(rule.Level))).
			WithProperties(sarif.Properties{"tags": []string{"kuma", "upgrade-policy"}, "precision": "high"})
	}
	run.Results = []*sarif.Result{} // GitHub rejects a run without a results array
	for _, f := range r.Findings {
		text := f.Message + "."
		if f.Fix != "" {
			text += " Fix: " + f.Fix + "."
		}
		res := sarif.NewRuleResult(f.Rule).
			WithLevel(sarifLevel(f.Level)).
			WithMessage(sarif.NewTextMessage(text)).
			WithLocations([]*sarif.Location{sarif.NewLocationWithPhysicalLocation(physical(f.Pos))}).
			WithPartialFingerPrints(map[string]interface{}{"kumalint/v1": model.Fingerprint(f)})
		if i, ok := index[f.Rule]; ok {
			res.WithRuleIndex(i)
		}
		if s := f.Suppression; s != nil {
			// Kept, not dropped: code scanning shows it as dismissed, with why.
			sup := sarif.NewSuppression(string(s.Kind))
			if s.Justification != "" {
				sup.WithJustifcation(s.Justification)
			}
			if s.Kind == model.SuppressedInSource && s.Pos.Line > 0 {
				sup.WithLocation(sarif.NewLocationWithPhysicalLocation(physical(s.Pos)))
			}
			res.AddSuppression(sup)
		}
		if r.Base != "" {
			// PR mode: code scanning can tell what the change introduced.
			state := "new"
			if f.Existing {
				state = "unchanged"
			}
			res.WithBaselineState(state)
		}
		for i, rel := range f.Related {
			res.AddRelatedLocation(sarif.NewLocationWithPhysicalLocation(physical(rel.Pos)).
				WithId(i + 1).
				WithMessage(sarif.NewTextMessage(rel.Message)))
		}
		run.AddResult(res)
	}
	var notes []*sarif.Notification
	for _, d := range r.Diagnostics {
		notes = append(notes, sarif.NewNotification().
			WithLevel(sarifLevel(d.Level)).
			WithTextMessage(d.Message).
			WithLocations([]*sarif.Location{sarif.NewLocationWithPhysicalLocation(physical(d.Pos))}))
	}
	inv := run.AddInvocation(model.Unreadable(r.Diagnostics) == 0)
	if len(notes) > 0 {
		inv.WithToolExecutionNotifications(notes)
	}
	rep.AddRun(run)
	return rep.PrettyWrite(w)
}

// ruleName turns dataplane-skew into DataplaneSkew, SARIF's conventional
// rule name form.
func ruleName(id string) string {
	var b strings.Builder
	for _, part := range strings.Split(id, "-") {
		if part == "" {
			continue
		}
		if part == "cp" {
			b.WriteString("CP")
			continue
		}
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}
