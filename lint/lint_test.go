package lint_test

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/kumalint/kumalint/config"
	"github.com/kumalint/kumalint/docs"
	"github.com/kumalint/kumalint/internal/golden"
	"github.com/kumalint/kumalint/lint"
	"github.com/kumalint/kumalint/model"
	"github.com/kumalint/kumalint/report"
	"github.com/kumalint/kumalint/rules"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// fixtureNow is the day fixtures are judged on, so end-of-life findings do
// not change as the calendar moves.
var fixtureNow = time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)

// wantRE matches `# want: rule-id [rule-id...]` at the end of a YAML line, in
// the manner of analysistest's `// want` comments.
// In PR-mode fixtures, `rule-id@base` wants a finding already present at the
// base revision; `rule-id@suppressed` wants a finding an ignore comment or
// annotation silenced.
var wantRE = regexp.MustCompile(`#\s*want:\s*([a-z0-9@, -]+)\s*$`)

type site struct {
	file string
	line int
	rule string
}

func (s site) String() string { return fmt.Sprintf("%s:%d: %s", s.file, s.line, s.rule) }

// wants collects the expected findings of a fixture directory.
func wants(t *testing.T, dir string) map[site]int {
	t.Helper()
	out := map[site]int{}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		rel, _ := filepath.Rel(dir, path)
		sc := bufio.NewScanner(f)
		for n := 1; sc.Scan(); n++ {
			m := wantRE.FindStringSubmatch(sc.Text())
			if m == nil {
				continue
			}
			for _, id := range strings.FieldsFunc(m[1], func(r rune) bool { return r == ',' || r == ' ' }) {
				if _, ok := rules.ByID(strings.TrimSuffix(strings.TrimSuffix(id, "@suppressed"), "@base")); !ok {
					t.Errorf("%s:%d: want names unknown rule %q", rel, n, id)
				}
				out[site{filepath.ToSlash(rel), n, id}]++
			}
		}
		return sc.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// runFixture lints a fixture directory with its own .kumalint.yaml, if any.
func runFixture(dir string) *lint.Result {
	opts := lint.Options{Root: dir, Paths: []string{dir}, Now: fixtureNow}
	if p := config.Find(dir, dir); p != "" {
		cfg, err := config.Load(p, filepath.Base(p), rules.IDs())
		if err != nil {
			panic(err) // fixture configurations are valid
		}
		opts.Config = cfg
	}
	res, err := lint.Run(opts)
	if err != nil {
		panic(err) // no Base: Run cannot fail
	}
	return res
}

// TestFixtures lints every testdata/lint/<case> repository and checks that
// the findings land exactly on the lines marked `# want:`, and nowhere else.
func TestFixtures(t *testing.T) {
	cases, err := filepath.Glob("../testdata/lint/*")
	if err != nil || len(cases) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, dir := range cases {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			res := runFixture(dir)
			for _, d := range res.Diagnostics {
				if d.Level == model.LevelError {
					t.Errorf("unexpected input error: %s: %s", d.Pos, d.Message)
				}
			}
			checkWants(t, wants(t, dir), res.Findings)
		})
	}
}

