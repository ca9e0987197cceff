package helm

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/kumalint/kumalint/internal/memfs"

	"go.yaml.in/yaml/v3"

	"github.com/kumalint/kumalint/loaders/yamldoc"
	"github.com/kumalint/kumalint/model"
)

// memFiles is the in-memory repository these tests read.
type memFiles = memfs.Files

func layer(t *testing.T, file, src string) Layer {
	t.Helper()
	docs, err := yamldoc.Decode(file, []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return DocLayer(docs[0])
}

func release(t *testing.T, chart, version string, layers ...Layer) *Release {
	t.Helper()
	tg, ok := ByName(chart, model.Stated(version, model.Pos{File: "hr.yaml", Line: 3}))
	if !ok {
		t.Fatalf("ByName(%s)", chart)
	}
	return tg.Release("r", "ns", model.Stated(chart, model.Pos{File: "hr.yaml", Line: 2}), model.Object{Kind: "HelmRelease", Name: "r"}, ".", layers)
}

func TestEvaluate(t *testing.T) {
	// Kong Mesh nests Kuma's values under kuma:, and its images come from
	// docker.io/kong.
	r := release(t, "kong-mesh", "2.9.5", layer(t, "v.yaml", "kuma:\n  controlPlane:\n    mode: global\n    replicas: 3\n"))
	comps := Evaluate(r)
	cp := comps[0]
	if len(comps) != 1 || cp.Product != model.ProductKongMesh || cp.Role.Value != model.RoleGlobal || cp.Replicas.Value != 3 ||
		cp.Image.Value.Ref != "docker.io/kong/kuma-cp:2.9.5" || cp.Image.Pos.Line != 3 {
		t.Errorf("kong-mesh global: %d comps, %+v", len(comps), cp)
	}

	// Later layers win; null unsets; envVars merge across layers.
	r = release(t, "kuma", "2.11.2",
		layer(t, "a.yaml", "controlPlane:\n  replicas: 3\n  image:\n    tag: 2.11.1\n  envVars:\n    KUMA_A: a\n    KUMA_EXPERIMENTAL_DELTA_XDS: \"true\"\n"),
		layer(t, "b.yaml", "controlPlane:\n  replicas: 2\n  image:\n    tag: null\n  envVars:\n    KUMA_B: b\n"),
		Layer{Set: map[string]*yaml.Node{"controlPlane.replicas": {Kind: yaml.ScalarNode, Value: "4", Line: 9}}},
	)
	comps = Evaluate(r)
	cp = comps[0]
	if cp.Replicas.Value != 4 || cp.Replicas.Pos.Line != 9 {
		t.Errorf("replicas = %+v, want 4 from the set layer", cp.Replicas)
	}
	if cp.Image.Value.Version.String() != "2.11.2" || cp.Image.Pos.Line != 3 {
		t.Errorf("a null tag falls back to the appVersion at the chart version line: %+v", cp.Image)
	}
	if env := r.envVars(); env["KUMA_A"].Value != "a" || env["KUMA_B"].Value != "b" {
		t.Errorf("envVars = %v", env)
	}
	if len(cp.Flags) != 1 || cp.Flags[0].Env != "KUMA_EXPERIMENTAL_DELTA_XDS" {
		t.Errorf("flags = %+v", cp.Flags)
	}
	if len(comps) != 3 || comps[1].DPKind != model.DPInjected || comps[1].Owner != cp || comps[2].DPKind != model.DPInit {
		t.Errorf("injector images: %+v", comps)
	}

	// Old charts: the table maps the chart version to the app version, and
	// the default mode was standalone.
	comps = Evaluate(release(t, "kuma", "0.9.3"))
	if v := comps[0].Version(); v.String() != "1.5.3" || comps[0].Role.Value != model.RoleStandalone {
		t.Errorf("chart 0.9.3: %s %s", v, comps[0].Role.Value)
	}
	// No version: floating, which unpinned-version reports.
	comps = Evaluate(release(t, "kuma", ""))
	if comps[0].Version().State == model.VersionExact {
		t.Errorf("no chart version: %+v", comps[0].Version())
	}
	// Ingress enabled: a zone proxy that moves with the control plane.
	comps = Evaluate(release(t, "kuma", "2.9.3", layer(t, "v.yaml", "ingress:\n  enabled: true\n")))
	if len(comps) != 4 || comps[3].DPKind != model.DPIngress || comps[3].Owner != comps[0] {
		t.Errorf("ingress: %+v", comps)
	}
}

func TestUnknownKeys(t *testing.T) {
	r := release(t, "kuma", "2.9.3", layer(t, "v.yaml", `controlPlane:
  autoScaling:
    enabled: true
  replica: 2
  nodeSelector: {}
  image:
    tags: x
  autoscaling:
    minReplica: 2
somethingElse: 1
`))
	var got []string
	for _, u := range r.unknownKeys() {
		got = append(got, u.Key+"->"+u.Suggest)
	}
	want := []string{"controlPlane.autoScaling->autoscaling", "controlPlane.autoscaling.minReplica->minReplicas", "controlPlane.image.tags->tag", "controlPlane.replica->replicas"}
	if !slices.Equal(got, want) {
		t.Errorf("unknown keys = %v, want %v", got, want)
	}
}

func TestAppVersion(t *testing.T) {
	for _, tt := range []struct{ chart, version, want string }{
		{"kuma", "0.4.0", "1.0.0"}, {"kuma", "2.9.3", "2.9.3"}, {"kuma", "v2.12.4", "2.12.4"},
		{"kong-mesh", "0.7.4", "1.6.4"}, {"kong-mesh", "2.11.0", "2.11.0"}, {"kuma", "0.0.9", ""},
	} {
		got, _ := appVersion(tt.chart, tt.version)
		if got != tt.want {
			t.Errorf("appVersion(%s %s) = %q, want %q", tt.chart, tt.version, got, tt.want)
		}
	}
}

func tgz(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for _, name := range slices.Sorted(maps.Keys(files)) {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(files[name])), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(files[name])); err != nil {
			t.Fatal(err)
		}
	}
	if err := errors.Join(tw.Close(), zw.Close()); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestUmbrellaWithArchive: an umbrella chart whose kuma dependency is
