package kube

import (
	"testing"

	"github.com/kumalint/kumalint/internal/fuzzseed"
	"github.com/kumalint/kumalint/loaders/yamldoc"
)

// FuzzLoad: any YAML that decodes can be loaded without a panic, and every
// component has a position in the file.
func FuzzLoad(f *testing.F) {
	fuzzseed.Add(f, ".yaml")
	f.Fuzz(func(t *testing.T, data []byte) {
		docs, _ := yamldoc.Decode("f.yaml", data)
		comps, _ := Load(docs)
		for _, c := range comps {
			if c.Image.Pos.File != "f.yaml" || c.Object.Pos.File != "f.yaml" {
				t.Errorf("component %s without a position in the file: %v %v", c.Describe(), c.Image.Pos, c.Object.Pos)
			}
		}
	})
}
