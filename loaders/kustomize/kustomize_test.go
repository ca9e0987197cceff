package kustomize

import (
	"fmt"
	"net"
	"path"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/kumalint/kumalint/internal/memfs"

	"github.com/kumalint/kumalint/model"
)

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: kuma-control-plane
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: control-plane
          image: docker.io/kumahq/kuma-cp:2.9.3
`

// memFiles is the in-memory repository these tests read.
type memFiles = memfs.Files

func messages(diags []model.Diagnostic) string {
	var out []string
	for _, d := range diags {
		out = append(out, d.Pos.String()+": "+d.Level.String()+": "+d.Message)
	}
	return strings.Join(out, "\n")
}

// listener counts the connections a build would open to a loopback address.
func listener(t *testing.T) (string, *atomic.Int32) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	var n atomic.Int32
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			n.Add(1)
			c.Close()
		}
	}()
	return ln.Addr().String(), &n
}

// TestRemoteRefused: every remote form is refused before the build, at its
// line, and nothing connects to the (loopback) host it names.
func TestRemoteRefused(t *testing.T) {
	addr, conns := listener(t)
	forms := []string{
		"https://" + addr + "/org/repo//base?ref=main",
		"http://" + addr + "/deploy.yaml",
		"git@" + addr + ":org/repo.git//base",
		"git::https://" + addr + "/org/repo",
		"github.com/org/repo/deploy?ref=v1",
		addr + "/org/repo/base",
		"ssh://git@" + addr + "/org/repo.git",
	}
	for _, form := range forms {
		files := memFiles{
			"overlay/kustomization.yaml": fmt.Sprintf("resources:\n  - cp.yaml\n  - %s\n", form),
			"overlay/cp.yaml":            deployment,
		}
		tree, diags := Scan(files, []string{"overlay/kustomization.yaml"}, Options{})
		if !tree.Failed["overlay"] || len(diags) != 1 || diags[0].Pos.Line != 3 || !strings.Contains(diags[0].Message, "is remote") {
			t.Errorf("%s: %s", form, messages(diags))
		}
		comps, more := Load(files, tree)
		if len(comps) != 0 || len(more) != 0 {
			t.Errorf("%s: a refused overlay was built: %v %s", form, comps, messages(more))
		}
	}
	// An allowed prefix passes the scan (kustomize would fetch it: opt-in).
	files := memFiles{"o/kustomization.yaml": "resources:\n  - https://git.example.com/mesh//base?ref=v1\n"}
	if tree, diags := Scan(files, []string{"o/kustomization.yaml"}, Options{AllowRemote: []string{"https://git.example.com/"}}); tree.Failed["o"] || len(diags) != 0 {
		t.Errorf("allowed prefix: %s", messages(diags))
	}
	if n := conns.Load(); n != 0 {
		t.Errorf("%d connections to the remote host", n)
	}
}

func TestScanProblems(t *testing.T) {
	bomb := "a0: &a0 [x, x, x, x, x, x, x, x, x]\n"
	for i := 1; i < 9; i++ {
		bomb += fmt.Sprintf("a%d: &a%d [*a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d]\n", i, i, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1)
	}
	tests := []struct {
		name  string
		files memFiles
		want  string
	}{
		{"missing file", memFiles{"o/kustomization.yaml": "resources:\n  - cp.yaml\n  - missing.yaml\n", "o/cp.yaml": deployment},
			`o/kustomization.yaml:3:5: error: resources entry "missing.yaml": o/missing.yaml does not exist`},
		{"out of the repository", memFiles{"o/kustomization.yaml": "resources:\n  - ../../etc/passwd\n"},
			`o/kustomization.yaml:2:5: error: resources entry "../../etc/passwd" leaves the repository`},
		{"cycle", memFiles{"a/kustomization.yaml": "resources: [../b]\n", "b/kustomization.yaml": "resources: [../a]\n"},
			"in a cycle: a -> b -> a"},
		{"alias bomb", memFiles{"o/kustomization.yaml": "resources: [bomb.yaml]\n", "o/bomb.yaml": bomb},
			"o/bomb.yaml:1:1: error: YAML aliases in this document expand to more than 1000000 nodes"},
		{"not a path", memFiles{"o/kustomization.yaml": "resources:\n  - {path: cp.yaml}\n"},
			"o/kustomization.yaml:2:5: error: resources entries are paths, not a mapping"},
		{"helm charts", memFiles{"o/kustomization.yaml": "helmCharts:\n  - name: kuma\n"},
			"o/kustomization.yaml:1:1: warning: helmCharts is not built"},
	}
	for _, tt := range tests {
		var kfiles []string
		for f := range tt.files {
			if path.Base(f) == "kustomization.yaml" {
				kfiles = append(kfiles, f)
			}
		}
		slices.Sort(kfiles)
		_, diags := Scan(tt.files, kfiles, Options{})
		if got := messages(diags); !strings.Contains(got, tt.want) {
			t.Errorf("%s: got\n%s\nwant %q", tt.name, got, tt.want)
		}
	}
}

// TestBuildErrors: what only kustomize itself finds is an error at the
// overlay's kustomization, and the other overlays are still built.
func TestBuildErrors(t *testing.T) {
	files := memFiles{
		"bad/kustomization.yaml":  "resources: [cp.yaml]\nreplicas:\n  - name: kuma-control-plane\n    count: many\n",
		"bad/cp.yaml":             deployment,
		"good/kustomization.yaml": "resources: [cp.yaml]\n",
		"good/cp.yaml":            deployment,
	}
	tree, diags := Scan(files, []string{"bad/kustomization.yaml", "good/kustomization.yaml"}, Options{})
	if len(diags) != 0 {
		t.Fatal(messages(diags))
	}
	comps, diags := Load(files, tree)
	if len(diags) != 1 || diags[0].Pos.File != "bad/kustomization.yaml" || diags[0].Level != model.LevelError {
		t.Errorf("diagnostics: %s", messages(diags))
	}
	if len(comps) != 1 || comps[0].Unit != "good" || comps[0].Image.Pos.File != "good/cp.yaml" || comps[0].Image.Pos.Line != 11 {
		t.Errorf("the good overlay: %+v", comps)
	}
}

func BenchmarkRefuseRemote(b *testing.B) {
	files := memFiles{
		"base/kustomization.yaml":    "resources: [cp.yaml]\n",
		"base/cp.yaml":               deployment,
		"overlay/kustomization.yaml": "resources:\n  - ../base\n  - https://github.com/example/kuma//deploy?ref=v2.9.3\n",
	}
	for b.Loop() {
		if tree, _ := Scan(files, []string{"overlay/kustomization.yaml"}, Options{}); !tree.Failed["overlay"] {
			b.Fatal("not refused")
		}
	}
}