// vendored as a .tgz; the archive's appVersion and defaults are used.
func TestUmbrellaWithArchive(t *testing.T) {
	files := memFiles{
		"u/Chart.yaml":  "apiVersion: v2\nname: u\nversion: 1.0.0\ndependencies:\n  - name: kuma\n    version: \"~2.9.0\"\n    repository: https://kumahq.github.io/charts\n",
		"u/values.yaml": "kuma:\n  controlPlane:\n    replicas: 2\n",
		"u/charts/kuma-2.9.3.tgz": string(tgz(t, map[string]string{
			"kuma/Chart.yaml":                   "apiVersion: v2\nname: kuma\nversion: 2.9.3\nappVersion: 2.9.3\n",
			"kuma/values.yaml":                  "controlPlane:\n  mode: zone\n  replicas: 1\n",
			"kuma/charts/sub/Chart.yaml":        "name: sub\n",
			"kuma/templates/cp-deployment.yaml": "kind: Deployment\n",
		})),
	}
	siblings := map[string]yamldoc.Doc{}
	for _, f := range []string{"Chart.yaml", "values.yaml"} {
		d, _ := files.Docs("u/" + f)
		siblings[f] = d[0]
	}
	rs, diags, err := ChartReleases(files, "u", siblings)
	if err != nil || len(diags) != 0 || len(rs) != 1 {
		t.Fatalf("ChartReleases: %v %v %d", err, diags, len(rs))
	}
	cp := Evaluate(rs[0])[0]
	if cp.Version().String() != "2.9.3" || cp.Replicas.Value != 2 || cp.Replicas.Pos.File != "u/values.yaml" {
		t.Errorf("umbrella: version %s, replicas %+v", cp.Version(), cp.Replicas)
	}
	if cp.Image.Pos.File != "u/charts/kuma-2.9.3.tgz!kuma/Chart.yaml" {
		t.Errorf("the version comes from the archive's Chart.yaml: %v", cp.Image.Pos)
	}
	// Without the archive: evaluated from the dependency version, with a note.
	delete(files, "u/charts/kuma-2.9.3.tgz")
	rs, diags, _ = ChartReleases(files, "u", siblings)
	if len(diags) != 1 || !strings.Contains(diags[0].Message, "not vendored") || len(rs) != 1 {
		t.Errorf("not vendored: %v", diags)
	}
}
