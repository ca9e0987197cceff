// Package report writes a run's findings and diagnostics in the output
// formats: text, json, sarif, github (workflow commands) and markdown (a job
// summary or pull-request comment).
package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/kumalint/kumalint/model"
	"github.com/kumalint/kumalint/rules"
)

// DocsBase is where the rule pages are published; a rule's page is
// DocsBase + id + ".md".
const DocsBase = "https://github.com/kumalint/kumalint/blob/main/docs/rules/"

// InformationURI is the project's home.
const InformationURI = "https://github.com/kumalint/kumalint"

// Report is what the formats render.
type Report struct {
	ToolVersion string
	Rules       []*rules.Rule // every rule that ran, for SARIF's driver
	Findings    []model.Finding
	Diagnostics []model.Diagnostic
	Files       int
	// Base is the revision compared with in PR mode (lint --base), "" otherwise.
	Base string
	// Stale counts baseline entries that matched nothing.
	Stale int
}

// Formats lists the format names Write accepts.
var Formats = []string{"text", "json", "sarif", "github", "markdown"}

// Options tune the text format.
type Options struct {
	Color bool
}

// Write renders r in format to w.
func Write(w io.Writer, format string, r *Report, opts Options) error {
	switch format {
	case "text":
		return writeText(w, r, opts)
	case "json":
		return writeJSON(w, r)
	case "sarif":
		return writeSARIF(w, r)
	case "github":
		return writeGitHub(w, r)
	case "markdown":
		return writeMarkdown(w, r)
	}
	return fmt.Errorf("unknown format %q (want %s)", format, strings.Join(Formats, ", "))
}

// RuleURL is the page of a rule.
func RuleURL(id string) string { return DocsBase + id + ".md" }

// counts tallies findings by level.
func counts(fs []model.Finding) (errs, warns, notes int) {
	for _, f := range fs {
		switch f.Level {
		case model.LevelError:
			errs++
		case model.LevelWarning:
			warns++
		case model.LevelNote:
			notes++
		}
	}
	return
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
