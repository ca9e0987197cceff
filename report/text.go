package report

import (
	"bufio"
	"fmt"
	"io"

	"github.com/kumalint/kumalint/model"
)

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiDim    = "\x1b[2m"
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
)

func levelColor(l model.Level) string {
	switch l {
	case model.LevelError:
		return ansiRed
	case model.LevelWarning:
		return ansiYellow
	}
	return ansiCyan
}

// writeText prints one finding per block, compiler style:
//
//	zone-west/kuma.yaml:42:22: error dataplane-skew: ...
//	    fix: ...
//	    see: global/kuma.yaml:40:18: control plane ...
func writeText(w io.Writer, r *Report, opts Options) error {
	bw := bufio.NewWriter(w)
	paint := func(code, s string) string {
		if !opts.Color {
			return s
		}
		return code + s + ansiReset
	}
	for _, d := range r.Diagnostics {
		fmt.Fprintf(bw, "%s: %s %s\n", paint(ansiBold, d.Pos.String()), paint(levelColor(d.Level), d.Level.String()), d.Message)
	}
	active := model.Active(r.Findings)
	for _, f := range active {
		rule := f.Rule
		if f.Existing {
			rule += " (already at base)"
		}
		fmt.Fprintf(bw, "%s: %s %s: %s\n", paint(ansiBold, f.Pos.String()), paint(levelColor(f.Level), f.Level.String()), rule, f.Message)
		if f.Fix != "" {
			fmt.Fprintf(bw, "    %s %s\n", paint(ansiDim, "fix:"), f.Fix)
		}
		for _, rel := range f.Related {
			fmt.Fprintf(bw, "    %s %s: %s\n", paint(ansiDim, "see:"), rel.Pos, rel.Message)
		}
	}
	errs, warns, notes := counts(active)
	unread := model.Unreadable(r.Diagnostics)
	summary := fmt.Sprintf("%s (%s, %s, %s) in %s",
		plural(len(active), "finding", "findings"), plural(errs, "error", "errors"), plural(warns, "warning", "warnings"),
		plural(notes, "note", "notes"), plural(r.Files, "file", "files"))
	if unread > 0 {
		summary += "; " + plural(unread, "input", "inputs") + " could not be read"
	}
	if n := len(r.Findings) - len(active); n > 0 {
		summary += "; " + plural(n, "finding", "findings") + " suppressed"
	}
	if r.Stale > 0 {
		summary += "; " + plural(r.Stale, "baseline entry", "baseline entries") + " matched nothing (fixed: rewrite the baseline)"
	}
	if r.Base != "" {
		summary += "; compared with " + r.Base
	}
	fmt.Fprintln(bw, paint(ansiBold, summary))
	return bw.Flush()
}
