package suppress

import (
	"strings"
	"testing"
	"unicode"
)

// FuzzScan: directives are found on real lines, with the rules and reason
// taken apart, from any text.
func FuzzScan(f *testing.F) {
	f.Add("a: 1  # kumalint:ignore zone-skew -- reason\n")
	f.Add("# kumalint:ignore a,b,c --\n#kumalint:ignore\n")
	f.Add("x: \"# kumalint:ignore not-a-comment\"\n")
	f.Fuzz(func(t *testing.T, text string) {
		lines := strings.Count(text, "\n") + 1
		for _, d := range Scan("f.yaml", []byte(text)) {
			if d.Pos.Line < 1 || d.Pos.Line > lines || d.Pos.Col < 1 {
				t.Errorf("directive at %v in a %d-line text", d.Pos, lines)
			}
			for _, r := range d.Rules {
				if r == "" || strings.ContainsFunc(r, func(c rune) bool { return c == ',' || unicode.IsSpace(c) }) {
					t.Errorf("rule %q not taken apart", r)
				}
			}
		}
	})
}
