package gitops

import (
	"testing"

	"github.com/kumalint/kumalint/internal/fuzzseed"
	"github.com/kumalint/kumalint/loaders/helm"
	"github.com/kumalint/kumalint/loaders/yamldoc"
)

// FuzzReleases: GitOps objects of any shape become releases, and releases
// evaluate, without a panic.
func FuzzReleases(f *testing.F) {
	fuzzseed.Add(f, ".yaml")
	f.Fuzz(func(t *testing.T, data []byte) {
		docs, err := yamldoc.Decode("helmfile.yaml", data)
		if err != nil {
			return
		}
		files := memFiles{"helmfile.yaml": string(data), "values/prod.yaml": "controlPlane:\n  replicas: 2\n"}
		rs, _ := Releases(docs, files)
		for _, r := range rs {
			helm.Evaluate(r)
		}
	})
}
