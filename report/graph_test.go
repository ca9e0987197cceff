package report_test

import (
	"bytes"
	"flag"
	"path/filepath"
	"testing"
	"time"

	"github.com/kumalint/kumalint/internal/golden"

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
			path := filepath.Join("..", "testdata", "golden", "graph-multizone."+ext[format])
			golden.Check(t, path, buf.Bytes(), *update)
		})
	}
	if err := report.WriteGraph(&bytes.Buffer{}, "svg", res.Graph, nil); err == nil {
		t.Error("unknown format: no error")
	}
}
