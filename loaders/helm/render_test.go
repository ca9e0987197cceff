package helm

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kumalint/kumalint/loaders/yamldoc"
	"github.com/kumalint/kumalint/model"
)

// diskFiles loads a fixture directory into memory, paths relative to it.
func diskFiles(t *testing.T, root string) memFiles {
	t.Helper()
	m := memFiles{}
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		m[filepath.ToSlash(rel)] = string(data)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func umbrellaReleases(t *testing.T, files memFiles) []*Release {
	t.Helper()
	siblings := map[string]yamldoc.Doc{}
	for _, f := range []string{"Chart.yaml", "values.yaml", "values-prod.yaml", "values-staging.yaml"} {
		d, err := files.Docs("mesh/" + f)
		if err != nil {
			t.Fatal(err)
		}
		siblings[f] = d[0]
	}
	rs, _, err := ChartReleases(files, "mesh", siblings)
	if err != nil || len(rs) != 2 {
		t.Fatalf("ChartReleases: %v, %d releases", err, len(rs))
	}
	return rs
}

// TestRenderAgreesWithValuesModel renders the umbrella fixture's releases with
// Helm's engine and checks that every attribute the rules read, and the line
// each points at, is what the values model says without rendering.
func TestRenderAgreesWithValuesModel(t *testing.T) {
	files := diskFiles(t, filepath.Join("..", "..", "testdata", "lint", "umbrella"))
	rd := &Renderer{Files: files}
	for _, r := range umbrellaReleases(t, files) {
		if !rd.Renderable(r) {
			t.Fatalf("%s is not renderable", r.Name)
		}
		rendered, diags := rd.Render(r)
		if len(diags) != 0 {
			t.Fatalf("%s: %v", r.Name, diags)
		}
		evaluated := Evaluate(r)
		if len(rendered) != len(evaluated) {
			t.Fatalf("%s: rendered %d components, the values model %d", r.Name, len(rendered), len(evaluated))
		}
		for i, e := range evaluated {
			c := rendered[i]
			if c.Kind != e.Kind || c.DPKind != e.DPKind || c.Image.Value.Ref != e.Image.Value.Ref || c.Image.Pos != e.Image.Pos {
				t.Errorf("%s component %d: rendered %s %s %s at %v, modelled %s %s %s at %v", r.Name, i,
					c.Kind, c.DPKind, c.Image.Value.Ref, c.Image.Pos, e.Kind, e.DPKind, e.Image.Value.Ref, e.Image.Pos)
			}
			if !c.IsCP() {
				continue
			}
			if c.Replicas.Value != e.Replicas.Value || c.Replicas.Pos != e.Replicas.Pos || c.Role != e.Role || c.Zone != e.Zone {
				t.Errorf("%s: rendered replicas %+v role %+v zone %+v; modelled %+v %+v %+v", r.Name, c.Replicas, c.Role, c.Zone, e.Replicas, e.Role, e.Zone)
			}
			if (c.Budget == nil) != (e.Budget == nil) || c.Owner != nil {
				t.Errorf("%s: budget rendered %v modelled %v", r.Name, c.Budget, e.Budget)
			}
		}
		if r.Name == "prod" && (rendered[0].Replicas.Value != 1 || !strings.HasSuffix(rendered[0].Replicas.Pos.File, "values-prod.yaml")) {
			t.Errorf("prod replicas come from values-prod.yaml, which wins: %+v", rendered[0].Replicas)
		}
	}
}

func TestRenderErrors(t *testing.T) {
	files := diskFiles(t, filepath.Join("..", "..", "testdata", "lint", "umbrella"))
	r := umbrellaReleases(t, files)[0]

	// The chart's own fail: a zone on a global control plane.
	bad := *r
	bad.Layers = append(append([]Layer{}, r.Layers...), layer(t, "mesh/values-bad.yaml", "mesh:\n  controlPlane:\n    mode: global\n"))
	rd := &Renderer{Files: files}
	_, diags := rd.Render(&bad)
	if len(diags) != 1 || diags[0].Level != model.LevelError || diags[0].Pos.File != "mesh/charts/kuma/templates/cp-deployment.yaml" ||
		diags[0].Pos.Line != 6 || !strings.Contains(diags[0].Message, "Can't specify a controlPlane.zone") {
		t.Errorf("fail in a template: %+v", diags)
	}

	// A template that never ends is stopped.
	slow := memFiles{}
	for k, v := range files {
		slow[k] = v
	}
	slow["mesh/templates/slow.yaml"] = "{{- range $i := until 100000000 }}{{ $i }}{{ end }}\n"
	_, diags = (&Renderer{Files: slow, Timeout: 50 * time.Millisecond}).Render(r)
	if len(diags) != 1 || !strings.Contains(diags[0].Message, "loops or recurses") {
		t.Errorf("endless template: %+v", diags)
	}

	// A template that includes itself ends with Helm's recursion limit.
	rec := memFiles{}
	for k, v := range files {
		rec[k] = v
	}
	rec["mesh/templates/rec.yaml"] = `{{- define "rec" }}{{ include "rec" . }}{{ end }}{{ include "rec" . }}` + "\n"
	_, diags = (&Renderer{Files: rec}).Render(r)
	if len(diags) != 1 || diags[0].Level != model.LevelError {
		t.Errorf("recursive template: %+v", diags)
	}
}

// TestRenderSchema: values.schema.json is checked, and a $ref out of the
// schema is refused rather than followed.
func TestRenderSchema(t *testing.T) {
	files := diskFiles(t, filepath.Join("..", "..", "testdata", "lint", "umbrella"))
	files["mesh/charts/kuma/values.schema.json"] = `{"type": "object", "properties": {"controlPlane": {"type": "object", "properties": {"replicas": {"type": "integer", "minimum": 1}}}}}`
	r := umbrellaReleases(t, files)[0]
	ok := *r
	if _, diags := (&Renderer{Files: files}).Render(&ok); len(diags) != 0 {
		t.Fatalf("valid values: %+v", diags)
	}
	bad := *r
	badValues := layer(t, "mesh/values-bad.yaml", "mesh:\n  controlPlane:\n    replicas: 0\n")
	badValues.Prefix = []string{"mesh"}
	bad.Layers = append(append([]Layer{}, r.Layers...), badValues)
	_, diags := (&Renderer{Files: files}).Render(&bad)
	if len(diags) != 1 || diags[0].Pos.String() != "mesh/values-bad.yaml:3:5" ||
		!strings.Contains(diags[0].Message, "do not match the mesh chart's values.schema.json: /controlPlane/replicas: minimum: got 0, want 1") {
		t.Errorf("replicas 0 against minimum 1: %+v", diags)
	}
	files["mesh/charts/kuma/values.schema.json"] = `{"$ref": "https://example.com/schema.json"}`
	_, diags = (&Renderer{Files: files}).Render(&ok)
	if len(diags) != 1 || !strings.Contains(diags[0].Message, "refused") {
		t.Errorf("remote $ref: %+v", diags)
	}
}
