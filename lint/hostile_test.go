package lint_test

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/kumalint/kumalint/lint"
	"github.com/kumalint/kumalint/model"
)

// hostileCP is an ordinary control plane with one replica (line 6).
const hostileCP = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: kuma-control-plane
spec:
  replicas: 1
  template:
    spec:
      containers:
        - name: control-plane
          image: docker.io/kumahq/kuma-cp:2.11.2
`

// hostileRepo writes a repository of hostile inputs, generated here rather
// than committed, next to one ordinary control plane whose finding must
// survive all of them.
func hostileRepo(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	write := func(rel, body string) {
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("good/kuma.yaml", hostileCP)

	// Nine levels of nine aliases: 500 bytes, 9^9 nodes if expanded.
	var bomb strings.Builder
	bomb.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 9; i++ {
		fmt.Fprintf(&bomb, "a%d: &a%d [%s]\n", i, i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*a%d, ", i-1), 9), ", "))
	}
	write("hostile/bomb.yaml", bomb.String())
	var wide strings.Builder
	for i := range 100_000 {
		fmt.Fprintf(&wide, "key%06d: v\n", i)
	}
	write("hostile/wide.yaml", wide.String())
	var deep strings.Builder
	for i := range 300 {
		deep.WriteString(strings.Repeat(" ", i) + "k:\n")
	}
	write("hostile/deep.yaml", deep.String())
	write("hostile/flow-deep.yaml", strings.Repeat("[", 20000)+strings.Repeat("]", 20000)+"\n")
	write("hostile/latin1.yaml", "kind: ConfigMap\nmetadata:\n  name: caf\xe9\n")
	write("hostile/tabs.yaml", "kind: ConfigMap\nmetadata:\n\tname: tabs\n")
	write("hostile/duplicate.yaml", "kind: ConfigMap\nmetadata:\n  name: a\n  name: b\n")
	write("hostile/big.yaml", "a: "+strings.Repeat("x", 11<<20)+"\n")
	// A BOM and CRLF line endings must not move findings.
	write("bom/kuma.yaml", "\ufeff"+strings.ReplaceAll(hostileCP, "\n", "\r\n"))
	// Helm templates that fail, recurse, and call lookup.
	write("charts/bad/Chart.yaml", "apiVersion: v2\nname: kuma\nversion: 2.9.3\nappVersion: 2.9.3\n")
	write("charts/bad/values.yaml", "controlPlane:\n  replicas: 2\n")
	write("charts/bad/templates/fail.yaml", "{{ fail \"this chart refuses to render\" }}\n")
	write("charts/recursive/Chart.yaml", "apiVersion: v2\nname: kuma\nversion: 2.9.3\nappVersion: 2.9.3\n")
	write("charts/recursive/templates/loop.yaml", "{{- define \"loop\" }}{{ include \"loop\" . }}{{ end }}{{ include \"loop\" . }}\n")
	write("charts/lookup/Chart.yaml", "apiVersion: v2\nname: kuma\nversion: 2.9.3\nappVersion: 2.9.3\n")
	write("charts/lookup/templates/cm.yaml", "{{- $s := lookup \"v1\" \"Secret\" \"kube-system\" \"x\" }}apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: found-{{ len $s }}\n")
	// kustomize: a remote base and a path out of the repository.
	write("overlays/remote/kustomization.yaml", "resources:\n  - https://github.com/example/mesh//base?ref=v1\n")
	write("overlays/escape/kustomization.yaml", "resources:\n  - ../../../etc/passwd\n")
	// compose with anchors and merge keys: fine.
	write("compose/compose.yaml", "x-cp: &cp\n  image: kumahq/kuma-cp:2.11.2\n  command: run\nservices:\n  cp-a:\n    <<: *cp\n  cp-b:\n    <<: *cp\n")
	if err := os.Symlink("/etc/hostname", filepath.Join(root, "hostile", "escape.yaml")); err != nil {
		t.Fatal(err)
	}
	return root
}

// TestHostileInput lints the hostile repository: every hostile file is an
// error naming it (exit code 2), the ordinary findings are all still there,
// and memory stays bounded (nothing expanded the alias bomb).
func TestHostileInput(t *testing.T) {
	root := hostileRepo(t)
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	res, err := lint.Run(lint.Options{Root: root, Paths: []string{root}, Now: fixtureNow})
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Failed() {
		t.Error("hostile input did not fail the run")
	}
	errs := map[string]string{}
	for _, d := range res.Diagnostics {
		if d.Level == model.LevelError {
			errs[d.Pos.File] += d.Pos.String() + " " + d.Message + "\n"
		}
	}
	for file, want := range map[string]string{
		"hostile/bomb.yaml":                    "aliases expand this document to more than 1000000 nodes",
		"hostile/deep.yaml":                    "nested more than 200 levels deep",
		"hostile/flow-deep.yaml":               "exceeded max depth",
		"hostile/latin1.yaml":                  "hostile/latin1.yaml:3 invalid UTF-8",
		"hostile/tabs.yaml":                    "hostile/tabs.yaml:3 invalid YAML",
		"hostile/duplicate.yaml":               `hostile/duplicate.yaml:4 invalid YAML: mapping key "name" already defined`,
		"hostile/big.yaml":                     "over the 10485760-byte limit",
		"hostile/escape.yaml":                  "outside the linted root",
		"charts/bad/templates/fail.yaml":       "this chart refuses to render",
		"charts/recursive/templates/loop.yaml": "charts/recursive/templates/loop.yaml:1 rendering charts/recursive (release recursive): a template includes itself",
		"overlays/remote/kustomization.yaml":   "is remote",
		"overlays/escape/kustomization.yaml":   "leaves the repository",
	} {
		if !strings.Contains(errs[file], want) {
			t.Errorf("%s: no error containing %q; errors:\n%s", file, want, errs[file])
		}
	}
	for file := range errs {
		if strings.HasPrefix(file, "good/") || strings.HasPrefix(file, "bom/") || strings.HasPrefix(file, "compose/") || strings.Contains(file, "lookup") || strings.Contains(file, "wide") {
			t.Errorf("%s is not hostile but failed: %s", file, errs[file])
		}
	}
	got := map[string]bool{}
	for _, f := range res.Findings {
		got[fmt.Sprintf("%s:%d %s", f.Pos.File, f.Pos.Line, f.Rule)] = true
	}
	for _, want := range []string{"good/kuma.yaml:6 cp-single-replica", "bom/kuma.yaml:6 cp-single-replica"} {
		if !got[want] {
			t.Errorf("finding %s lost among hostile input; got %v", want, got)
		}
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<30 {
		t.Errorf("linting the hostile repository allocated %d MiB", alloc>>20)
	}
	t.Logf("allocated %d MiB in all", (after.TotalAlloc-before.TotalAlloc)>>20)
}
