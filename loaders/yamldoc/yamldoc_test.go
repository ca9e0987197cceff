package yamldoc

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestLinesAreAbsoluteAcrossDocuments(t *testing.T) {
	src := "a: 1\n---\n# comment\nkind: Second\nspec:\n  replicas: 3\n---\nkind: Third\n"
	docs, err := Decode("f.yaml", []byte(src))
	if err != nil || len(docs) != 3 {
		t.Fatalf("got %d docs, %v", len(docs), err)
	}
	_, v := Get(Path(docs[1].Root, "spec"), "replicas")
	if p := docs[1].Pos(v); p.Line != 6 || p.Col != 13 {
		t.Errorf("replicas at %v, want line 6 col 13", p)
	}
	if p := docs[2].Pos(docs[2].Root); p.Line != 8 {
		t.Errorf("third document at %v, want line 8", p)
	}
}

func TestSyntaxErrorLines(t *testing.T) {
	tests := []struct {
		src  string
		line int
	}{
		{"a: 1\nb: [x\n", 2},                // parser error: reported 0-based by the yaml package
		{"a: 1\n  b: 2\nc: 3\n", 2},         // scanner error
		{"a: 1\nb: @x\n", 2},                // scanner error
		{"a: 1\n\tb: 2\n", 2},               // tab indentation
		{"ok: 1\n---\na: 1\nb: {x: 1\n", 4}, // second document
	}
	for _, tt := range tests {
		docs, err := Decode("f.yaml", []byte(tt.src))
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("%q: error %v, want *Error", tt.src, err)
			continue
		}
		if e.Pos.Line != tt.line {
			t.Errorf("%q: line %d, want %d (%s)", tt.src, e.Pos.Line, tt.line, e.Msg)
		}
		if strings.HasPrefix(tt.src, "ok") && len(docs) != 1 {
			t.Errorf("documents before the error were dropped: %d", len(docs))
		}
	}
}

func TestRejectsBinaryInvalidUTF8AndHugeFiles(t *testing.T) {
	if _, err := Decode("b", []byte("a: 1\nb\x00c")); err == nil || !strings.Contains(err.Error(), "b:2: binary") {
		t.Errorf("binary: %v", err)
	}
	if _, err := Decode("u", []byte("a: 1\nb: caf\xe9\n")); err == nil || !strings.Contains(err.Error(), "u:2: invalid UTF-8") {
		t.Errorf("latin-1: %v", err)
	}
	if _, err := Decode("h", make([]byte, MaxFileSize+1)); err == nil || !strings.Contains(err.Error(), "limit") {
		t.Errorf("huge: %v", err)
	}
}

func TestBOMAndCRLF(t *testing.T) {
	docs, err := Decode("f", []byte("\xef\xbb\xbfkind: A\r\nspec:\r\n  replicas: 2\r\n"))
	if err != nil || len(docs) != 1 {
		t.Fatalf("%v", err)
	}
	if n, ok := Int(Path(docs[0].Root, "spec", "replicas")); !ok || n != 2 {
		t.Errorf("replicas = %d %v", n, ok)
	}
}

func TestMergeKeysAndAliases(t *testing.T) {
	src := "base: &b\n  image: kuma-cp:2.9.3\n  env: &e\n    mode: zone\nderived:\n  <<: *b\n  replicas: 2\nalias: *e\n"
	docs, err := Decode("f", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	root := docs[0].Root
	if got := Str(Path(root, "derived", "image")); got != "kuma-cp:2.9.3" {
		t.Errorf("merged image = %q", got)
	}
	if got := Str(Path(root, "alias", "mode")); got != "zone" {
		t.Errorf("alias mode = %q", got)
	}
}

// An alias bomb is read as the few nodes its text has: nothing expands it.
func TestAliasBombIsNotExpanded(t *testing.T) {
	var b strings.Builder
	b.WriteString("l0: &l0 [x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 12; i++ {
		fmt.Fprintf(&b, "l%d: &l%d [*l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d]\n", i, i, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1)
	}
	b.WriteString("kind: Deployment\n")
	docs, err := Decode("bomb.yaml", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if got := Str(Path(docs[0].Root, "kind")); got != "Deployment" {
		t.Errorf("kind = %q", got)
	}
	if n := len(Items(Path(docs[0].Root, "l11"))); n != 9 {
		t.Errorf("l11 has %d items, want 9 (unexpanded)", n)
	}
}

func TestDecodeEmbedded(t *testing.T) {
	file := "apiVersion: argoproj.io/v1alpha1\n" + // 1
		"kind: Application\n" + // 2
		"spec:\n" + // 3
		"  source:\n" + // 4
		"    helm:\n" + // 5
		"      values: |\n" + // 6
		"        controlPlane:\n" + // 7
		"          mode: zone\n" + // 8
		"          replicas: 1\n" + // 9
		"      other: \"a: b\"\n" // 10
	docs, err := Decode("app.yaml", []byte(file))
	if err != nil {
		t.Fatal(err)
	}
	helm := Path(docs[0].Root, "spec", "source", "helm")
	inner, err := DecodeEmbedded("app.yaml", []byte(file), Path(helm, "values"))
	if err != nil {
		t.Fatal(err)
	}
	k, v := Get(Path(inner[0].Root, "controlPlane"), "replicas")
	if got := inner[0].Pos(k); got.Line != 9 || got.Col != 11 {
		t.Errorf("replicas key at %v, want 9:11", got)
	}
	if got := inner[0].Pos(v); got.Line != 9 || got.Col != 21 {
		t.Errorf("replicas value at %v, want 9:21", got)
	}
	// A quoted string: everything is on the string's own position.
	q, err := DecodeEmbedded("app.yaml", []byte(file), Path(helm, "other"))
	if err != nil {
		t.Fatal(err)
	}
	if _, v := Get(q[0].Root, "a"); q[0].Pos(v).Line != 10 {
		t.Errorf("quoted: %v", q[0].Pos(v))
	}
	// A syntax error inside the block is reported at its file line.
	broken := strings.Replace(file, "replicas: 1", "replicas: [1", 1)
	docs, _ = Decode("app.yaml", []byte(broken))
	_, err = DecodeEmbedded("app.yaml", []byte(broken), Path(docs[0].Root, "spec", "source", "helm", "values"))
	if e := (*Error)(nil); !errors.As(err, &e) || e.Pos.Line < 9 {
		t.Errorf("broken block: %v", err)
	}
}

func TestExpandedSize(t *testing.T) {
	// Nine levels of nine aliases: 9^9 nodes when expanded, 500 bytes of text.
	var b strings.Builder
	b.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 9; i++ {
		fmt.Fprintf(&b, "a%d: &a%d [", i, i)
		for j := range 9 {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "*a%d", i-1)
		}
		b.WriteString("]\n")
	}
	docs, err := Decode("bomb.yaml", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if n, over := ExpandedSize(docs[0].Root, 1_000_000); !over || n <= 1_000_000 {
		t.Errorf("alias bomb: size %d, over %v", n, over)
	}
	docs, _ = Decode("ok.yaml", []byte("base: &b {a: 1, b: 2}\nx: *b\ny: *b\n"))
	if n, over := ExpandedSize(docs[0].Root, 1000); over || n != 21 {
		t.Errorf("small file: size %d, over %v", n, over)
	}
}
