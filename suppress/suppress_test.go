package suppress

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/kumalint/kumalint/model"
)

const sep = model.KeySep

var known = Options{
	Known:   func(id string) bool { return slices.Contains([]string{"zone-skew", "zone-ahead", "end-of-life"}, id) },
	Suggest: func(id string) string { return "zone-skew" },
}

func TestScan(t *testing.T) {
	src := "a: 1\n" +
		"  # kumalint:ignore zone-skew -- moving in PR 12\n" + // 2: alone
		"b: 2  # kumalint:ignore zone-skew,end-of-life -- both\n" + // 3: trailing, two rules
		"c: \"# kumalint:ignore is only words here\"\n" + // 4: inside a string: no rule named
		"#kumalint:ignore zone-ahead\n" + // 5: no reason
		"d: 3 # kumalint:ignored-not-a-directive\n"
	ds := Scan("f.yaml", []byte(src))
	if len(ds) != 3 {
		t.Fatalf("Scan found %d directives, want 3: %+v", len(ds), ds)
	}
	want := []struct {
		line, col int
		rules     string
		reason    string
		alone     bool
	}{
		{2, 3, "zone-skew", "moving in PR 12", true},
		{3, 7, "zone-skew,end-of-life", "both", false},
		{5, 1, "zone-ahead", "", true},
	}
	for i, w := range want {
		d := ds[i]
		if d.Pos.Line != w.line || d.Pos.Col != w.col || strings.Join(d.Rules, ",") != w.rules || d.Reason != w.reason || d.Alone != w.alone {
			t.Errorf("directive %d = %+v, want %+v", i, *d, w)
		}
	}
}

func finding(rule, file string, line int, key string) model.Finding {
	return model.Finding{Rule: rule, Level: model.LevelError, Pos: model.Pos{File: file, Line: line}, Key: rule + sep + key}
}

func TestApply(t *testing.T) {
	src := "x: 1\n" +
		"# kumalint:ignore zone-skew -- waiting for the global\n" + // 2
		"zone: a\n" + // 3: silenced by line 2
		"zone: b  # kumalint:ignore zone-ahead\n" + // 4: silenced, no reason
		"\n" +
		"# kumalint:ignore zone-skew -- two lines above is too far\n" + // 6
		"\n" +
		"zone: c\n" + // 8: not silenced
		"# kumalint:ignore zone-sew -- typo\n" // 9
	directives := map[string][]*Directive{"f.yaml": Scan("f.yaml", []byte(src))}
	annotated := &model.Component{Object: model.Object{Kind: "Deployment", Name: "cp", Ignore: model.Stated("end-of-life -- LTS support contract", model.Pos{File: "g.yaml", Line: 7})}}
	comps := map[string]*model.Component{"cp-identity": annotated}
	fs := []model.Finding{
		finding("zone-skew", "f.yaml", 3, "a"),
		finding("zone-ahead", "f.yaml", 4, "b"),
		finding("zone-skew", "f.yaml", 8, "c"),
		finding("zone-ahead", "f.yaml", 3, "a"), // another rule on a silenced line
		finding("end-of-life", "g.yaml", 20, "cp-identity"),
		finding("zone-skew", "g.yaml", 21, "cp-identity"),
	}
	diags := Apply(fs, directives, comps, known)
	var got []bool
	for _, f := range fs {
		got = append(got, f.Suppression != nil)
	}
	if want := []bool{true, true, false, false, true, false}; !slices.Equal(got, want) {
		t.Errorf("suppressed = %v, want %v", got, want)
	}
	if s := fs[0].Suppression; s.Kind != model.SuppressedInSource || s.Justification != "waiting for the global" || s.Pos.Line != 2 {
		t.Errorf("suppression = %+v", s)
	}
	if s := fs[4].Suppression; s.Justification != "LTS support contract" || s.Pos.File != "g.yaml" {
		t.Errorf("annotation suppression = %+v", s)
	}
	var msgs []string
	for _, d := range diags {
		msgs = append(msgs, d.Pos.String()+" "+d.Level.String()+" "+d.Message)
	}
	joined := strings.Join(msgs, "\n")
	for _, want := range []string{
		"f.yaml:4:10 warning kumalint:ignore without a reason",
		"f.yaml:6:1 note this kumalint:ignore silences nothing",
		`f.yaml:9:1 warning kumalint:ignore names unknown rule "zone-sew"; did you mean "zone-skew"?`,
	} {
		if !strings.Contains(joined, want) {
			t.Errorf("diagnostics lack %q:\n%s", want, joined)
		}
	}
	if len(diags) != 3 {
		t.Errorf("%d diagnostics, want 3:\n%s", len(diags), joined)
	}
}

func TestBaseline(t *testing.T) {
	mk := func(rule, file, key, loose string) model.Finding {
		f := finding(rule, file, 10, key)
		f.LooseKey = rule + sep + loose
		return f
	}
	before := []model.Finding{
		mk("zone-skew", "prod/zone/kuma.yaml", "prod/zone|cp", "cp"),
		mk("end-of-life", "prod/zone/kuma.yaml", "prod/zone|cp", "cp"),
		mk("zone-ahead", "a/kuma.yaml", "a|cp2", "cp2"),
		mk("zone-ahead", "b/kuma.yaml", "b|cp2", "cp2"),
	}
	var buf bytes.Buffer
	if err := WriteBaseline(&buf, before); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "baseline.json")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := ReadBaseline(path, "kumalint-baseline.json")
	if err != nil {
		t.Fatal(err)
	}
	after := []model.Finding{
		mk("zone-skew", "eu/zone/kuma.yaml", "eu/zone|cp", "cp"), // the directory moved: loose match
		mk("zone-ahead", "c/kuma.yaml", "c|cp2", "cp2"),          // ambiguous loose key: no match
		mk("dataplane-skew", "prod/zone/kuma.yaml", "prod/zone|cp", "cp"),
	}
	after[0].Pos.Line = 99 // lines move too
	stale := b.Apply(after)
	if after[0].Suppression == nil || after[0].Suppression.Kind != model.SuppressedExternal || !strings.Contains(after[0].Suppression.Justification, "kumalint-baseline.json") {
		t.Errorf("moved finding not matched: %+v", after[0].Suppression)
	}
	if after[1].Suppression != nil || after[2].Suppression != nil {
		t.Error("a new finding was silenced")
	}
	if stale != 3 {
		t.Errorf("stale = %d, want 3 (end-of-life fixed, two zone-ahead gone)", stale)
	}
	if err := os.WriteFile(path, []byte(`{"version": 7, "tool": "kumalint", "findings": []}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadBaseline(path, "b.json"); err == nil || !strings.Contains(err.Error(), "--write-baseline") {
		t.Errorf("wrong version: %v", err)
	}
	if err := os.WriteFile(path, []byte(`not json`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadBaseline(path, "b.json"); err == nil || !strings.Contains(err.Error(), "not a kumalint baseline") {
		t.Errorf("garbage: %v", err)
	}
}

// TestScanCRLF: a file with Windows line endings (found by fuzzing).
func TestScanCRLF(t *testing.T) {
	ds := Scan("f.yaml", []byte("a: 1  # kumalint:ignore zone-skew -- why\r\n#kumalint:ignore\r\nb: 2\r\n"))
	if len(ds) != 2 || strings.Join(ds[0].Rules, ",") != "zone-skew" || ds[0].Reason != "why" || len(ds[1].Rules) != 0 || !ds[1].Alone {
		t.Errorf("CRLF directives: %+v %+v", *ds[0], *ds[1])
	}
}
