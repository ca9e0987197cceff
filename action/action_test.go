package action_test

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/kumalint/kumalint/internal/gittest"
)

// actionFile is the part of action.yml the harness runs.
type actionFile struct {
	Inputs map[string]struct {
		Default string `yaml:"default"`
	} `yaml:"inputs"`
	Outputs map[string]struct {
		Value string `yaml:"value"`
	} `yaml:"outputs"`
	Runs struct {
		Using string `yaml:"using"`
		Steps []struct {
			ID         string            `yaml:"id"`
			Name       string            `yaml:"name"`
			Uses       string            `yaml:"uses"`
			If         string            `yaml:"if"`
			Run        string            `yaml:"run"`
			Shell      string            `yaml:"shell"`
			WorkingDir string            `yaml:"working-directory"`
			Env        map[string]string `yaml:"env"`
			With       map[string]string `yaml:"with"`
		} `yaml:"steps"`
	} `yaml:"runs"`
}

// run is one run of the action: its step outputs, the job summary and the
// log.
type run struct {
	exitCode int
	outputs  map[string]string // the action's outputs
	summary  string
	log      string
	skipped  []string // uses: steps, which the harness does not run
}

var exprRE = regexp.MustCompile(`\$\{\{\s*([^}]*?)\s*\}\}`)

// runAction runs action.yml's run: steps the way a runner does (bash
// --noprofile --norc -eo pipefail), with the GitHub environment faked:
// a pull_request event, GITHUB_OUTPUT per step, GITHUB_STEP_SUMMARY. uses:
// steps (setup-go, upload-sarif) are recorded, not run.
func runAction(t *testing.T, workspace string, event map[string]any, inputs map[string]string) run {
	t.Helper()
	actionPath, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(actionPath, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var a actionFile
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	if err := dec.Decode(&a); err != nil {
		t.Fatal(err)
	}
	if a.Runs.Using != "composite" {
		t.Fatalf("runs.using = %q, want composite", a.Runs.Using)
	}
	for name := range inputs {
		if _, ok := a.Inputs[name]; !ok {
			t.Fatalf("action.yml has no input %q", name)
		}
	}
	home := t.TempDir()
	eventPath := filepath.Join(home, "event.json")
	eventJSON, _ := json.Marshal(event)
	if err := os.WriteFile(eventPath, eventJSON, 0o644); err != nil {
		t.Fatal(err)
	}
	summary := filepath.Join(home, "summary.md")
	runnerTemp := filepath.Join(home, "runner-temp")
	if err := os.MkdirAll(runnerTemp, 0o755); err != nil {
		t.Fatal(err)
	}
	steps := map[string]map[string]string{}
	eval := func(s string) string {
		return exprRE.ReplaceAllStringFunc(s, func(m string) string {
			e := exprRE.FindStringSubmatch(m)[1]
			switch {
			case strings.HasPrefix(e, "inputs."):
				name := strings.TrimPrefix(e, "inputs.")
				in, ok := a.Inputs[name]
				if !ok {
					t.Fatalf("action.yml uses undeclared input %q", name)
				}
				if v, ok := inputs[name]; ok {
					return v
				}
				return in.Default
			case e == "github.action_path":
				return actionPath
			case e == "github.workspace":
				return workspace
			case e == "runner.temp":
				return runnerTemp
			case strings.HasPrefix(e, "steps."):
				parts := strings.Split(e, ".") // steps.<id>.outputs.<name>
				if len(parts) != 4 || parts[2] != "outputs" {
					t.Fatalf("unsupported expression %q", e)
				}
				return steps[parts[1]][parts[3]]
			case strings.HasPrefix(e, "github.event."):
				var v any = event
				for _, k := range strings.Split(strings.TrimPrefix(e, "github.event."), ".") {
					m, _ := v.(map[string]any)
					v = m[k]
				}
				if v == nil {
					return ""
				}
				return fmt.Sprint(v)
			}
			t.Fatalf("the harness does not evaluate %q: keep action.yml's expressions simple", e)
			return ""
		})
	}
	var r run
	failed := false
	for i, st := range a.Runs.Steps {
		if failed && !strings.Contains(st.If, "always()") {
			continue // a runner skips it after a failed step
		}
		if st.Uses != "" {
			r.skipped = append(r.skipped, st.Uses+" if "+st.If)
			continue
		}
		if st.Shell != "bash" {
			t.Fatalf("step %d: shell %q; composite steps here use bash", i, st.Shell)
		}
		outFile := filepath.Join(home, fmt.Sprintf("output-%d", i))
		if err := os.WriteFile(outFile, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", eval(st.Run))
		cmd.Dir = workspace
		if st.WorkingDir != "" {
			cmd.Dir = eval(st.WorkingDir)
		}
		cmd.Env = append(os.Environ(),
			"GITHUB_ACTIONS=true", "CI=true",
			"GITHUB_EVENT_NAME=pull_request", "GITHUB_EVENT_PATH="+eventPath,
			"GITHUB_WORKSPACE="+workspace, "GITHUB_ACTION_PATH="+actionPath,
			"GITHUB_OUTPUT="+outFile, "GITHUB_STEP_SUMMARY="+summary, "RUNNER_TEMP="+runnerTemp,
			"NO_COLOR=1",
		)
		for k, v := range st.Env {
			cmd.Env = append(cmd.Env, k+"="+eval(v))
		}
		out, err := cmd.CombinedOutput()
		r.log += string(out)
		steps[st.ID] = readOutputs(t, outFile)
		if err != nil {
			var ee *exec.ExitError
			if !errors.As(err, &ee) {
				t.Fatal(err)
			}
			r.exitCode = ee.ExitCode()
			failed = true
		}
	}
	r.outputs = map[string]string{}
	for name, o := range a.Outputs {
		r.outputs[name] = eval(o.Value)
	}
	s, _ := os.ReadFile(summary)
	r.summary = string(s)
	return r
}

// readOutputs parses a GITHUB_OUTPUT file (name=value lines).
func readOutputs(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), "="); ok {
			out[k] = v
		}
	}
	return out
}

