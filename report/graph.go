package report

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/kumalint/kumalint/model"
)

// GraphFormats lists the formats of WriteGraph.
var GraphFormats = []string{"text", "mermaid", "dot", "json"}

// WriteGraph draws the version graph: every component with its version and
// instance count, and the edges between tiers, marked with the rules that a
// pair breaks.
func WriteGraph(w io.Writer, format string, g *model.Graph, findings []model.Finding) error {
	v := newGraphView(g, findings)
	switch format {
	case "text":
		return v.text(w)
	case "mermaid":
		return v.mermaid(w)
	case "dot":
		return v.dot(w)
	case "json":
		return v.json(w)
	}
	return fmt.Errorf("unknown format %q (want %s)", format, strings.Join(GraphFormats, ", "))
}

type graphView struct {
	g *model.Graph
	// broken lists, per edge index, the rules its pair breaks.
	broken [][]string
	// children lists, per component, the components whose edges lead to it.
	children [][]int
	hasUp    []bool
}

func newGraphView(g *model.Graph, findings []model.Finding) *graphView {
	v := &graphView{g: g, broken: make([][]string, len(g.Edges)), children: make([][]int, len(g.Components)), hasUp: make([]bool, len(g.Components))}
	pairRule := map[string][]string{}
	for _, f := range findings {
		parts := strings.Split(f.Key, model.KeySep)
		if len(parts) >= 3 {
			k := parts[1] + model.KeySep + parts[2]
			if !slices.Contains(pairRule[k], f.Rule) {
				pairRule[k] = append(pairRule[k], f.Rule)
			}
		}
	}
	for i, e := range g.Edges {
		lo, up := g.Components[e.From], g.Components[e.To]
		v.broken[i] = pairRule[lo.Identity()+model.KeySep+up.Identity()]
		slices.Sort(v.broken[i])
		v.children[e.To] = append(v.children[e.To], e.From)
		v.hasUp[e.From] = true
	}
	return v
}

// nodeLabel is "kuma-cp 2.9.3" and what the component is.
func nodeLabel(c *model.Component) (head, detail string) {
	head = c.Image.Value.Name
	if head == "" {
		head = string(c.Image.Value.Binary)
	}
	head += " " + c.Image.Value.Version.String()
	switch {
	case c.IsCP():
		role := string(c.Role.Value)
		if c.Zone.Value != "" {
			role += " " + c.Zone.Value
		}
		detail = role + ", " + instanceText(c)
	case c.DPKind == model.DPInjected || c.DPKind == model.DPInit:
		detail = string(c.DPKind) + " image of " + c.Object.Name
	default:
		detail = string(c.DPKind) + " " + c.Object.Name
	}
	return head, detail
}

func instanceText(c *model.Component) string {
	switch {
	case c.Scaling != nil:
		return fmt.Sprintf("%d-%d instances (HPA)", c.Scaling.Min.Value, c.Scaling.Max.Value)
	case c.Replicas.Value < 0:
		return "instances unknown"
	case c.Replicas.Value == 1:
		return "1 instance"
	}
	return fmt.Sprintf("%d instances", c.Replicas.Value)
}

func (v *graphView) text(w io.Writer) error {
	bw := bufio.NewWriter(w)
	edgeTo := map[int]int{} // component -> index of its edge up
	for i, e := range v.g.Edges {
		edgeTo[e.From] = i
	}
	var walk func(id, depth int)
	walk = func(id, depth int) {
		c := v.g.Components[id]
		head, detail := nodeLabel(c)
		mark := ""
		if i, ok := edgeTo[id]; ok && len(v.broken[i]) > 0 {
			mark = "  !! " + strings.Join(v.broken[i], ", ")
		}
		fmt.Fprintf(bw, "%s%s (%s)  %s%s\n", strings.Repeat("    ", depth), head, detail, c.Image.Pos, mark)
		for _, ch := range v.children[id] {
			walk(ch, depth+1)
		}
	}
	for n, env := range v.g.Environments {
		if n > 0 {
			fmt.Fprintln(bw)
		}
		fmt.Fprintf(bw, "deployment %d\n", n+1)
		for _, id := range env {
			if !v.hasUp[id] {
				walk(id, 1)
			}
		}
	}
	return bw.Flush()
}

