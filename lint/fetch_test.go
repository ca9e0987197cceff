package lint_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/kumalint/kumalint/lint"
	"github.com/kumalint/kumalint/loaders/helm"
	"github.com/kumalint/kumalint/model"
)

// chartArchive packs the test stand-in of the kuma chart as a Helm repository
// would serve it.
func chartArchive(t *testing.T) []byte {
	t.Helper()
	src := filepath.Join("..", "testdata", "lint", "umbrella", "mesh", "charts", "kuma")
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if err := tw.WriteHeader(&tar.Header{Name: "kuma/" + filepath.ToSlash(rel), Mode: 0o644, Size: int64(len(data))}); err != nil {
			return err
		}
		_, err = tw.Write(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestFetchCharts serves a Helm repository on loopback and lints a Flux
// HelmRelease whose chart is only there: with --fetch-charts the release is
// rendered from the downloaded chart, once (then cached); without it nothing
// is requested.
func TestFetchCharts(t *testing.T) {
	archive := chartArchive(t)
	sum := sha256.Sum256(archive)
	var requests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		switch r.URL.Path {
		case "/charts/index.yaml":
			fmt.Fprintf(w, "apiVersion: v1\nentries:\n  kuma:\n    - name: kuma\n      version: 2.9.3\n      urls: [kuma-2.9.3.tgz]\n      digest: %s\n", hex.EncodeToString(sum[:]))
		case "/charts/kuma-2.9.3.tgz":
			_, _ = w.Write(archive)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()

	repo := t.TempDir()
	release := fmt.Sprintf(`apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: kuma
  namespace: flux-system
spec:
  url: %s/charts
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: kuma
  namespace: kuma-system
spec:
  chart:
    spec:
      chart: kuma
      version: %%s
      sourceRef:
        kind: HelmRepository
        name: kuma
        namespace: flux-system
  values:
    controlPlane:
      replicas: 1
`, srv.URL)
	write := func(version string) {
		if err := os.WriteFile(filepath.Join(repo, "kuma.yaml"), []byte(fmt.Sprintf(release, version)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("2.9.3")
	fetch := &helm.Fetcher{Cache: t.TempDir(), Client: srv.Client()}
	run := func(f *helm.Fetcher) *lint.Result {
		res, err := lint.Run(lint.Options{Root: repo, Paths: []string{repo}, Now: fixtureNow, Fetch: f})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}

	run(nil)
	if requests.Load() != 0 {
		t.Fatalf("without --fetch-charts, %d requests", requests.Load())
	}
	res := run(fetch)
	if n := requests.Load(); n != 2 {
		t.Errorf("--fetch-charts: %d requests, want 2 (index and archive)", n)
	}
	var single *model.Finding
	for i, f := range res.Findings {
		if f.Rule == "cp-single-replica" {
			single = &res.Findings[i]
		}
	}
	if single == nil || single.Pos.File != "kuma.yaml" || single.Pos.Line != 25 || model.Unreadable(res.Diagnostics) != 0 {
		t.Fatalf("rendered release: %+v %v", single, res.Diagnostics)
	}
	if _, err := os.Stat(filepath.Join(fetch.Cache, "kuma-2.9.3.tgz")); err != nil {
		t.Errorf("not cached: %v", err)
	}
	run(fetch)
	if n := requests.Load(); n != 2 {
		t.Errorf("second run: %d requests, want the cache to answer", n)
	}

	// A version the repository does not have: an error at the version line.
	write("2.9.4")
	res = run(fetch)
	var errs []string
	for _, d := range res.Diagnostics {
		if d.Level == model.LevelError {
			errs = append(errs, d.Pos.String()+" "+d.Message)
		}
	}
	if len(errs) != 1 || !strings.Contains(errs[0], "kuma.yaml:18:16 cannot load the kuma chart 2.9.4") || !strings.Contains(errs[0], "no chart kuma version 2.9.4") {
		t.Errorf("missing version: %v", errs)
	}
}
