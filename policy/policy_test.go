package policy

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kumalint/kumalint/model"
)

func v(s string) model.Version { return model.ParseVersion(s) }

func TestDistance(t *testing.T) {
	p := Default()
	tests := []struct {
		prod model.Product
		a, b string
		want int
	}{
		{model.ProductKuma, "2.7.0", "2.9.3", 2},
		{model.ProductKuma, "2.6.2", "2.9.3", 3},
		{model.ProductKuma, "2.9.3", "2.7.1", -2},
		{model.ProductKuma, "2.9.0", "2.9.19", 0},
		// Kuma had no 1.9: 1.8 -> 2.0 is one release line.
		{model.ProductKuma, "1.8.8", "2.0.0", 1},
		{model.ProductKuma, "1.7.0", "2.0.0", 2},
		{model.ProductKuma, "1.6.0", "2.0.0", 3},
		// Kong Mesh had a 1.9, so 1.8 -> 2.1 is three.
		{model.ProductKongMesh, "1.8.0", "2.1.0", 3},
		{model.ProductKongMesh, "1.9.0", "2.0.0", 1},
		// 2.14 -> 3.0 is the next line on both trains.
		{model.ProductKuma, "2.14.3", "3.0.1", 1},
		{model.ProductKuma, "2.12.0", "3.0.0", 3},
		// Beyond the table: counted by minor number.
		{model.ProductKuma, "3.0.0", "3.2.0", 2},
		{model.ProductKuma, "2.14.0", "2.16.0", 2},
		// An unknown product is measured on Kuma's train.
		{model.ProductUnknown, "1.8.0", "2.0.0", 1},
		// Pre-1.0.
		{model.ProductKuma, "0.7.3", "1.0.0", 1},
	}
	for _, tt := range tests {
		if got := p.Distance(tt.prod, v(tt.a), v(tt.b)); got != tt.want {
			t.Errorf("Distance(%s, %s, %s) = %d, want %d", tt.prod, tt.a, tt.b, got, tt.want)
		}
	}
}

func TestWindow(t *testing.T) {
	p := Default()
	tests := []struct {
		prod     model.Product
		upper    string
		oldest   string
		entry    string
		allowed  []string
		rejected []string
	}{
		{model.ProductKuma, "2.9.3", "2.7", "", []string{"2.7.0", "2.8.8", "2.9.0"}, []string{"2.6.15", "2.5.0"}},
		{model.ProductKuma, "1.6.0", "1.4", "", []string{"1.4.1"}, []string{"1.3.1", "1.2.0"}},
		{model.ProductKuma, "2.0.0", "1.7", "", []string{"1.7.0", "1.8.8"}, []string{"1.6.5"}},
		{model.ProductKongMesh, "2.0.0", "1.8", "", []string{"1.8.0", "1.9.0"}, []string{"1.7.7"}},
		// Every path into 3.x passes through 2.14.
		{model.ProductKuma, "3.0.1", "2.14", "2.14", []string{"2.14.3"}, []string{"2.13.10", "2.12.0"}},
		{model.ProductKuma, "3.1.0", "2.14", "", []string{"2.14.0", "3.0.0"}, []string{"2.13.0"}},
		{model.ProductKuma, "3.2.0", "3.0", "", []string{"3.0.0"}, []string{"2.14.3"}},
		{model.ProductKuma, "0.7.0", "0.5", "", []string{"0.5.0"}, []string{"0.4.0"}},
	}
	for _, tt := range tests {
		w := p.Window(tt.prod, v(tt.upper))
		if w.Oldest != tt.oldest || w.Entry != tt.entry {
			t.Errorf("Window(%s %s) = oldest %q entry %q, want %q %q", tt.prod, tt.upper, w.Oldest, w.Entry, tt.oldest, tt.entry)
		}
		for _, a := range tt.allowed {
			if !p.Contains(tt.prod, w, v(a)) {
				t.Errorf("window of %s rejects %s", tt.upper, a)
			}
		}
		for _, r := range tt.rejected {
			if p.Contains(tt.prod, w, v(r)) {
				t.Errorf("window of %s allows %s", tt.upper, r)
			}
		}
	}
}

