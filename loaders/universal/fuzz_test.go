package universal

import (
	"testing"

	"github.com/kumalint/kumalint/internal/fuzzseed"
	"github.com/kumalint/kumalint/loaders/yamldoc"
)

func FuzzCompose(f *testing.F) {
	fuzzseed.Add(f, "compose.yaml", "docker-compose.yaml")
	f.Fuzz(func(t *testing.T, data []byte) {
		files := memFiles{"p/compose.yaml": string(data), "p/.env": "V=2.9.1\n", "p/kuma.yaml": "mode: zone\n"}
		docs, err := yamldoc.Decode("p/compose.yaml", data)
		if err != nil {
			return
		}
		Load(files, docs, nil)
	})
}

func FuzzUnitAndScript(f *testing.F) {
	fuzzseed.Add(f, ".service", ".sh")
	f.Fuzz(func(t *testing.T, data []byte) {
		files := memFiles{"u/x.service": string(data), "u/x.sh": string(data), "etc/kuma/kuma-cp.yaml": "store:\n  type: postgres\n"}
		comps, _ := Load(files, nil, []string{"u/x.service", "u/x.sh"})
		for _, c := range comps {
			if c.Image.Pos.File == "" {
				t.Errorf("component %s without a position", c.Describe())
			}
		}
	})
}
