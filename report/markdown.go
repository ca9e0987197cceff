package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/kumalint/kumalint/model"
)

// writeMarkdown renders a report for a GitHub job summary or a pull-request
// comment: a headline, a table of findings, the fixes, and inputs that could
// not be read.
func writeMarkdown(w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	active := model.Active(r.Findings)
	errs, warns, notes := counts(active)
	fmt.Fprintf(bw, "## kumalint: %s (%s, %s, %s)\n\n", plural(len(active), "finding", "findings"),
		plural(errs, "error", "errors"), plural(warns, "warning", "warnings"), plural(notes, "note", "notes"))
	if r.Base != "" {
		existing := 0
		for _, f := range active {
			if f.Existing {
				existing++
			}
		}
		fmt.Fprintf(bw, "Compared with `%s`: %d new or made worse by this change, %d already there (shown as notes).\n\n",
			MarkdownEscape(r.Base), len(active)-existing, existing)
	}
	if len(active) == 0 {
		fmt.Fprintf(bw, "No findings in %s.\n", plural(r.Files, "file", "files"))
	} else {
		fmt.Fprintln(bw, "| Level | Rule | Where | Finding |")
		fmt.Fprintln(bw, "|---|---|---|---|")
		for _, f := range active {
			msg := MarkdownEscape(f.Message)
			if f.Existing {
				msg += " *(already at base)*"
			}
			fmt.Fprintf(bw, "| %s | [`%s`](%s) | `%s` | %s |\n", levelBadge(f.Level), f.Rule, RuleURL(f.Rule), f.Pos, msg)
		}
		fmt.Fprintln(bw)
		fmt.Fprintln(bw, "<details><summary>How to fix</summary>")
		fmt.Fprintln(bw)
		for _, f := range active {
			if f.Fix != "" {
				fmt.Fprintf(bw, "- `%s` %s: %s\n", f.Pos, f.Rule, MarkdownEscape(f.Fix))
			}
		}
		fmt.Fprintln(bw)
		fmt.Fprintln(bw, "</details>")
	}
	var unread []model.Diagnostic
	for _, d := range r.Diagnostics {
		if d.Level == model.LevelError {
			unread = append(unread, d)
		}
	}
	if len(unread) > 0 {
		fmt.Fprintf(bw, "\n**%s could not be read** (exit code 2; everything else was linted):\n\n", plural(len(unread), "input", "inputs"))
		for _, d := range unread {
			fmt.Fprintf(bw, "- `%s`: %s\n", d.Pos, MarkdownEscape(d.Message))
		}
	}
	if n := len(r.Findings) - len(active); n > 0 {
		fmt.Fprintf(bw, "\n%s suppressed by ignore comments, annotations or the baseline.\n", plural(n, "finding", "findings"))
	}
	if r.Stale > 0 {
		fmt.Fprintf(bw, "\n%s matched nothing: those findings are fixed; rewrite the baseline.\n", plural(r.Stale, "baseline entry", "baseline entries"))
	}
	return bw.Flush()
}

func levelBadge(l model.Level) string {
	switch l {
	case model.LevelError:
		return ":x: error"
	case model.LevelWarning:
		return ":warning: warning"
	}
	return ":information_source: note"
}

// MarkdownEscape keeps text from breaking a Markdown table or turning into
// markup.
func MarkdownEscape(s string) string {
	return mdReplacer.Replace(s)
}

var mdReplacer = strings.NewReplacer("|", "\\|", "*", "\\*", "_", "\\_", "<", "&lt;", ">", "&gt;", "`", "\\`", "\n", " ")
