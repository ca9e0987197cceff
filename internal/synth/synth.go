// Package synth writes synthetic repositories for benchmarks: Helm releases
// of a 30-template chart, kustomize overlays and compose projects, at any
// size. The chart and base are the test stand-ins under testdata.
package synth

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// ExtraTemplates is how many templates are added to the 6-template test
// chart, so that it has about as many as the real kuma chart's 30.
const ExtraTemplates = 24

func write(root, rel, body string) error {
	p := filepath.Join(root, rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, []byte(body), 0o644)
}

// copyTree copies src into dst, leaving out files for which skip is true.
func copyTree(src, dst string, skip func(rel string) bool) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil || skip(rel) {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return write(dst, rel, string(data))
	})
}

// Umbrella writes dir/mesh: an umbrella chart with the test kuma chart
// (testdata/lint/umbrella/mesh under repo) vendored and grown to 30
// templates, and one values-<zone>.yaml per zone: zones releases. Every third
// zone has one control-plane replica.
func Umbrella(repo, dir string, zones int) error {
	src := filepath.Join(repo, "testdata", "lint", "umbrella", "mesh")
	dst := filepath.Join(dir, "mesh")
	// The fixture's own values-<env>.yaml files are not copied.
	if err := copyTree(src, dst, func(rel string) bool { return strings.HasPrefix(rel, "values-") }); err != nil {
		return err
	}
	for i := range ExtraTemplates {
		tmpl := fmt.Sprintf(`apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "kuma.name" . }}-extra-%[1]d
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "kuma.labels" . | nindent 4 }}
data:
  mode: {{ .Values.controlPlane.mode | quote }}
  zone: {{ .Values.controlPlane.zone | default "none" | quote }}
  {{- range $k, $v := .Values.controlPlane.envVars }}
  {{ $k }}: {{ $v | quote }}
  {{- end }}
`, i)
		if err := write(dst, filepath.Join("charts", "kuma", "templates", fmt.Sprintf("extra-%02d.yaml", i)), tmpl); err != nil {
			return err
		}
	}
	for i := range zones {
		values := fmt.Sprintf("mesh:\n  controlPlane:\n    zone: zone-%04d\n    replicas: %d\n    envVars:\n      KUMA_DEFAULTS_SKIP_MESH_CREATION: \"true\"\n", i, 1+i%3)
		if err := write(dst, fmt.Sprintf("values-zone-%04d.yaml", i), values); err != nil {
			return err
		}
	}
	return nil
}

// Overlays writes dir/base (the kustomize test base) and n overlays that set
// the image tag, the replica count and the zone name by patch.
func Overlays(repo, dir string, n int) error {
	base, err := os.ReadFile(filepath.Join(repo, "testdata", "lint", "kustomize", "base", "control-plane.yaml"))
	if err != nil {
		return err
	}
	if err := write(dir, "base/control-plane.yaml", string(base)); err != nil {
		return err
	}
	if err := write(dir, "base/kustomization.yaml", "resources:\n  - control-plane.yaml\n"); err != nil {
		return err
	}
	for i := range n {
		o := fmt.Sprintf("overlays/zone-%04d", i)
		k := fmt.Sprintf(`namespace: kuma-system
resources:
  - ../../base
images:
  - name: docker.io/kumahq/kuma-cp
    newTag: 2.9.%d
replicas:
  - name: kuma-control-plane
    count: %d
patches:
  - path: zone.yaml
`, i%5, 1+i%3)
		patch := fmt.Sprintf(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: kuma-control-plane
spec:
  template:
    spec:
      containers:
        - name: control-plane
          env:
            - name: KUMA_MULTIZONE_ZONE_NAME
              value: zone-%04d
`, i)
		if err := write(dir, o+"/kustomization.yaml", k); err != nil {
			return err
		}
		if err := write(dir, o+"/zone.yaml", patch); err != nil {
			return err
		}
	}
	return nil
}

// Compose writes n compose projects, each a zone control plane on Postgres
// with two replicas and an application's kuma-dp.
func Compose(dir string, n int) error {
	for i := range n {
		body := fmt.Sprintf(`services:
  cp:
    image: kumahq/kuma-cp:2.11.%[2]d
    command: run
    environment:
      KUMA_MODE: zone
      KUMA_MULTIZONE_ZONE_NAME: compose-%04[1]d
      KUMA_STORE_TYPE: postgres
      KUMA_STORE_POSTGRES_HOST: db-%04[1]d
    deploy:
      replicas: 2
  app:
    image: kumahq/kuma-dp:2.11.%[2]d
    command: run --cp-address=https://cp:5678
`, i, i%4)
		if err := write(dir, fmt.Sprintf("compose/project-%04d/compose.yaml", i), body); err != nil {
			return err
		}
	}
	return nil
}
