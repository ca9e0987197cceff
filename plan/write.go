package plan

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/kumalint/kumalint/model"
	"github.com/kumalint/kumalint/report"
)

// Formats lists the output formats of Write.
var Formats = []string{"text", "markdown", "json"}

// Write renders plans in format.
func Write(w io.Writer, format string, plans []*Plan) error {
	switch format {
	case "text":
		return writeText(w, plans)
	case "markdown":
		return writeMarkdown(w, plans)
	case "json":
		return writeJSON(w, plans)
	}
	return fmt.Errorf("unknown format %q (want %s)", format, strings.Join(Formats, ", "))
}

// title is "control plane kuma-control-plane (global) in global/kuma.yaml: to Kuma 2.13".
func (p *Plan) title() string {
	return fmt.Sprintf("%s in %s: to %s %s", p.Root.Describe(), p.Root.Image.Pos.File, p.Product.Title(), p.Target)
}

func stepTitle(i int, s Step) string {
	return fmt.Sprintf("Step %d: %s to %s", i+1, s.Tier, s.Line)
}

const rollout = "Each step is one change: merge it, roll it out and check that every instance runs the new version before the next step."

func writeText(w io.Writer, plans []*Plan) error {
	bw := bufio.NewWriter(w)
	for i, p := range plans {
		if i > 0 {
			fmt.Fprintln(bw)
		}
		fmt.Fprintf(bw, "%s, %s\n", p.title(), steps(len(p.Steps)))
		if len(p.Steps) > 0 {
			fmt.Fprintln(bw, rollout)
		}
		for j, s := range p.Steps {
			fmt.Fprintf(bw, "\n%s\n", stepTitle(j, s))
			for _, m := range s.Moves {
				fmt.Fprintf(bw, "  %s: set %s: %s -> %s\n", m.Component.Image.Pos, m.Component.Setting(), m.From, m.To)
				for _, f := range m.Followers {
					fmt.Fprintf(bw, "  %s: and %s: %s -> %s%s\n", f.Component.Image.Pos, f.Component.Setting(), f.From, f.To, restart(f.Component))
				}
			}
		}
		for _, s := range p.Skipped {
			fmt.Fprintf(bw, "  not planned: %s\n", s)
		}
	}
	return bw.Flush()
}

func restart(f *model.Component) string {
	if f.DPKind == model.DPInjected {
		return "; afterwards restart the meshed workloads so their sidecars are re-injected"
	}
	return ""
}

func steps(n int) string {
	switch n {
	case 0:
		return "nothing to do"
	case 1:
		return "1 step"
	}
	return fmt.Sprintf("%d steps", n)
}

func writeMarkdown(w io.Writer, plans []*Plan) error {
	bw := bufio.NewWriter(w)
	for i, p := range plans {
		if i > 0 {
			fmt.Fprintln(bw)
		}
		fmt.Fprintf(bw, "### Upgrade plan: %s, %s\n\n", report.MarkdownEscape(p.title()), steps(len(p.Steps)))
		if len(p.Steps) > 0 {
			fmt.Fprintf(bw, "%s\n", rollout)
		}
		for j, s := range p.Steps {
			fmt.Fprintf(bw, "\n#### %s\n\n| Where | Setting | From | To |\n|---|---|---|---|\n", stepTitle(j, s))
			for _, m := range s.Moves {
				fmt.Fprintf(bw, "| `%s` | %s | %s | %s |\n", m.Component.Image.Pos, report.MarkdownEscape(m.Component.Setting()), m.From, m.To)
				for _, f := range m.Followers {
					fmt.Fprintf(bw, "| `%s` | %s%s | %s | %s |\n", f.Component.Image.Pos, report.MarkdownEscape(f.Component.Setting()), report.MarkdownEscape(restart(f.Component)), f.From, f.To)
				}
			}
		}
		if len(p.Skipped) > 0 {
			fmt.Fprintln(bw)
			for _, s := range p.Skipped {
				fmt.Fprintf(bw, "- Not planned: %s\n", report.MarkdownEscape(s))
			}
		}
	}
	return bw.Flush()
}

type jsonMove struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Setting string `json:"setting"`
	From    string `json:"from"`
	To      string `json:"to"`
}

type jsonStep struct {
	Tier  string     `json:"tier"`
	Line  string     `json:"line"`
	Moves []jsonMove `json:"moves"`
}

type jsonPlan struct {
	Deployment string     `json:"deployment"`
	File       string     `json:"file"`
	Product    string     `json:"product"`
	Target     string     `json:"target"`
	Steps      []jsonStep `json:"steps"`
	Skipped    []string   `json:"skipped,omitempty"`
}

func writeJSON(w io.Writer, plans []*Plan) error {
	out := struct {
		Plans []jsonPlan `json:"plans"`
	}{Plans: []jsonPlan{}}
	for _, p := range plans {
		jp := jsonPlan{Deployment: p.Root.Describe(), File: p.Root.Image.Pos.File, Product: string(p.Product), Target: p.Target, Steps: []jsonStep{}, Skipped: p.Skipped}
		for _, s := range p.Steps {
			js := jsonStep{Tier: s.Tier.String(), Line: s.Line}
			for _, m := range s.Moves {
				js.Moves = append(js.Moves, jsonMoveOf(m.Component, m.From, m.To))
				for _, f := range m.Followers {
					js.Moves = append(js.Moves, jsonMoveOf(f.Component, f.From, f.To))
				}
			}
			jp.Steps = append(jp.Steps, js)
		}
		out.Plans = append(out.Plans, jp)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func jsonMoveOf(c *model.Component, from, to string) jsonMove {
	return jsonMove{File: c.Image.Pos.File, Line: c.Image.Pos.Line, Column: c.Image.Pos.Col, Setting: c.Setting(), From: from, To: to}
}
