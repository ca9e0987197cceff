package universal

import (
	"strings"
	"testing"

	"github.com/kumalint/kumalint/internal/memfs"

	"github.com/kumalint/kumalint/loaders/yamldoc"
	"github.com/kumalint/kumalint/model"
)

// memFiles is the in-memory repository these tests read.
type memFiles = memfs.Files

func load(t *testing.T, files memFiles, yamlFiles, texts []string) ([]*model.Component, string) {
	t.Helper()
	var docs []yamldoc.Doc
	for _, f := range yamlFiles {
		d, err := files.Docs(f)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, d...)
	}
	comps, diags := Load(files, docs, texts)
	var msgs []string
	for _, d := range diags {
		msgs = append(msgs, d.Pos.String()+": "+d.Level.String()+": "+d.Message)
	}
	return comps, strings.Join(msgs, "\n")
}

func TestCompose(t *testing.T) {
	files := memFiles{
		"p/compose.yaml": `services:
  base-cp:
    image: kong/kuma-cp:${MESH_VERSION:-2.9.0}
    command: [run, -c, /cfg/kuma.yaml]
    volumes:
      - type: bind
        source: ./config
        target: /cfg
  cp:
    extends: base-cp
    environment:
      - KUMA_MODE=zone
      - KUMA_STORE_TYPE=postgres
    deploy:
      replicas: 3
  dp:
    image: kong/kuma-dp:${MISSING}
    entrypoint: /usr/bin/kuma-dp
    command: run --cp-address=https://cp:5678 --dataplane-file=/dp/ingress.yaml
    volumes: ["./dp:/dp"]
  app:
    image: example/app:1.0
    command: kuma-dp run
unknown-key: 1
`,
		"p/.env":             "MESH_VERSION=2.9.5\n",
		"p/config/kuma.yaml": "store:\n  type: memory\n  postgres:\n    host: db\n    dbName: mesh\nmultizone:\n  zone:\n    name: z1\n",
		"p/dp/ingress.yaml":  "type: ZoneIngress\nname: ingress\n",
	}
	comps, diags := load(t, files, []string{"p/compose.yaml"}, nil)
	if len(comps) != 3 {
		t.Fatalf("%d components:\n%s", len(comps), diags)
	}
	base, cp, dp := comps[0], comps[1], comps[2]
	if v := base.Version(); v.String() != "2.9.5" || base.Product != model.ProductKongMesh {
		t.Errorf(".env wins over the default: %s %s", v, base.Product)
	}
	if cp.Role.Value != model.RoleZone || cp.StoreType.Value != "postgres" || cp.Store.Value != "postgres://db:15432/mesh" || cp.Zone.Value != "z1" || cp.Replicas.Value != 3 {
		t.Errorf("extends, env over the config file, replicas: %+v %+v %+v %+v %+v", cp.Role, cp.StoreType, cp.Store, cp.Zone, cp.Replicas)
	}
	if cp.StoreType.Pos.Line != 13 || cp.Zone.Pos.File != "p/config/kuma.yaml" {
		t.Errorf("positions: store type %v (the env line), zone %v (the mounted config)", cp.StoreType.Pos, cp.Zone.Pos)
	}
	if dp.DPKind != model.DPIngress || dp.CPAddress.Value != "https://cp:5678" || dp.Version().State == model.VersionExact {
		t.Errorf("dp: %s %+v %+v", dp.DPKind, dp.CPAddress, dp.Version())
	}
	for _, want := range []string{`"unknown-key" is not a top-level key`, "service app runs kuma-dp from image example/app:1.0"} {
		if !strings.Contains(diags, want) {
			t.Errorf("diagnostics lack %q:\n%s", want, diags)
		}
	}
}

func TestUnitsAndScripts(t *testing.T) {
	files := memFiles{
		"u/cp.service":   "[Service]\nEnvironment=KUMA_MODE=global\nExecStart=/opt/kong-mesh-2.10.1/bin/kuma-cp run\n",
		"u/bad.service":  "ExecStart without equals\n",
		"u/bare.service": "[Service]\nExecStart=/usr/local/bin/kuma-cp run\n",
		"s/run.sh":       "#!/bin/sh\nexport KUMA_VERSION=2.8.4\nwget https://example.com/kuma-$KUMA_VERSION-linux-amd64.tar.gz\nkuma-dp run --cp-address https://cp:5678\n",
	}
	comps, diags := load(t, files, nil, []string{"u/cp.service", "u/bad.service", "u/bare.service", "s/run.sh"})
	if len(comps) != 3 {
		t.Fatalf("%d components:\n%s", len(comps), diags)
	}
	if c := comps[0]; c.Product != model.ProductKongMesh || c.Version().String() != "2.10.1" || c.Role.Value != model.RoleGlobal || c.Image.Pos.Line != 3 {
		t.Errorf("unit: %s %s %s %v", c.Product, c.Version(), c.Role.Value, c.Image.Pos)
	}
	if c := comps[1]; c.Version().State == model.VersionExact {
		t.Errorf("an unversioned path is not a version: %+v", c.Version())
	}
	if c := comps[2]; c.Kind != model.KindDataPlane || c.Version().String() != "2.8.4" || c.Image.Pos.Line != 2 || c.CPAddress.Value != "https://cp:5678" {
		t.Errorf("script: %s %s %v %+v", c.Kind, c.Version(), c.Image.Pos, c.CPAddress)
	}
	for _, want := range []string{`u/bad.service:1: warning: "ExecStart without equals" is not a KEY=value line`, "u/bare.service:2:11: note: /usr/local/bin/kuma-cp does not say which version"} {
		if !strings.Contains(diags, want) {
			t.Errorf("diagnostics lack %q:\n%s", want, diags)
		}
	}
}

func TestUpperSnake(t *testing.T) {
	for in, want := range map[string]string{"useTagFirstVirtualOutboundModel": "USE_TAG_FIRST_VIRTUAL_OUTBOUND_MODEL", "kdsDeltaEnabled": "KDS_DELTA_ENABLED", "KDSSyncNameWithHashSuffix": "KDS_SYNC_NAME_WITH_HASH_SUFFIX", "kubeOutboundsAsVIPs": "KUBE_OUTBOUNDS_AS_VIPS"} {
		if got := upperSnake(in); got != want {
			t.Errorf("upperSnake(%s) = %s, want %s", in, got, want)
		}
	}
}
