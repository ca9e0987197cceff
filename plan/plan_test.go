package plan_test

import (
	"bytes"
	"flag"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kumalint/kumalint/internal/golden"

	"github.com/kumalint/kumalint/lint"
	"github.com/kumalint/kumalint/model"
	"github.com/kumalint/kumalint/plan"
	"github.com/kumalint/kumalint/topology"
)

var update = flag.Bool("update", false, "rewrite testdata/golden/plan-*")

func cp(role model.Role, version, zone, global string) *model.Component {
	c := &model.Component{
		Kind:    model.KindControlPlane,
		Object:  model.Object{Kind: "Deployment", Namespace: "kuma-system", Name: "kuma-control-plane"},
		Image:   model.Stated(model.ParseImage("docker.io/kumahq/kuma-cp:"+version), model.Pos{File: zone + "/kuma.yaml", Line: 10}),
		Product: model.ProductKuma,
		Role:    model.Stated(role, model.Pos{}),
		Unit:    zone,
	}
	c.Zone.Value = zone
	c.GlobalAddress.Value = global
	if role == model.RoleGlobal {
		c.Addresses = []string{"kds.example.com"}
	}
	return c
}

func sidecar(owner *model.Component) *model.Component {
	return &model.Component{
		Kind: model.KindDataPlane, DPKind: model.DPInjected, Object: owner.Object, Owner: owner, Unit: owner.Unit,
		Container: "KUMA_RUNTIME_KUBERNETES_INJECTOR_SIDECAR_CONTAINER_IMAGE", Product: model.ProductKuma,
		Image: model.Stated(owner.Image.Value, model.Pos{File: owner.Image.Pos.File, Line: 20}),
	}
}

func gateway(version, unit string) *model.Component {
	return &model.Component{
		Kind: model.KindDataPlane, DPKind: model.DPContainer, Container: "envoy", Unit: unit, Product: model.ProductKuma,
		Object: model.Object{Kind: "Deployment", Namespace: "gateways", Name: "edge"},
		Image:  model.Stated(model.ParseImage("docker.io/kumahq/kuma-dp:"+version), model.Pos{File: unit + "/gateway.yaml", Line: 5}),
	}
}

// summary is "global 2.11 | zones 2.11 | …": each step's tier and line.
func summary(p *plan.Plan) string {
	var parts []string
	for _, s := range p.Steps {
		var moved []string
		for _, m := range s.Moves {
			moved = append(moved, m.Component.Unit+"="+m.To)
		}
		parts = append(parts, s.Tier.String()+" "+s.Line+" ("+strings.Join(moved, ",")+")")
	}
	return strings.Join(parts, " | ")
}

func TestMake(t *testing.T) {
	const ga = "grpcs://kds.example.com:5685"
	tests := []struct {
		name  string
		comps func() []*model.Component
		to    string
		want  string
	}{
		{
			// The Kuma upgrade page's own example: 1.2 -> 1.6 goes through 1.4.
			name: "single zone 1.2 to 1.6",
			comps: func() []*model.Component {
				c := cp(model.RoleStandalone, "1.2.3", "a", "")
				return []*model.Component{c, sidecar(c)}
			},
			to:   "1.6",
			want: "zone control planes 1.4 (a=1.4.1) | zone control planes 1.6 (a=1.6.5)",
		},
		{
			// Kong Mesh's example: 2.9 -> 2.13 is 2.9 -> 2.11 -> 2.13, global first.
			name: "multizone 2.9 to 2.13",
			comps: func() []*model.Component {
				g, e, w := cp(model.RoleGlobal, "2.9.3", "global", ""), cp(model.RoleZone, "2.9.3", "east", ga), cp(model.RoleZone, "2.9.1", "west", ga)
				return []*model.Component{g, e, sidecar(e), w, sidecar(w)}
			},
			to: "2.13",
			want: "global control plane 2.11 (global=2.11.18) | zone control planes 2.11 (east=2.11.18,west=2.11.18) | " +
				"global control plane 2.13 (global=2.13.10) | zone control planes 2.13 (east=2.13.10,west=2.13.10)",
		},
		{
			// The migration paths: 2.12 -> 3.0 goes through 2.14.
			name: "into 3.x",
			comps: func() []*model.Component {
				return []*model.Component{cp(model.RoleZone, "2.12.1", "a", "")}
			},
			to:   "3.0.1",
			want: "zone control planes 2.14 (a=2.14.3) | zone control planes 3.0 (a=3.0.1)",
		},
		{
			// A zone already ahead of its global waits for it; a pinned gateway
			// follows its zone, one change after it.
			name: "zone ahead and a pinned gateway",
			comps: func() []*model.Component {
				g, z := cp(model.RoleGlobal, "2.9.3", "global", ""), cp(model.RoleZone, "2.11.4", "east", ga)
				return []*model.Component{g, z, gateway("2.10.2", "east")}
			},
			to: "2.13.1",
			want: "global control plane 2.11 (global=2.11.18) | data planes with their own kuma-dp 2.11 (east=2.11.18) | " +
				"global control plane 2.13 (global=2.13.1) | zone control planes 2.13 (east=2.13.1) | data planes with their own kuma-dp 2.13 (east=2.13.1)",
		},
		{
			name: "already there",
			comps: func() []*model.Component {
				return []*model.Component{cp(model.RoleZone, "2.13.2", "a", "")}
			},
			to:   "2.13",
			want: "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := topology.Build(tt.comps())
			plans, err := plan.Make(g, nil, model.ParseVersion(tt.to))
			if err != nil {
				t.Fatal(err)
			}
			if len(plans) != 1 {
				t.Fatalf("%d plans, want 1", len(plans))
			}
			if got := summary(plans[0]); got != tt.want {
				t.Errorf("steps:\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestMakeRefuses(t *testing.T) {
	g := topology.Build([]*model.Component{cp(model.RoleZone, "2.9.3", "a", "")})
	for _, to := range []string{"latest", "two", ""} {
		if _, err := plan.Make(g, nil, model.ParseVersion(to)); err == nil {
			t.Errorf("--to %q: no error", to)
		}
	}
	if _, err := plan.Make(topology.Build(nil), nil, model.ParseVersion("2.13")); err == nil {
		t.Error("no control plane: no error")
	}
	// A line the table does not know, and a deployment already past the
	// target, are said, not planned.
	for to, want := range map[string]string{"2.19": "not a release line", "2.7.1": "already past 2.7"} {
		plans, err := plan.Make(g, nil, model.ParseVersion(to))
		if err != nil || len(plans[0].Steps) != 0 || len(plans[0].Skipped) != 1 || !strings.Contains(plans[0].Skipped[0], want) {
			t.Errorf("--to %s: %v %+v", to, err, plans)
		}
	}
}

// TestGolden renders the plan of examples/multizone to 2.13 in every format.
func TestGolden(t *testing.T) {
	root := filepath.Join("..", "examples", "multizone")
	res, err := lint.Run(lint.Options{Root: root, Paths: []string{root}, Now: time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	plans, err := plan.Make(res.Graph, nil, model.ParseVersion("2.13"))
	if err != nil {
		t.Fatal(err)
	}
	for _, format := range plan.Formats {
		t.Run(format, func(t *testing.T) {
			var buf bytes.Buffer
			if err := plan.Write(&buf, format, plans); err != nil {
				t.Fatal(err)
			}
			ext := map[string]string{"text": "txt", "markdown": "md", "json": "json"}[format]
			path := filepath.Join("..", "testdata", "golden", "plan-multizone."+ext)
			golden.Check(t, path, buf.Bytes(), *update)
		})
	}
}
