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

// FuzzCPConfig: any kuma-cp config file a unit names is read without a
// panic, and a store is only shared by address when the type is postgres.
func FuzzCPConfig(f *testing.F) {
	fuzzseed.Add(f, "kuma-cp.yaml", "global.yaml")
	f.Add([]byte("store:\n  type: postgres\n  postgres: {host: db, port: 5432, dbName: kuma}\nexperimental:\n  useTagFirstVirtualOutboundModel: true\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		files := memFiles{
			"u/cp.service":     "[Service]\nExecStart=/opt/kuma-2.9.1/bin/kuma-cp run --config-file=/etc/kuma/cp.yaml\n",
			"etc/kuma/cp.yaml": string(data),
		}
		comps, _ := Load(files, nil, []string{"u/cp.service"})
		for _, c := range comps {
			if c.Store.Value != "" && c.StoreType.Value != "postgres" {
				t.Errorf("store %s with type %q", c.Store.Value, c.StoreType.Value)
			}
		}
	})
}
