package lint_test

import (
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kumalint/kumalint/internal/gittest"
	"github.com/kumalint/kumalint/lint"
	"github.com/kumalint/kumalint/model"
	"github.com/kumalint/kumalint/report"
	"github.com/kumalint/kumalint/rules"
)

// TestDiffFixtures runs every testdata/diff/<case> in PR mode: base/ is the
// base commit, head/ the change, and the `# want:` comments in head/ are the
// findings (rule@base for one already present at the base revision).
func TestDiffFixtures(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatal("PR mode needs git on PATH")
	}
	cases, err := filepath.Glob("../testdata/diff/*")
	if err != nil || len(cases) == 0 {
		t.Fatalf("no diff fixtures: %v", err)
	}
	for _, dir := range cases {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			repo := gittest.Repo(t, filepath.Join(dir, "base"), filepath.Join(dir, "head"))
			res, err := lint.Run(lint.Options{Root: repo, Paths: []string{repo}, Now: fixtureNow, Base: "HEAD~1"})
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range res.Diagnostics {
				if d.Level >= model.LevelWarning {
					t.Errorf("unexpected diagnostic: %s: %s", d.Pos, d.Message)
				}
			}
			checkWants(t, wants(t, filepath.Join(dir, "head")), res.Findings)
			for _, f := range res.Findings {
				if f.Existing && f.Level != model.LevelNote {
					t.Errorf("%s: %s is already at base but keeps level %s", f.Pos, f.Rule, f.Level)
				}
			}
			checkGoldens(t, "diff-"+filepath.Base(dir), &report.Report{
				ToolVersion: "0.0.0-test", Rules: rules.All(), Findings: res.Findings,
				Diagnostics: res.Diagnostics, Files: res.Files, Base: "HEAD~1",
			})
		})
	}
}

// TestBaseInShallowClone is the CI case: actions/checkout makes a depth-1
// clone, so the base commit is missing until it is fetched. The clone and the
// fetch use the file:// transport: no network.
func TestBaseInShallowClone(t *testing.T) {
	dir := filepath.Join("..", "testdata", "diff", "zone-first")
	origin := gittest.Repo(t, filepath.Join(dir, "base"), filepath.Join(dir, "head"))
	baseSHA := gittest.Output(t, origin, "rev-parse", "HEAD~1")
	clone := filepath.Join(t.TempDir(), "clone")
	gittest.Git(t, ".", "clone", "-q", "--depth=1", "file://"+origin, clone)

	opts := lint.Options{Root: clone, Paths: []string{clone}, Now: fixtureNow, Base: baseSHA}
	_, err := lint.Run(opts)
	var be *lint.BaseError
	if !errors.As(err, &be) || !strings.Contains(err.Error(), "no such commit") || !strings.Contains(err.Error(), "git fetch --depth=1 origin "+baseSHA) {
		t.Fatalf("missing base commit: err = %v, want a BaseError that says how to fetch it", err)
	}

	gittest.Git(t, clone, "fetch", "-q", "--depth=1", "origin", baseSHA)
	res, err := lint.Run(opts)
	if err != nil {
		t.Fatal(err)
	}
	checkWants(t, wants(t, filepath.Join(dir, "head")), res.Findings)
}