// checkWants compares findings with the `# want:` sites.
func checkWants(t *testing.T, want map[site]int, findings []model.Finding) {
	t.Helper()
	got := map[site]int{}
	for _, f := range findings {
		got[siteOf(f)]++
	}
	var missing, extra []string
	for s, n := range want {
		if got[s] < n {
			missing = append(missing, s.String())
		}
	}
	for s, n := range got {
		if want[s] < n {
			extra = append(extra, s.String())
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	for _, m := range missing {
		t.Errorf("missing finding: %s", m)
	}
	for _, e := range extra {
		for _, f := range findings {
			if siteOf(f).String() == e {
				t.Errorf("unexpected finding: %s: %s", e, f.Message)
				break
			}
		}
	}
}

func siteOf(f model.Finding) site {
	rule := f.Rule
	if f.Existing {
		rule += "@base"
	}
	if f.Suppression != nil {
		rule += "@suppressed"
	}
	return site{f.Pos.File, f.Pos.Line, rule}
}

var goldenExt = map[string]string{"text": "txt", "json": "json", "sarif": "sarif", "github": "github", "markdown": "md"}

// TestGolden renders every fixture in every format and compares the bytes.
// Run `go test ./lint -update` after an intended change and review the diff.
func TestGolden(t *testing.T) {
	cases, _ := filepath.Glob("../testdata/lint/*")
	for _, dir := range cases {
		name := filepath.Base(dir)
		res := runFixture(dir)
		checkGoldens(t, name, &report.Report{ToolVersion: "0.0.0-test", Rules: rules.All(), Findings: res.Findings, Diagnostics: res.Diagnostics, Files: res.Files})
	}
}

// checkGoldens renders rep in every format and compares it with
// testdata/golden/<name>.<ext>, or rewrites those with -update.
func checkGoldens(t *testing.T, name string, rep *report.Report) {
	t.Helper()
	for _, format := range report.Formats {
		t.Run(name+"/"+format, func(t *testing.T) {
			var buf bytes.Buffer
			if err := report.Write(&buf, format, rep, report.Options{}); err != nil {
				t.Fatal(err)
			}
			golden.Check(t, filepath.Join("..", "testdata", "golden", name+"."+goldenExt[format]), buf.Bytes(), *update)
		})
	}
}

// TestRuleDocs checks that every rule has a page and that the example output
// on the page is what kumalint really prints for one of the fixtures.
func TestRuleDocs(t *testing.T) {
	goldens, _ := filepath.Glob("../testdata/golden/*.txt")
	var all strings.Builder
	for _, g := range goldens {
		b, err := os.ReadFile(g)
		if err != nil {
			t.Fatal(err)
		}
		all.Write(b)
	}
	exampleRE := regexp.MustCompile("(?s)```text\n(.*?)\n```")
	for _, r := range rules.All() {
		page, ok := docs.RulePage(r.ID)
		if !ok {
			t.Errorf("rule %s has no docs/rules/%s.md", r.ID, r.ID)
			continue
		}
		if !strings.HasPrefix(page, "# "+r.ID+"\n") {
			t.Errorf("docs/rules/%s.md does not start with its ID", r.ID)
		}
		if !strings.Contains(page, "Default level: `"+r.Level.String()+"`") {
			t.Errorf("docs/rules/%s.md states another default level than %s", r.ID, r.Level)
		}
		m := exampleRE.FindStringSubmatch(page)
		if m == nil {
			t.Errorf("docs/rules/%s.md has no example output", r.ID)
			continue
		}
		if !strings.Contains(all.String(), m[1]) {
			t.Errorf("docs/rules/%s.md example output is not produced by any fixture:\n%s", r.ID, m[1])
		}
	}
}

// TestDeterministic renders every fixture with one and with eight threads:
// the bytes must not change.
func TestDeterministic(t *testing.T) {
	// Every fixture (Helm renders and kustomize builds run on every core)
	// and the hostile repository (errors as well as findings), in every
	// format.
	dirs, _ := filepath.Glob("../testdata/lint/*")
	hostile := hostileRepo(t)
	render := func(procs int) []byte {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		var buf bytes.Buffer
		for _, dir := range append(dirs, hostile) {
			res := runFixture(dir)
			rep := &report.Report{ToolVersion: "0.0.0-test", Rules: rules.All(), Findings: res.Findings, Diagnostics: res.Diagnostics, Files: res.Files}
			for _, format := range report.Formats {
				if err := report.Write(&buf, format, rep, report.Options{}); err != nil {
					t.Fatal(err)
				}
			}
		}
		return buf.Bytes()
	}
	one := render(1)
	for _, procs := range []int{2, 8, 2, 8} {
		if got := render(procs); !bytes.Equal(one, got) {
			t.Fatalf("output differs between GOMAXPROCS=1 and GOMAXPROCS=%d: %s", procs, golden.FirstDiff(got, one))
		}
	}
}
