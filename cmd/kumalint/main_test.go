package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kumalint/kumalint/internal/gittest"
	"github.com/kumalint/kumalint/rules"
)

// kumalint runs the CLI in-process and returns its exit code and output.
func kumalint(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

const repo = "../.."

// contains fails the test for every want that out lacks.
func contains(t *testing.T, out string, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestLintExample(t *testing.T) {
	code, out, _ := kumalint(t, "lint", filepath.Join(repo, "examples/multizone"), "--now", "2026-09-01")
	if code != exitFindings {
		t.Fatalf("exit %d, want %d\n%s", code, exitFindings, out)
	}
	contains(t, out,
		"examples/multizone/zone-east/kuma-zone.yaml:55:13: warning cp-single-replica:",
		"examples/multizone/zone-east/kuma-zone.yaml:100:22: error dataplane-skew:",
		"examples/multizone/zone-west/kuma-zone.yaml:81:18: error zone-ahead:",
		"3 findings (2 errors, 1 warning, 0 notes) in 3 files",
	)
}

func TestFailOn(t *testing.T) {
	dir := filepath.Join(repo, "examples/multizone")
	tests := []struct {
		failOn string
		want   int
	}{
		{"error", exitFindings},
		{"warning", exitFindings},
		{"note", exitFindings},
		{"none", exitOK},
	}
	for _, tt := range tests {
		if code, _, _ := kumalint(t, "lint", dir, "--now", "2026-09-01", "--fail-on", tt.failOn); code != tt.want {
			t.Errorf("--fail-on %s: exit %d, want %d", tt.failOn, code, tt.want)
		}
	}
	// Only a warning and notes: below the default threshold.
	if code, out, _ := kumalint(t, "lint", filepath.Join(repo, "testdata/lint/versions"), "--now", "2026-09-01"); code != exitOK {
		t.Errorf("warnings only: exit %d, want 0\n%s", code, out)
	}
	if code, _, _ := kumalint(t, "lint", filepath.Join(repo, "testdata/lint/versions"), "--now", "2026-09-01", "--fail-on", "warning"); code != exitFindings {
		t.Errorf("warnings with --fail-on warning: exit %d, want 1", code)
	}
}

// The exit code does not depend on the format (istioctl analyze's json exit-0 bug).
func TestExitCodeIndependentOfFormat(t *testing.T) {
	for _, f := range []string{"text", "json", "sarif", "github"} {
		if code, _, _ := kumalint(t, "lint", filepath.Join(repo, "examples/multizone"), "--format", f); code != exitFindings {
			t.Errorf("--format %s: exit %d, want 1", f, code)
		}
	}
}

func TestBadInput(t *testing.T) {
	dir := filepath.Join(repo, "testdata/bad")
	code, out, _ := kumalint(t, "lint", dir, "--now", "2026-09-01")
	if code != exitError {
		t.Fatalf("exit %d, want %d\n%s", code, exitError, out)
	}
	contains(t, out,
		"testdata/bad/binary.yaml:2: error binary content (NUL byte): not a YAML file",
		"testdata/bad/broken.yaml:121: error invalid YAML: did not find expected ',' or ']'",
		"testdata/bad/latin1.yaml:4: error invalid UTF-8: YAML must be UTF-8 text",
		"testdata/bad/no-containers.yaml:1:1: warning Deployment kuma-control-plane has no containers",
		// The documents before the broken one are still linted.
		"testdata/bad/broken.yaml:47:13: warning cp-single-replica:",
		"3 inputs could not be read",
	)
	// An empty file found by walking is not an error; named explicitly, it is.
	if strings.Contains(out, "empty.yaml") {
		t.Errorf("walked empty file reported:\n%s", out)
	}
	code, out, _ = kumalint(t, "lint", filepath.Join(dir, "empty.yaml"))
	if code != exitError || !strings.Contains(out, "testdata/bad/empty.yaml: error empty file: nothing to lint") {
		t.Errorf("explicit empty file: exit %d\n%s", code, out)
	}
	code, out, _ = kumalint(t, "lint", filepath.Join(repo, "testdata/no-such-dir"))
	if code != exitError || !strings.Contains(out, "no-such-dir: error no such file or directory") {
		t.Errorf("missing path: exit %d\n%s", code, out)
	}
}

func TestBadInputInSARIFAndJSON(t *testing.T) {
	dir := filepath.Join(repo, "testdata/bad")
	_, out, _ := kumalint(t, "lint", dir, "--format", "sarif")
	var log struct {
		Runs []struct {
			Results     []json.RawMessage
			Invocations []struct {
				ExecutionSuccessful        bool `json:"executionSuccessful"`
				ToolExecutionNotifications []struct {
					Level string `json:"level"`
				} `json:"toolExecutionNotifications"`
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatal(err)
	}
	inv := log.Runs[0].Invocations[0]
	if inv.ExecutionSuccessful {
		t.Error("executionSuccessful is true with unreadable inputs")
	}
	errs := 0
	for _, n := range inv.ToolExecutionNotifications {
		if n.Level == "error" {
			errs++
		}
	}
	if errs != 3 || len(log.Runs[0].Results) == 0 {
		t.Errorf("got %d error notifications and %d results, want 3 and some", errs, len(log.Runs[0].Results))
	}

	_, out, _ = kumalint(t, "lint", dir, "--format", "json")
	var rep struct {
		Findings []json.RawMessage `json:"findings"`
		Errors   []struct {
			Location struct {
				File string `json:"file"`
				Line int    `json:"line"`
			} `json:"location"`
		} `json:"errors"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Errors) != 3 || len(rep.Findings) == 0 {
		t.Errorf("json: %d errors and %d findings", len(rep.Errors), len(rep.Findings))
	}
}

func TestFormatsPairWithOutputs(t *testing.T) {
	sarifFile := filepath.Join(t.TempDir(), "out.sarif")
	code, out, _ := kumalint(t, "lint", filepath.Join(repo, "examples/multizone"), "--format", "sarif", "--output", sarifFile, "--format", "text")
	if code != exitFindings {
		t.Fatalf("exit %d", code)
	}
	b, err := os.ReadFile(sarifFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(`"version": "2.1.0"`)) {
		t.Errorf("%s is not SARIF", sarifFile)
	}
	if !strings.Contains(out, "error zone-ahead:") || strings.Contains(out, `"version"`) {
		t.Errorf("stdout is not the text report:\n%s", out)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"lint", "--format", "xml"},
		{"lint", "--fail-on", "fatal"},
		{"lint", "--now", "yesterday"},
		{"lint", "--output", "a", "--output", "b"},
		{"lint", "--no-such-flag"},
		{"explain", "no-such-rule"},
		{"explain"},
		{"rules", "--format", "yaml"},
		{"frobnicate"},
	} {
		code, _, errOut := kumalint(t, args...)
		if code != exitError || !strings.HasPrefix(errOut, "kumalint: ") {
			t.Errorf("%v: exit %d, stderr %q; want 2 and a message", args, code, errOut)
		}
	}
}

func TestRulesExplainVersion(t *testing.T) {
	code, out, _ := kumalint(t, "rules", "--format", "json")
	var list []struct{ ID, Level string }
	if err := json.Unmarshal([]byte(out), &list); code != 0 || err != nil || len(list) != len(rules.All()) {
		t.Errorf("rules --format json: exit %d, %v, %d rules", code, err, len(list))
	}
	code, out, _ = kumalint(t, "rules")
	if code != 0 || !strings.Contains(out, "dataplane-skew") || !strings.HasPrefix(out, "RULE") {
		t.Errorf("rules: exit %d\n%s", code, out)
	}
	code, out, _ = kumalint(t, "explain", "zone-ahead")
	if code != 0 || !strings.HasPrefix(out, "# zone-ahead\n") {
		t.Errorf("explain: exit %d\n%s", code, out)
	}
	code, out, _ = kumalint(t, "version")
	if code != 0 || !strings.HasPrefix(out, "kumalint ") {
		t.Errorf("version: exit %d %q", code, out)
	}
}

// TestBase runs PR mode from inside a repository, as the GitHub Action does.
func TestBase(t *testing.T) {
	abs, err := filepath.Abs(filepath.Join(repo, "testdata", "diff", "zone-first"))
	if err != nil {
		t.Fatal(err)
	}
	dir := gittest.Repo(t, filepath.Join(abs, "base"), filepath.Join(abs, "head"))
	t.Chdir(dir)

	code, out, errOut := kumalint(t, "lint", "--base", "HEAD~1", "--now", "2026-09-01")
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s%s", code, out, errOut)
	}
	contains(t, out, "zone/kuma.yaml:81:18: error upgrade-order:", "compared with HEAD~1")

	// Against itself nothing changed: no change rule fires.
	code, out, _ = kumalint(t, "lint", "--base", "HEAD", "--now", "2026-09-01")
	if code != 0 || strings.Contains(out, "upgrade-order") {
		t.Errorf("--base HEAD: exit %d\n%s", code, out)
	}

	// A path that the change adds is empty at the base: everything in it is new.
	if err := os.MkdirAll("added", 0o755); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile("zone/kuma.yaml")
	if err := os.WriteFile("added/kuma.yaml", data, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = kumalint(t, "lint", "--base", "HEAD", "--now", "2026-09-01", "added")
	if code != 0 || errOut != "" {
		t.Errorf("new path: exit %d\n%s%s", code, out, errOut)
	}

	for _, args := range [][]string{
		{"lint", "--base", "no-such-ref"},
		{"lint", "--base", "--upload-pack=evil"},
		{"lint", "--all"},
	} {
		code, _, errOut := kumalint(t, args...)
		if code != 2 || !strings.HasPrefix(errOut, "kumalint: ") {
			t.Errorf("%v: exit %d, stderr %q; want 2 and a kumalint: error", args, code, errOut)
		}
	}
	_, _, errOut = kumalint(t, "lint", "--base", "no-such-ref")
	contains(t, errOut, "--base no-such-ref: no such commit", "git fetch --depth=1 origin no-such-ref")
}

func TestPlanAndGraph(t *testing.T) {
	example := filepath.Join(repo, "examples", "multizone")
	code, out, errOut := kumalint(t, "plan", example, "--to", "2.13")
	if code != 0 {
		t.Fatalf("plan: exit %d\n%s%s", code, out, errOut)
	}
	contains(t, out, "4 steps", "Step 1: global control plane to 2.11", "Step 2: zone control planes to 2.11",
		"Step 3: global control plane to 2.13", "Step 4: zone control planes to 2.13")

	code, out, _ = kumalint(t, "graph", example, "--format", "mermaid")
	if code != 0 {
		t.Fatalf("graph: exit %d", code)
	}
	contains(t, out, "flowchart TB", `-. "zone-ahead" .->`)

	// Bad input: the plan and graph of what could be read, and exit 2.
	code, out, errOut = kumalint(t, "graph", filepath.Join(repo, "testdata", "bad"))
	if code != 2 || !strings.Contains(errOut, "broken.yaml:121") || !strings.Contains(out, "deployment 1") {
		t.Errorf("graph of bad input: exit %d\n%s%s", code, out, errOut)
	}

	for _, args := range [][]string{
		{"plan", example},
		{"plan", example, "--to", "latest"},
		{"plan", example, "--to", "2.13", "--format", "html"},
		{"graph", example, "--format", "svg"},
		{"plan", filepath.Join(repo, "testdata", "lint", "non-kuma"), "--to", "2.13"},
	} {
		code, _, errOut := kumalint(t, args...)
		if code != 2 || !strings.HasPrefix(errOut, "kumalint: ") {
			t.Errorf("%v: exit %d, stderr %q; want 2 and a kumalint: error", args, code, errOut)
		}
	}
}

func TestConfigAndSuppressions(t *testing.T) {
	suppressed := filepath.Join(repo, "testdata", "lint", "suppressed")
	code, out, _ := kumalint(t, "lint", suppressed, "--now", "2026-09-01")
	if code != 0 {
		t.Errorf("suppressed fixture: exit %d\n%s", code, out)
	}
	contains(t, out, "3 findings suppressed", `names unknown rule "unpined-version"; did you mean "unpinned-version"?`)

	// The same findings stay in SARIF as suppressions, with their reasons.
	_, out, _ = kumalint(t, "lint", suppressed, "--now", "2026-09-01", "--format", "sarif")
	contains(t, out, `"kind": "inSource"`, `"justification": "a dev cluster on one node; HA is not wanted here"`)

	// --no-inline-ignores brings them back.
	code, out, _ = kumalint(t, "lint", suppressed, "--now", "2026-09-01", "--no-inline-ignores")
	if code != 1 {
		t.Errorf("--no-inline-ignores: exit %d\n%s", code, out)
	}
	contains(t, out, "error zone-ahead", "warning cp-single-replica", "error dataplane-skew")

	// A configuration error stops the run with exit 2 and the line.
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("rules:\n  zone-skew: off\nenvirnments: {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := kumalint(t, "lint", suppressed, "--config", bad)
	if code != 2 {
		t.Errorf("bad config: exit %d", code)
	}
	contains(t, errOut, `bad.yaml:3:1: unknown key "envirnments" in the configuration; did you mean "environments"?`)
	code, _, errOut = kumalint(t, "lint", "--config", filepath.Join(dir, "missing.yaml"))
	if code != 2 || !strings.Contains(errOut, "missing.yaml") {
		t.Errorf("missing config: exit %d, %s", code, errOut)
	}

	// The configured fixture finds its own .kumalint.yaml from the path.
	code, out, _ = kumalint(t, "lint", filepath.Join(repo, "testdata", "lint", "configured"), "--now", "2026-09-01")
	if code != 0 || !strings.Contains(out, "warning end-of-life") || strings.Contains(out, "zone-skew") || strings.Contains(out, "broken.yaml") {
		t.Errorf("configured fixture: exit %d\n%s", code, out)
	}
}

func TestBaselineRoundTrip(t *testing.T) {
	example := filepath.Join(repo, "examples", "multizone")
	file := filepath.Join(t.TempDir(), "baseline.json")
	code, out, errOut := kumalint(t, "lint", example, "--now", "2026-09-01", "--write-baseline", file)
	if code != 0 || out != "" {
		t.Fatalf("--write-baseline: exit %d\n%s%s", code, out, errOut)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var b struct {
		Version  int
		Findings []struct{ Rule, Fingerprint string }
	}
	if err := json.Unmarshal(data, &b); err != nil || b.Version != 1 || len(b.Findings) != 3 {
		t.Fatalf("baseline: %v %s", err, data)
	}
	code, out, _ = kumalint(t, "lint", example, "--now", "2026-09-01", "--baseline", file)
	if code != 0 {
		t.Errorf("--baseline: exit %d\n%s", code, out)
	}
	contains(t, out, "0 findings", "3 findings suppressed")
	// A later day adds the end-of-life note for 2.9: not in the baseline.
	_, out, _ = kumalint(t, "lint", example, "--now", "2026-11-01", "--baseline", file)
	contains(t, out, "note end-of-life", "1 finding ")

	code, _, errOut = kumalint(t, "lint", example, "--baseline", filepath.Join(repo, "go.mod"))
	if code != 2 || !strings.Contains(errOut, "not a kumalint baseline") {
		t.Errorf("--baseline go.mod: exit %d %s", code, errOut)
	}
}

func TestMarkdown(t *testing.T) {
	code, out, _ := kumalint(t, "lint", filepath.Join(repo, "examples", "multizone"), "--now", "2026-09-01", "--format", "markdown")
	if code != 1 {
		t.Errorf("exit %d", code)
	}
	contains(t, out, "## kumalint: 3 findings (2 errors, 1 warning, 0 notes)", "| :x: error | [`zone-ahead`]", "<details><summary>How to fix</summary>")
}

// TestKustomizeBadInput: a remote base and a missing patch are errors at
// their kustomization lines (exit 2); the other overlay is still linted.
func TestKustomizeBadInput(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile(filepath.Join(repo, "testdata", "lint", "kustomize", "base", "control-plane.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"base/kustomization.yaml":    "resources: [control-plane.yaml]\n",
		"base/control-plane.yaml":    string(src),
		"remote/kustomization.yaml":  "resources:\n  - ../base\n  - https://github.com/example/mesh//overlays/prod?ref=v1\n",
		"missing/kustomization.yaml": "resources: [../base]\npatches:\n  - path: nowhere.yaml\n",
		"good/kustomization.yaml":    "resources: [../base]\nimages:\n  - name: docker.io/kumahq/kuma-cp\n    newTag: 2.11.2\n",
	}
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, out, _ := kumalint(t, "lint", dir, "--now", "2026-09-01")
	if code != 2 {
		t.Errorf("exit %d, want 2\n%s", code, out)
	}
	contains(t, out,
		`remote/kustomization.yaml:3:5: error resources entry "https://github.com/example/mesh//overlays/prod?ref=v1" is remote`,
		`missing/kustomization.yaml:3:11: error patches entry "nowhere.yaml"`,
		"good/kustomization.yaml:4:13: control plane kuma-control-plane (zone): kuma-cp 2.11.2",
		"2 inputs could not be read")
}
