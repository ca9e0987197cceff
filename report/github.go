package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/kumalint/kumalint/model"
)

// writeGitHub emits GitHub Actions workflow commands, which the runner turns
// into annotations on the pull request's diff:
//
//	::error file=zone/kuma.yaml,line=42,col=22,title=dataplane-skew::message
func writeGitHub(w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	for _, d := range r.Diagnostics {
		writeCommand(bw, d.Level, d.Pos, "kumalint", d.Message)
	}
	for _, f := range model.Active(r.Findings) {
		msg := f.Message
		if f.Fix != "" {
			msg += "\nFix: " + f.Fix
		}
		writeCommand(bw, f.Level, f.Pos, f.Rule, msg)
	}
	return bw.Flush()
}

func writeCommand(w io.Writer, l model.Level, p model.Pos, title, msg string) {
	cmd := "notice"
	switch l {
	case model.LevelError:
		cmd = "error"
	case model.LevelWarning:
		cmd = "warning"
	}
	props := []string{"file=" + escapeProperty(p.File)}
	if p.Line > 0 {
		props = append(props, fmt.Sprintf("line=%d", p.Line))
		if p.Col > 0 {
			props = append(props, fmt.Sprintf("col=%d", p.Col))
		}
	}
	props = append(props, "title="+escapeProperty(title))
	fmt.Fprintf(w, "::%s %s::%s\n", cmd, strings.Join(props, ","), escapeData(msg))
}

// escapeData and escapeProperty follow the runner's workflow-command encoding.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