// mermaid draws a flowchart that GitHub renders in Markdown: one subgraph per
// deployment, upper tiers on top, broken edges red and labelled with the rule.
func (v *graphView) mermaid(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "flowchart TB")
	for n, env := range v.g.Environments {
		fmt.Fprintf(bw, "  subgraph d%d[\"deployment %d\"]\n", n+1, n+1)
		for _, id := range env {
			head, detail := nodeLabel(v.g.Components[id])
			open, end := "[", "]"
			if v.g.Components[id].IsCP() {
				open, end = "[[", "]]"
			}
			fmt.Fprintf(bw, "    c%d%s\"%s<br/>%s\"%s\n", id, open, mermaidText(head), mermaidText(detail), end)
		}
		fmt.Fprintln(bw, "  end")
	}
	var red []int
	for i, e := range v.g.Edges {
		if len(v.broken[i]) > 0 {
			fmt.Fprintf(bw, "  c%d -. \"%s\" .-> c%d\n", e.To, mermaidText(strings.Join(v.broken[i], ", ")), e.From)
			red = append(red, i)
			continue
		}
		fmt.Fprintf(bw, "  c%d --> c%d\n", e.To, e.From)
	}
	for _, i := range red {
		fmt.Fprintf(bw, "  linkStyle %d stroke:#d1242f,stroke-width:2px\n", i)
	}
	return bw.Flush()
}

// mermaidText keeps a label inside its quotes.
func mermaidText(s string) string {
	return strings.NewReplacer(`"`, "#quot;", "<", "#lt;", ">", "#gt;").Replace(s)
}

func (v *graphView) dot(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "digraph kumalint {")
	fmt.Fprintln(bw, "  rankdir=TB;")
	fmt.Fprintln(bw, "  node [shape=box, fontname=\"Helvetica\"];")
	for n, env := range v.g.Environments {
		fmt.Fprintf(bw, "  subgraph cluster_%d {\n    label=%q;\n", n+1, fmt.Sprintf("deployment %d", n+1))
		for _, id := range env {
			head, detail := nodeLabel(v.g.Components[id])
			style := ""
			if v.g.Components[id].IsCP() {
				style = ", style=bold"
			}
			fmt.Fprintf(bw, "    c%d [label=%q%s];\n", id, head+"\n"+detail, style)
		}
		fmt.Fprintln(bw, "  }")
	}
	for i, e := range v.g.Edges {
		if len(v.broken[i]) > 0 {
			fmt.Fprintf(bw, "  c%d -> c%d [color=red, fontcolor=red, style=dashed, label=%q];\n", e.To, e.From, strings.Join(v.broken[i], ", "))
			continue
		}
		fmt.Fprintf(bw, "  c%d -> c%d;\n", e.To, e.From)
	}
	fmt.Fprintln(bw, "}")
	return bw.Flush()
}

type jsonNode struct {
	ID        int          `json:"id"`
	Kind      string       `json:"kind"`
	Role      string       `json:"role,omitempty"`
	Zone      string       `json:"zone,omitempty"`
	DPKind    string       `json:"dataplaneKind,omitempty"`
	Product   string       `json:"product,omitempty"`
	Image     string       `json:"image"`
	Version   string       `json:"version"`
	Instances *int         `json:"instances,omitempty"`
	Object    string       `json:"object"`
	Location  jsonLocation `json:"location"`
}

type jsonEdge struct {
	Kind   string   `json:"kind"`
	From   int      `json:"from"`
	To     int      `json:"to"`
	Via    string   `json:"via"`
	Broken []string `json:"broken,omitempty"`
}

func (v *graphView) json(w io.Writer) error {
	out := struct {
		Components   []jsonNode `json:"components"`
		Edges        []jsonEdge `json:"edges"`
		Environments [][]int    `json:"environments"`
	}{Components: []jsonNode{}, Edges: []jsonEdge{}, Environments: v.g.Environments}
	if out.Environments == nil {
		out.Environments = [][]int{}
	}
	for _, c := range v.g.Components {
		n := jsonNode{
			ID: c.ID, Kind: string(c.Kind), Role: string(c.Role.Value), Zone: c.Zone.Value, DPKind: string(c.DPKind),
			Product: string(c.Product), Image: c.Image.Value.Ref, Version: c.Image.Value.Version.String(),
			Object: c.Object.String(), Location: loc(c.Image.Pos, ""),
		}
		if c.IsCP() && c.Scaling == nil && c.Replicas.Value >= 0 {
			r := c.Replicas.Value
			n.Instances = &r
		} else if c.IsCP() && c.Scaling != nil {
			r := c.Scaling.Min.Value
			n.Instances = &r
		}
		out.Components = append(out.Components, n)
	}
	for i, e := range v.g.Edges {
		out.Edges = append(out.Edges, jsonEdge{Kind: string(e.Kind), From: e.From, To: e.To, Via: e.Via, Broken: v.broken[i]})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
