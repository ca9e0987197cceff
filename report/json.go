package report

import (
	"encoding/json"
	"io"

	"github.com/kumalint/kumalint/model"
)

// The JSON format, schema version 1 (docs/output.md). Field names are part of
// the contract; add fields, never rename them.
type jsonReport struct {
	Schema   int           `json:"schemaVersion"`
	Tool     jsonTool      `json:"tool"`
	Base     string        `json:"base,omitempty"` // PR mode: the revision compared with
	Findings []jsonFinding `json:"findings"`
	// Suppressed are findings an ignore comment, annotation or baseline
	// silenced; they do not count in the summary or the exit code.
	Suppressed []jsonFinding `json:"suppressed"`
	Errors     []jsonDiag    `json:"errors"`
	Notices    []jsonDiag    `json:"notices"`
	Summary    jsonSummary   `json:"summary"`
}

type jsonTool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type jsonLocation struct {
	File    string `json:"file"`
	Line    int    `json:"line,omitempty"`
	Column  int    `json:"column,omitempty"`
	Message string `json:"message,omitempty"`
}

type jsonFinding struct {
	Rule        string         `json:"rule"`
	Level       string         `json:"level"`
	Message     string         `json:"message"`
	Fix         string         `json:"fix,omitempty"`
	Location    jsonLocation   `json:"location"`
	Related     []jsonLocation `json:"related,omitempty"`
	Fingerprint string         `json:"fingerprint"`
	HelpURI     string         `json:"helpUri"`
	// Existing: in PR mode, already present at the base revision.
	Existing    bool             `json:"existing,omitempty"`
	Suppression *jsonSuppression `json:"suppression,omitempty"`
}

type jsonSuppression struct {
	Kind          string       `json:"kind"` // inSource or external, as in SARIF
	Justification string       `json:"justification,omitempty"`
	Location      jsonLocation `json:"location"`
}

type jsonDiag struct {
	Level    string       `json:"level"`
	Message  string       `json:"message"`
	Location jsonLocation `json:"location"`
}

type jsonSummary struct {
	Files    int `json:"files"`
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
	Notes    int `json:"notes"`
	Unread   int `json:"unreadInputs"`
}

func loc(p model.Pos, msg string) jsonLocation {
	return jsonLocation{File: p.File, Line: p.Line, Column: p.Col, Message: msg}
}

func writeJSON(w io.Writer, r *Report) error {
	out := jsonReport{
		Schema:     1,
		Tool:       jsonTool{Name: "kumalint", Version: r.ToolVersion},
		Findings:   []jsonFinding{},
		Suppressed: []jsonFinding{},
		Errors:     []jsonDiag{},
		Notices:    []jsonDiag{},
		Summary:    jsonSummary{Files: r.Files},
		Base:       r.Base,
	}
	for _, f := range r.Findings {
		jf := jsonFinding{
			Rule:        f.Rule,
			Level:       f.Level.String(),
			Message:     f.Message,
			Fix:         f.Fix,
			Location:    loc(f.Pos, ""),
			Fingerprint: model.Fingerprint(f),
			HelpURI:     RuleURL(f.Rule),
			Existing:    f.Existing,
		}
		for _, rel := range f.Related {
			jf.Related = append(jf.Related, loc(rel.Pos, rel.Message))
		}
		if s := f.Suppression; s != nil {
			jf.Suppression = &jsonSuppression{Kind: string(s.Kind), Justification: s.Justification, Location: loc(s.Pos, "")}
			out.Suppressed = append(out.Suppressed, jf)
			continue
		}
		out.Findings = append(out.Findings, jf)
	}
	out.Summary.Errors, out.Summary.Warnings, out.Summary.Notes = counts(model.Active(r.Findings))
	for _, d := range r.Diagnostics {
		jd := jsonDiag{Level: d.Level.String(), Message: d.Message, Location: loc(d.Pos, "")}
		if d.Level == model.LevelError {
			out.Errors = append(out.Errors, jd)
			out.Summary.Unread++
		} else {
			out.Notices = append(out.Notices, jd)
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}
