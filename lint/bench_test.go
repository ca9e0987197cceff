package lint_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kumalint/kumalint/internal/gittest"
	"github.com/kumalint/kumalint/internal/synth"
	"github.com/kumalint/kumalint/lint"
	"github.com/kumalint/kumalint/model"
)

// renderedCP writes a control-plane Deployment, Service, HPA and PDB shaped
// like the kuma chart's output, plus a zone ingress.
func renderedCP(version, mode, zone string) string {
	var env strings.Builder
	add := func(k, v string) { fmt.Fprintf(&env, "            - name: %s\n              value: %q\n", k, v) }
	add("KUMA_ENVIRONMENT", "kubernetes")
	add("KUMA_INJECTOR_INIT_CONTAINER_IMAGE", "docker.io/kumahq/kuma-init:"+version)
	add("KUMA_MODE", mode)
	if mode == "zone" {
		add("KUMA_MULTIZONE_ZONE_GLOBAL_ADDRESS", "grpcs://kds.mesh.example.com:5685")
		add("KUMA_MULTIZONE_ZONE_NAME", zone)
	}
	add("KUMA_RUNTIME_KUBERNETES_INJECTOR_SIDECAR_CONTAINER_IMAGE", "docker.io/kumahq/kuma-dp:"+version)
	add("KUMA_STORE_TYPE", "kubernetes")
	return fmt.Sprintf(`---
apiVersion: v1
kind: Service
metadata:
  name: kuma-global-zone-sync
  namespace: kuma-system
  annotations:
    external-dns.alpha.kubernetes.io/hostname: kds-%[3]s.mesh.example.com
spec:
  type: LoadBalancer
  selector:
    app: kuma-control-plane
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: kuma-control-plane
  namespace: kuma-system
  labels:
    app: kuma-control-plane
spec:
  selector:
    matchLabels:
      app: kuma-control-plane
  template:
    metadata:
      labels:
        app: kuma-control-plane
    spec:
      containers:
        - name: control-plane
          image: "docker.io/kumahq/kuma-cp:%[1]s"
          env:
%[2]s          args: [run, --config-file=/etc/kuma.io/kuma-control-plane/config.yaml]
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: kuma-control-plane
  namespace: kuma-system
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: kuma-control-plane
  minReplicas: 2
  maxReplicas: 5
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: kuma-control-plane
  namespace: kuma-system
spec:
  maxUnavailable: 1
  selector:
    matchLabels:
      app: kuma-control-plane
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: kuma-ingress
  namespace: kuma-system
spec:
  replicas: 2
  selector:
    matchLabels:
      app: kuma-ingress
  template:
    metadata:
      labels:
        app: kuma-ingress
    spec:
      containers:
        - name: ingress
          image: "docker.io/kumahq/kuma-dp:%[1]s"
          env:
            - name: KUMA_CONTROL_PLANE_URL
              value: "https://kuma-control-plane.kuma-system:5678"
            - name: KUMA_DATAPLANE_PROXY_TYPE
              value: ingress
`, version, env.String(), zone)
}

// write50Zones writes a rendered-manifest tree of one global and 50 zones at
// zoneVersion, with every tenth zone at aheadVersion instead.
func write50Zones(b *testing.B, root, zoneVersion, aheadVersion string) {
	writeFile := func(rel, body string) {
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	writeFile("global/kuma.yaml", renderedCP("2.12.3", "global", "global"))
	for i := range 50 {
		v := zoneVersion
		if i%10 == 0 {
			v = aheadVersion
		}
		writeFile(fmt.Sprintf("zones/zone-%02d/kuma.yaml", i), renderedCP(v, "zone", fmt.Sprintf("zone-%02d", i)))
	}
}

// BenchmarkLint50Zones loads and lints a rendered-manifest tree of one global
// and 50 zones, with every tenth zone ahead of the global.
func BenchmarkLint50Zones(b *testing.B) {
	root := b.TempDir()
	write50Zones(b, root, "2.12.3", "2.13.1")
	opts := lint.Options{Root: root, Paths: []string{root}, Now: fixtureNow}
	if res, err := lint.Run(opts); err != nil || len(res.Findings) != 5 || res.Failed() {
		b.Fatalf("got %v, err %v; want 5 zone-ahead findings", res, err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := lint.Run(opts); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLintBase50Zones is PR mode on the same tree: the base commit has
// every zone at 2.12.3 and the change moves five of them ahead of the global.
// It includes git archive of the base tree.
func BenchmarkLintBase50Zones(b *testing.B) {
	root := b.TempDir()
	gittest.Git(b, root, "init", "-q", "-b", "main")
	write50Zones(b, root, "2.12.3", "2.12.3")
	gittest.Git(b, root, "add", "-A")
	gittest.Git(b, root, "commit", "-q", "-m", "base")
	write50Zones(b, root, "2.12.3", "2.13.1")
	gittest.Git(b, root, "commit", "-q", "-am", "head")
	opts := lint.Options{Root: root, Paths: []string{root}, Now: fixtureNow, Base: "HEAD~1"}
	res, err := lint.Run(opts)
	if err != nil || res.Failed() {
		b.Fatalf("got %v, err %v", res, err)
	}
	if n := countRule(res.Findings, "upgrade-order"); n != 5 {
		b.Fatalf("%d upgrade-order findings, want 5", n)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := lint.Run(opts); err != nil {
			b.Fatal(err)
		}
	}
}

func countRule(fs []model.Finding, rule string) int {
	n := 0
	for _, f := range fs {
		if f.Rule == rule {
			n++
		}
	}
	return n
}

// BenchmarkHelm100Releases lints an umbrella chart with a vendored kuma
// chart of 30 templates and 100 values files: 100 releases, each rendered
// with Helm's engine (the chart parsed once) and checked against the values
// model.
func BenchmarkHelm100Releases(b *testing.B) {
	root := b.TempDir()
	if err := synth.Umbrella("..", root, 100); err != nil {
		b.Fatal(err)
	}
	benchPer(b, root, 100, "release")
}

// BenchmarkKustomize100Overlays builds 100 overlays of one base (images,
// replicas and a patch each) in-process and lints them, findings mapped back
// to the overlay lines.
func BenchmarkKustomize100Overlays(b *testing.B) {
	root := b.TempDir()
	if err := synth.Overlays("..", root, 100); err != nil {
		b.Fatal(err)
	}
	benchPer(b, root, 100, "overlay")
}

// benchPer lints root, checks the synthetic repository's findings (every
// third of n deployments has one control-plane replica), and reports the time
// per deployment.
func benchPer(b *testing.B, root string, n int, unit string) {
	b.Helper()
	opts := lint.Options{Root: root, Paths: []string{root}, Now: fixtureNow}
	res, err := lint.Run(opts)
	if err != nil || res.Failed() {
		b.Fatalf("%v %v", err, res.Diagnostics)
	}
	if got, want := countRule(res.Findings, "cp-single-replica"), (n+2)/3; got != want {
		b.Fatalf("%d cp-single-replica findings, want %d", got, want)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := lint.Run(opts); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n)/1e6, "ms/"+unit)
}
