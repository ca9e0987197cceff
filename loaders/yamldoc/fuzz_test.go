package yamldoc

import (
	"bytes"
	"errors"
	"testing"

	"github.com/kumalint/kumalint/internal/fuzzseed"
)

func FuzzDecode(f *testing.F) {
	fuzzseed.Add(f, ".yaml", ".yml")
	f.Add([]byte("a: &a [*a]\n"))
	f.Add([]byte("\ufeffa: 1\r\nb: 2\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		docs, err := Decode("f.yaml", data)
		lines := bytes.Count(data, []byte("\n")) + 1
		if e := (*Error)(nil); errors.As(err, &e) && e.Pos.Line > lines+1 {
			t.Errorf("error at line %d of a %d-line file", e.Pos.Line, lines)
		}
		for _, d := range docs {
			_ = CheckLimits([]Doc{d}, DefaultLimits)
			if d.Root.Line > lines+1 {
				t.Errorf("document at line %d of a %d-line file", d.Root.Line, lines)
			}
			for _, k := range []string{"kind", "spec", "metadata"} {
				Get(d.Root, k)
			}
			FindScalar(d.Root, "x")
		}
	})
}
