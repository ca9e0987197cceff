// Package docs embeds kumalint's rule pages, so that `kumalint explain` and
// the SARIF help text show the same page as the repository.
package docs

import "embed"

// Rules holds rules/<id>.md.
//
//go:embed rules/*.md
var Rules embed.FS

// RulePage returns the page of a rule, or false when it has none.
func RulePage(id string) (string, bool) {
	b, err := Rules.ReadFile("rules/" + id + ".md")
	if err != nil {
		return "", false
	}
	return string(b), true
}