func TestWindowString(t *testing.T) {
	p := Default()
	if got, want := p.Window(model.ProductKuma, v("2.9.3")).String(), "2.7 to 2.9"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := p.Window(model.ProductKuma, v("3.0.0")).String(); got != "2.14 to 3.0 (every path into 3.x passes through 2.14)" {
		t.Errorf("got %q", got)
	}
}

func TestEndOfLife(t *testing.T) {
	p := Default()
	tests := []struct {
		prod     model.Product
		ver      string
		date     string
		inferred bool
		ok       bool
	}{
		{model.ProductKuma, "2.6.4", "2025-02-01", false, true},
		{model.ProductKuma, "2.7.10", "2026-10-19", false, true},
		// Kuma 1.0 and 1.1 have no date of their own: no later than 1.2.
		{model.ProductKuma, "1.1.0", "2022-06-17", true, true},
		{model.ProductKongMesh, "1.6.0", "2023-02-23", false, true},
		{model.ProductKongMesh, "2.13.0", "", false, false},
		{model.ProductKuma, "2.19.0", "", false, false},
	}
	for _, tt := range tests {
		eol, inferred, ok := p.EndOfLife(tt.prod, v(tt.ver))
		if ok != tt.ok || inferred != tt.inferred {
			t.Errorf("EndOfLife(%s %s) ok=%v inferred=%v, want %v %v", tt.prod, tt.ver, ok, inferred, tt.ok, tt.inferred)
			continue
		}
		if ok && eol.Format(time.DateOnly) != tt.date {
			t.Errorf("EndOfLife(%s %s) = %s, want %s", tt.prod, tt.ver, eol.Format(time.DateOnly), tt.date)
		}
	}
}

func TestTrainsAgreeWithKongMeshMapping(t *testing.T) {
	// Kong Mesh 1.x is one minor ahead of Kuma; from 2.0 the numbers match
	// (domain.md §2.2).
	km := Default().Train(model.ProductKongMesh)
	for _, l := range km.Lines {
		if l.Kuma == "" {
			continue
		}
		want := l.Name()
		if l.Major == 1 {
			want = "1." + strconv.Itoa(l.Minor-1)
		}
		if l.Kuma != want {
			t.Errorf("Kong Mesh %s is built on Kuma %s, table says %s", l.Name(), want, l.Kuma)
		}
	}
}

func TestParseRejectsBrokenTables(t *testing.T) {
	bad := map[string]string{
		"unknown key":   "policy: {maxSkewLines: 2}\nbogus: 1\n",
		"no skew":       "policy: {maxSkewLines: 0}\n",
		"out of order":  "policy: {maxSkewLines: 2}\nproducts:\n  kuma:\n    lines: [{line: '2.1'}, {line: '2.0'}]\n  kong-mesh:\n    lines: [{line: '2.0'}]\n",
		"bad date":      "policy: {maxSkewLines: 2}\nproducts:\n  kuma:\n    lines: [{line: '2.1', eol: 'soon'}]\n  kong-mesh:\n    lines: [{line: '2.0'}]\n",
		"bad line":      "policy: {maxSkewLines: 2}\nproducts:\n  kuma:\n    lines: [{line: 'two'}]\n  kong-mesh:\n    lines: [{line: '2.0'}]\n",
		"no kong mesh":  "policy: {maxSkewLines: 2}\nproducts:\n  kuma:\n    lines: [{line: '2.0'}]\n",
		"other product": "policy: {maxSkewLines: 2}\nproducts:\n  istio:\n    lines: [{line: '1.0'}]\n",
	}
	for name, doc := range bad {
		if _, err := Parse([]byte(doc)); err == nil {
			t.Errorf("%s: Parse accepted a broken table", name)
		}
	}
}

