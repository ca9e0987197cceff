package discover

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func write(t *testing.T, path, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestWalk(t *testing.T) {
	root := t.TempDir()
	outside := t.TempDir()
	write(t, filepath.Join(root, "zone/b.yaml"), "a: 1")
	write(t, filepath.Join(root, "zone/a.yml"), "a: 1")
	write(t, filepath.Join(root, "zone/readme.md"), "# no")
	write(t, filepath.Join(root, ".git/config.yaml"), "a: 1")
	write(t, filepath.Join(root, "node_modules/x.yaml"), "a: 1")
	write(t, filepath.Join(root, "charts/kuma/Chart.yaml"), "name: kuma")
	write(t, filepath.Join(root, "charts/kuma/values-prod.yaml"), "a: 1")
	write(t, filepath.Join(root, "charts/kuma/templates/cp.yaml"), "{{ .Values }}")
	write(t, filepath.Join(root, "charts/kuma/charts/dep/values.yaml"), "a: 1")
	write(t, filepath.Join(outside, "secret.yaml"), "a: 1")
	if err := os.Symlink(filepath.Join(outside, "secret.yaml"), filepath.Join(root, "zone/link.yaml")); err != nil {
		t.Skip("no symlinks here:", err)
	}
	if err := os.Symlink("b.yaml", filepath.Join(root, "zone/inside.yaml")); err != nil {
		t.Fatal(err)
	}

	inputs, diags := Walk(root, []string{root}, nil)
	var got []string
	for _, in := range inputs {
		got = append(got, in.Display)
	}
	// A chart directory gives its own YAML files, not templates/ or charts/.
	if want := "charts/kuma/Chart.yaml charts/kuma/values-prod.yaml zone/a.yml zone/b.yaml zone/inside.yaml"; strings.Join(got, " ") != want {
		t.Errorf("inputs = %v, want %s", got, want)
	}
	var msgs []string
	for _, d := range diags {
		msgs = append(msgs, d.Pos.File+": "+d.Level.String()+": "+d.Message)
	}
	joined := strings.Join(msgs, "\n")
	for _, want := range []string{
		"zone/link.yaml: error: symbolic link to",
	} {
		if !strings.Contains(joined, want) {
			t.Errorf("diagnostics lack %q:\n%s", want, joined)
		}
	}
}

func TestExplicitFilesOutsideRootAreRead(t *testing.T) {
	root, other := t.TempDir(), t.TempDir()
	write(t, filepath.Join(other, "x.txt"), "a: 1")
	inputs, diags := Walk(root, []string{filepath.Join(other, "x.txt")}, nil)
	if len(inputs) != 1 || len(diags) != 0 || !inputs[0].Explicit {
		t.Errorf("inputs %v diags %v", inputs, diags)
	}
}