// pullRequest makes the repository a pull request would be checked out as:
// an origin with the base and head commits, and a workspace that is a
// depth-1 clone of the head (as actions/checkout makes), over file://.
func pullRequest(t *testing.T) (workspace string, event map[string]any) {
	t.Helper()
	fixture := filepath.Join("..", "testdata", "action")
	origin := gittest.Repo(t, filepath.Join(fixture, "base"), filepath.Join(fixture, "head"))
	workspace = filepath.Join(t.TempDir(), "workspace")
	gittest.Git(t, ".", "clone", "-q", "--depth=1", "file://"+origin, workspace)
	event = map[string]any{"pull_request": map[string]any{
		"number": 7,
		"base":   map[string]any{"sha": gittest.Output(t, origin, "rev-parse", "HEAD~1")},
		"head":   map[string]any{"sha": gittest.Output(t, origin, "rev-parse", "HEAD")},
	}}
	return workspace, event
}

func TestActionOnPullRequest(t *testing.T) {
	workspace, event := pullRequest(t)
	r := runAction(t, workspace, event, map[string]string{"args": "--now 2026-09-01", "annotations": "true"})
	if r.exitCode != 1 {
		t.Fatalf("exit code %d, want 1 (a zone-ahead error)\n%s", r.exitCode, r.log)
	}
	if r.outputs["findings"] != "1" || r.outputs["exit-code"] != "1" || r.outputs["sarif-file"] != "kumalint.sarif" {
		t.Errorf("outputs = %v\n%s", r.outputs, r.log)
	}
	for _, want := range []string{"## kumalint: 1 finding (1 error", "zone-ahead", "`zone-b/kuma.yaml:81:18`", "Compared with `", "```mermaid", "flowchart TB", `-. "zone-ahead" .->`} {
		if !strings.Contains(r.summary, want) {
			t.Errorf("job summary lacks %q:\n%s", want, r.summary)
		}
	}
	for _, want := range []string{"fetching the base commit", "::error file=zone-b/kuma.yaml,line=81,col=18,title=zone-ahead::", "compared with "} {
		if !strings.Contains(r.log, want) {
			t.Errorf("log lacks %q:\n%s", want, r.log)
		}
	}
	sarif, err := os.ReadFile(filepath.Join(workspace, "kumalint.sarif"))
	if err != nil || !strings.Contains(string(sarif), `"baselineState": "new"`) {
		t.Errorf("SARIF: %v", err)
	}
	// The SARIF upload runs even when the lint step failed.
	if len(r.skipped) != 2 || !strings.HasPrefix(r.skipped[0], "actions/setup-go@") ||
		!strings.HasPrefix(r.skipped[1], "github/codeql-action/upload-sarif@") || !strings.Contains(r.skipped[1], "always()") {
		t.Errorf("uses: steps = %q", r.skipped)
	}
}

func TestActionFailOnNone(t *testing.T) {
	workspace, event := pullRequest(t)
	r := runAction(t, workspace, event, map[string]string{"args": "--now 2026-09-01", "fail-on": "none", "summary": "false"})
	if r.exitCode != 0 || r.outputs["exit-code"] != "0" || r.outputs["findings"] != "1" {
		t.Errorf("fail-on none: exit %d, outputs %v\n%s", r.exitCode, r.outputs, r.log)
	}
	if r.summary != "" {
		t.Errorf("summary: false wrote a summary:\n%s", r.summary)
	}
	if strings.Contains(r.log, "::error") {
		t.Error("annotations: false printed annotations")
	}
}

// TestActionBadConfig: a broken configuration is exit code 2, said in the
// summary, and still sets the outputs.
func TestActionBadConfig(t *testing.T) {
	workspace, event := pullRequest(t)
	if err := os.WriteFile(filepath.Join(workspace, ".kumalint.yaml"), []byte("rulez: {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runAction(t, workspace, event, nil)
	if r.exitCode != 2 || r.outputs["exit-code"] != "2" {
		t.Errorf("exit %d, outputs %v\n%s", r.exitCode, r.outputs, r.log)
	}
	if !strings.Contains(r.log, `unknown key "rulez"`) || !strings.Contains(r.summary, "kumalint could not run (exit code 2)") {
		t.Errorf("log:\n%s\nsummary:\n%s", r.log, r.summary)
	}
}
