package report_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/kumalint/kumalint/lint"
	"github.com/kumalint/kumalint/report"
)

var update = flag.Bool("update", false, "rewrite testdata/golden/graph-*")

// TestGraphGolden draws examples/multizone in every graph format.
func TestGraphGolden(t *testing.T) {
	root := filepath.Join("..", "examples", "multizone")
	res, err := lint.Run(lint.Options{Root: root, Paths: []string{root}, Now: time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	ext := map[string]string{"text": "txt", "mermaid": "mmd", "dot": "dot", "json": "json"}
	for _, format := range report.GraphFormats {
		t.Run(format, func(t *testing.T) {
			var buf bytes.Buffer
			if err := report.WriteGraph(&buf, format, res.Graph, res.Findings); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("..", "testdata", "golden", "graph-multizone."+ext[format])
			if *update {
				if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (go test ./report -update creates it)", err)
			}
			if !bytes.Equal(buf.Bytes(), want) {
				t.Errorf("%s differs from %s; run go test ./report -update and review the diff", format, golden)
			}
		})
	}
	if err := report.WriteGraph(&bytes.Buffer{}, "svg", res.Graph, nil); err == nil {
		t.Error("unknown format: no error")
	}
}
