package kustomize

import (
	"testing"

	"github.com/kumalint/kumalint/internal/fuzzseed"
)

// FuzzScan: any kustomization is scanned without a panic, and never gets
// past the scan with a remote entry.
func FuzzScan(f *testing.F) {
	fuzzseed.Add(f, "kustomization.yaml")
	f.Add([]byte("resources:\n  - https://example.com/x\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		files := memFiles{"o/kustomization.yaml": string(data), "o/cp.yaml": deployment, "base/kustomization.yaml": "resources: [cp.yaml]\n", "base/cp.yaml": deployment}
		tree, _ := Scan(files, []string{"o/kustomization.yaml", "base/kustomization.yaml"}, Options{})
		for _, k := range tree.ByDir {
			for _, c := range k.Children {
				if remote(c, false) {
					t.Errorf("remote child %q passed the scan", c)
				}
			}
		}
	})
}