func TestNewestAbove(t *testing.T) {
	p := Default()
	tests := []struct{ lower, want string }{
		{"2.6.2", "2.8"},
		{"2.13.10", "2.14"},
		{"2.14.3", "3.1"},
		{"1.7.0", "2.0"},
	}
	for _, tt := range tests {
		if got := p.NewestAbove(model.ProductKuma, v(tt.lower)); got != tt.want {
			t.Errorf("NewestAbove(%s) = %s, want %s", tt.lower, got, tt.want)
		}
	}
}

func TestSteps(t *testing.T) {
	p := Default()
	tests := []struct {
		prod     model.Product
		from, to string
		want     string
	}{
		// The examples of the upgrade pages and the migration paths (domain.md §0).
		{model.ProductKuma, "1.2.3", "1.6.0", "1.4 1.6"},
		{model.ProductKuma, "1.4.1", "1.6.0", "1.6"},
		{model.ProductKongMesh, "2.9.0", "2.13.0", "2.11 2.13"},
		{model.ProductKongMesh, "2.11.0", "2.13.0", "2.13"},
		{model.ProductKuma, "2.12.1", "3.0.0", "2.14 3.0"},
		{model.ProductKuma, "2.9.3", "3.0.1", "2.11 2.13 2.14 3.0"},
		{model.ProductKuma, "2.8.0", "3.0.0", "2.10 2.12 2.14 3.0"},
		{model.ProductKuma, "2.13.2", "3.0.0", "2.14 3.0"},
		// Kuma 1.8 -> 2.0 is one line: there was no 1.9.
		{model.ProductKuma, "1.7.0", "2.1.0", "2.0 2.1"},
		// Patch moves and downgrades need no step.
		{model.ProductKuma, "2.9.1", "2.9.3", ""},
		{model.ProductKuma, "2.11.0", "2.9.0", ""},
	}
	for _, tt := range tests {
		got := strings.Join(p.Steps(tt.prod, v(tt.from), v(tt.to)), " ")
		if got != tt.want {
			t.Errorf("Steps(%s %s -> %s) = %q, want %q", tt.prod, tt.from, tt.to, got, tt.want)
		}
	}
}

func TestFlags(t *testing.T) {
	p := Default()
	f, ok := p.Flag("KUMA_EXPERIMENTAL_USE_TAG_FIRST_VIRTUAL_OUTBOUND_MODEL")
	if !ok || !f.DowngradeUnsafe || f.Name != "useTagFirstVirtualOutboundModel" {
		t.Fatalf("Flag(use tag first) = %+v, %v", f, ok)
	}
	if _, ok := p.Flag("KUMA_EXPERIMENTAL_SIDECAR_CONTAINERS"); ok {
		t.Error("sidecarContainers is per proxy, not a mixed-version hazard")
	}
	delta, _ := p.Flag("KUMA_EXPERIMENTAL_KDS_DELTA_ENABLED")
	vips, _ := p.Flag("KUMA_EXPERIMENTAL_KUBE_OUTBOUNDS_AS_VIPS")
	tests := []struct {
		f    Flag
		ver  string
		want bool
	}{
		{delta, "2.3.0", false},
		{delta, "2.5.0", true},
		{delta, "2.8.4", true},
		{delta, "2.9.0", false},
		{vips, "2.1.0", false},
		{vips, "2.2.0", true},
		{vips, "3.0.0", true},
		{f, "2.9.0", false},
	}
	for _, tt := range tests {
		if got := p.DefaultOn(model.ProductKuma, tt.f, v(tt.ver)); got != tt.want {
			t.Errorf("DefaultOn(%s, %s) = %v, want %v", tt.f.Name, tt.ver, got, tt.want)
		}
	}
}
