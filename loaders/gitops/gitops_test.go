package gitops

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/kumalint/kumalint/internal/memfs"

	"github.com/kumalint/kumalint/loaders/helm"
	"github.com/kumalint/kumalint/loaders/yamldoc"
	"github.com/kumalint/kumalint/model"
)

// memFiles is the in-memory repository these tests read.
type memFiles = memfs.Files

func load(t *testing.T, files memFiles, names ...string) ([]*helm.Release, []model.Diagnostic) {
	t.Helper()
	var docs []yamldoc.Doc
	for _, n := range names {
		d, err := files.Docs(n)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, d...)
	}
	return Releases(docs, files)
}

func cpOf(t *testing.T, r *helm.Release) *model.Component {
	t.Helper()
	return helm.Evaluate(r)[0]
}

func TestFluxValuesFrom(t *testing.T) {
	secret := base64.StdEncoding.EncodeToString([]byte("controlPlane:\n  replicas: 4\n"))
	files := memFiles{"hr.yaml": `apiVersion: helm.toolkit.fluxcd.io/v2beta2
kind: HelmRelease
metadata:
  name: kuma
  namespace: mesh
spec:
  chart:
    spec:
      chart: kuma
      version: ">=2.9.0 <2.10.0"
  valuesFrom:
    - kind: Secret
      name: plain
    - kind: Secret
      name: encoded
      valuesKey: values.yaml
    - kind: ConfigMap
      name: zone
      valuesKey: zone
      targetPath: controlPlane.zone
    - kind: ConfigMap
      name: missing
---
apiVersion: v1
kind: Secret
metadata:
  name: plain
  namespace: mesh
stringData:
  values.yaml: |
    controlPlane:
      mode: zone
---
apiVersion: v1
kind: Secret
metadata:
  name: encoded
  namespace: mesh
data:
  values.yaml: ` + secret + `
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: zone
  namespace: mesh
data:
  zone: eu-1
`}
	rs, diags := load(t, files, "hr.yaml")
	if len(rs) != 1 {
		t.Fatalf("%d releases", len(rs))
	}
	cp := cpOf(t, rs[0])
	if cp.Replicas.Value != 4 || cp.Replicas.Pos.Line != 40 {
		t.Errorf("replicas from the base64 Secret, at its key: %+v", cp.Replicas)
	}
	if cp.Role.Value != model.RoleZone || cp.Role.Pos.Line != 32 || cp.Zone.Value != "eu-1" {
		t.Errorf("mode from stringData at line 32, zone by targetPath: %+v %+v", cp.Role, cp.Zone)
	}
	// A semver range floats: the version is not pinned.
	if cp.Version().Known() {
		t.Errorf("a range is not a pinned version: %+v", cp.Version())
	}
	if len(diags) != 1 || !strings.Contains(diags[0].Message, "valuesFrom ConfigMap missing") {
		t.Errorf("diagnostics: %v", diags)
	}
}

func TestArgoPathSource(t *testing.T) {
	files := memFiles{
		"apps/mesh.yaml": `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: mesh
spec:
  destination:
    namespace: kuma-system
  source:
    repoURL: https://git.example.com/platform.git
    path: charts/mesh
    targetRevision: main
    helm:
      valueFiles: [values-prod.yaml, missing.yaml]
      parameters:
        - name: mesh.kuma.controlPlane.replicas
          value: "3"
`,
		"charts/mesh/Chart.yaml":       "apiVersion: v2\nname: mesh\nversion: 1.0.0\ndependencies:\n  - name: kong-mesh\n    alias: mesh\n    version: 2.11.0\n",
		"charts/mesh/values-prod.yaml": "mesh:\n  kuma:\n    controlPlane:\n      mode: global\n      replicas: 1\n",
	}
	rs, diags := load(t, files, "apps/mesh.yaml")
	if len(rs) != 1 {
		t.Fatalf("%d releases: %v", len(rs), diags)
	}
	cp := cpOf(t, rs[0])
	if cp.Product != model.ProductKongMesh || cp.Role.Value != model.RoleGlobal || cp.Replicas.Value != 3 || cp.Replicas.Pos.File != "apps/mesh.yaml" {
		t.Errorf("umbrella over kong-mesh: %s %s %+v", cp.Product, cp.Role.Value, cp.Replicas)
	}
	var msgs []string
	for _, d := range diags {
		msgs = append(msgs, d.Message)
	}
	joined := strings.Join(msgs, "\n")
	if !strings.Contains(joined, "not vendored") || !strings.Contains(joined, "charts/mesh/missing.yaml is not in this repository") {
		t.Errorf("diagnostics: %s", joined)
	}
}

func TestHelmfileBrokenInline(t *testing.T) {
	files := memFiles{
		"helmfile.yaml": "releases:\n  - name: other\n    chart: bitnami/nginx\n  - name: kuma\n    chart: ./charts/none\n",
	}
	rs, diags := load(t, files, "helmfile.yaml")
	if len(rs) != 0 || len(diags) != 0 {
		t.Errorf("charts that are not kuma's are not releases: %v %v", rs, diags)
	}
}

func TestFluxChartRef(t *testing.T) {
	files := memFiles{"hr.yaml": `apiVersion: source.toolkit.fluxcd.io/v1beta2
kind: OCIRepository
metadata:
  name: kong-mesh
  namespace: mesh
spec:
  url: oci://registry.example.com/charts/kong-mesh
  ref:
    tag: 2.11.2
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: mesh
  namespace: mesh
spec:
  chartRef:
    kind: OCIRepository
    name: kong-mesh
  values:
    kuma:
      controlPlane:
        mode: global
`}
	rs, diags := load(t, files, "hr.yaml")
	if len(rs) != 1 || len(diags) != 0 {
		t.Fatalf("%d releases, %v", len(rs), diags)
	}
	cp := cpOf(t, rs[0])
	if cp.Product != model.ProductKongMesh || cp.Version().String() != "2.11.2" || cp.Image.Pos.Line != 9 || cp.Role.Value != model.RoleGlobal {
		t.Errorf("chartRef to an OCIRepository: %s %s at %v, %s", cp.Product, cp.Version(), cp.Image.Pos, cp.Role.Value)
	}
}
