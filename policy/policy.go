// Package policy is the Kong Mesh / Kuma upgrade policy as data: the release
// trains of both products and the skew arithmetic over them. The trains live in
// releases.yaml, embedded at build time; nothing here is an if-chain of
// versions.
package policy

import (
	_ "embed"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/kumalint/kumalint/model"
)

//go:embed releases.yaml
var releasesYAML []byte

// Line is one minor release line of a product.
type Line struct {
	Major, Minor int
	Released     time.Time // zero when unknown
	EOL          time.Time // zero when unknown
	LTS          bool
	Latest       int    // newest patch known; -1 when unknown
	Kuma         string // for Kong Mesh: the Kuma line it is built on
}

// Name is "2.9".
func (l Line) Name() string { return fmt.Sprintf("%d.%d", l.Major, l.Minor) }

// Train is a product's release lines in order.
type Train struct {
	Product  model.Product
	Lines    []Line
	DataAsOf time.Time
	index    map[[2]int]int
}

// Policy is the upgrade policy: the trains and the allowed skew.
type Policy struct {
	MaxSkew int
	trains  map[model.Product]*Train
	// entry maps a major to the line every path into it must pass through.
	entry map[int][2]int
	flags []Flag
}

// Flag is an experimental setting that is not backward compatible.
type Flag struct {
	Name string // as in the kuma-cp config: experimental.<Name>
	Env  string // KUMA_EXPERIMENTAL_…
	Helm string // the chart's values key, when it has its own
	// DowngradeUnsafe: it must be switched off and rolled out before a
	// downgrade.
	DowngradeUnsafe bool
	// defaultOn is the range of lines (as [major, minor]; zero until: open)
	// where the flag is on without being set.
	defaultOnFrom, defaultOnUntil [2]int
	hasDefaultOn, hasUntil        bool
}

var (
	defaultOnce   sync.Once
	defaultPolicy *Policy
	errDefault    error
)

// Default returns the policy built from the embedded release table.
func Default() *Policy {
	defaultOnce.Do(func() { defaultPolicy, errDefault = Parse(releasesYAML) })
	if errDefault != nil {
		// The table is part of the binary and covered by tests.
		panic("policy: embedded releases.yaml: " + errDefault.Error())
	}
	return defaultPolicy
}

type fileLine struct {
	Line     string `yaml:"line"`
	Released string `yaml:"released"`
	EOL      string `yaml:"eol"`
	LTS      bool   `yaml:"lts"`
	Latest   *int   `yaml:"latest"`
	Kuma     string `yaml:"kuma"`
}

type fileFormat struct {
	Policy struct {
		MaxSkewLines int `yaml:"maxSkewLines"`
	} `yaml:"policy"`
	ExperimentalFlags []struct {
		Name            string `yaml:"name"`
		Env             string `yaml:"env"`
		Helm            string `yaml:"helm"`
		DowngradeUnsafe bool   `yaml:"downgradeUnsafe"`
		DefaultOn       *struct {
			From  string `yaml:"from"`
			Until string `yaml:"until"`
		} `yaml:"defaultOn"`
	} `yaml:"experimentalFlags"`
	Majors []struct {
		Major     int    `yaml:"major"`
		EntryFrom string `yaml:"entryFrom"`
	} `yaml:"majors"`
	Products map[string]struct {
		DataAsOf string     `yaml:"dataAsOf"`
		Lines    []fileLine `yaml:"lines"`
	} `yaml:"products"`
}

// Parse reads a release table in the releases.yaml format.
func Parse(data []byte) (*Policy, error) {
	var f fileFormat
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return nil, err
	}
	if f.Policy.MaxSkewLines < 1 {
		return nil, fmt.Errorf("policy.maxSkewLines must be at least 1")
	}
	p := &Policy{MaxSkew: f.Policy.MaxSkewLines, trains: map[model.Product]*Train{}, entry: map[int][2]int{}}
	for _, m := range f.Majors {
		mj, mn, err := splitLine(m.EntryFrom)
		if err != nil {
			return nil, fmt.Errorf("majors %d: %w", m.Major, err)
		}
		p.entry[m.Major] = [2]int{mj, mn}
	}
	for _, ff := range f.ExperimentalFlags {
		if ff.Name == "" || !strings.HasPrefix(ff.Env, "KUMA_EXPERIMENTAL_") {
			return nil, fmt.Errorf("experimentalFlags %q: needs a name and a KUMA_EXPERIMENTAL_ env", ff.Name)
		}
		fl := Flag{Name: ff.Name, Env: ff.Env, Helm: ff.Helm, DowngradeUnsafe: ff.DowngradeUnsafe}
		if d := ff.DefaultOn; d != nil {
			mj, mn, err := splitLine(d.From)
			if err != nil {
				return nil, fmt.Errorf("experimentalFlags %s defaultOn: %w", ff.Name, err)
			}
			fl.defaultOnFrom, fl.hasDefaultOn = [2]int{mj, mn}, true
			if d.Until != "" {
				if mj, mn, err = splitLine(d.Until); err != nil {
					return nil, fmt.Errorf("experimentalFlags %s defaultOn: %w", ff.Name, err)
				}
				fl.defaultOnUntil, fl.hasUntil = [2]int{mj, mn}, true
			}
		}
		p.flags = append(p.flags, fl)
	}
	names := make([]string, 0, len(f.Products))
	for name := range f.Products {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		prod := model.Product(name)
		if prod != model.ProductKuma && prod != model.ProductKongMesh {
			return nil, fmt.Errorf("unknown product %q", name)
		}
		src := f.Products[name]
		t := &Train{Product: prod, index: map[[2]int]int{}}
		var err error
		if t.DataAsOf, err = parseDate(src.DataAsOf); err != nil {
			return nil, fmt.Errorf("%s dataAsOf: %w", name, err)
		}
		for i, fl := range src.Lines {
			l := Line{Latest: -1, LTS: fl.LTS, Kuma: fl.Kuma}
			if l.Major, l.Minor, err = splitLine(fl.Line); err != nil {
				return nil, fmt.Errorf("%s line %d: %w", name, i, err)
			}
			if fl.Latest != nil {
				l.Latest = *fl.Latest
			}
			if l.Released, err = parseDate(fl.Released); err != nil {
				return nil, fmt.Errorf("%s %s released: %w", name, fl.Line, err)
			}
			if l.EOL, err = parseDate(fl.EOL); err != nil {
				return nil, fmt.Errorf("%s %s eol: %w", name, fl.Line, err)
			}
			if i > 0 {
				prev := t.Lines[i-1]
				if l.Major < prev.Major || (l.Major == prev.Major && l.Minor <= prev.Minor) {
					return nil, fmt.Errorf("%s: line %s is out of order after %s", name, l.Name(), prev.Name())
				}
			}
			t.index[[2]int{l.Major, l.Minor}] = i
			t.Lines = append(t.Lines, l)
		}
		if len(t.Lines) == 0 {
			return nil, fmt.Errorf("%s: no lines", name)
		}
		p.trains[prod] = t
	}
	for _, prod := range []model.Product{model.ProductKuma, model.ProductKongMesh} {
		if p.trains[prod] == nil {
			return nil, fmt.Errorf("no release train for %s", prod)
		}
	}
	return p, nil
}

func splitLine(s string) (int, int, error) {
	a, b, ok := strings.Cut(s, ".")
	if !ok {
		return 0, 0, fmt.Errorf("line %q is not MAJOR.MINOR", s)
	}
	mj, err1 := strconv.Atoi(a)
	mn, err2 := strconv.Atoi(b)
	if err1 != nil || err2 != nil || mj < 0 || mn < 0 {
		return 0, 0, fmt.Errorf("line %q is not MAJOR.MINOR", s)
	}
	return mj, mn, nil
}

func parseDate(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.Parse(time.DateOnly, s)
}

// Train returns the product's release train. A component whose product is
// unknown (a private mirror) is measured on Kuma's train: the numbering is the
// same from 2.0 on, and only Kong Mesh 1.x differs.
func (p *Policy) Train(prod model.Product) *Train {
	if t, ok := p.trains[prod]; ok {
		return t
	}
	return p.trains[model.ProductKuma]
}

// Lookup returns the line of v, if the train has it.
func (t *Train) Lookup(v model.Version) (Line, bool) {
	i, ok := t.index[[2]int{v.Major, v.Minor}]
	if !ok {
		return Line{}, false
	}
	return t.Lines[i], true
}

// Newest is the train's last line.
func (t *Train) Newest() Line { return t.Lines[len(t.Lines)-1] }

// Position places a major.minor on the train. Lines in the table are counted
// by entries (so Kuma 1.8 -> 2.0 is one step); a line beyond the table is
// counted by minor number from the nearest known line of the same major, and
// a major beyond the table starts one step after the newest line.
func (t *Train) Position(major, minor int) int {
	if i, ok := t.index[[2]int{major, minor}]; ok {
		return i
	}
	below, above := -1, -1
	for i, l := range t.Lines {
		if l.Major != major {
			continue
		}
		if l.Minor < minor {
			below = i
		} else if above < 0 {
			above = i
		}
	}
	switch {
	case below >= 0:
		return below + (minor - t.Lines[below].Minor)
	case above >= 0:
		return above - (t.Lines[above].Minor - minor)
	}
	last := len(t.Lines) - 1
	if major > t.Lines[last].Major {
		return last + 1 + minor + 1000*(major-t.Lines[last].Major-1)
	}
	// A major older than the table: before everything, in order.
	return -1000*(t.Lines[0].Major-major) + minor
}

// LineName names the line at a position, for messages.
func (t *Train) LineName(pos int) string {
	if pos >= 0 && pos < len(t.Lines) {
		return t.Lines[pos].Name()
	}
	return "?"
}

// Distance is how many release lines b is ahead of a (negative when behind).
func (p *Policy) Distance(prod model.Product, a, b model.Version) int {
	t := p.Train(prod)
	return t.Position(b.Major, b.Minor) - t.Position(a.Major, a.Minor)
}

// Window is the range of lines a lower tier may run next to an upper tier at
// version upper: from Oldest to upper's own line.
type Window struct {
	Oldest string // the oldest allowed line, "2.7"
	Newest string // the upper tier's line, "2.9"
	// Entry is set when the major's entry rule narrowed the window (3.x can
	// only be reached from 2.14).
	Entry                string
	oldestPos, newestPos int
}

func (w Window) String() string {
	s := w.Oldest + " to " + w.Newest
	if w.Oldest == w.Newest {
		s = w.Newest + " only"
	}
	if w.Entry != "" {
		s += fmt.Sprintf(" (every path into %s.x passes through %s)", strings.SplitN(w.Newest, ".", 2)[0], w.Entry)
	}
	return s
}

// Window computes what may run below a component at version upper.
func (p *Policy) Window(prod model.Product, upper model.Version) Window {
	t := p.Train(prod)
	up := t.Position(upper.Major, upper.Minor)
	w := Window{newestPos: up, oldestPos: up - p.MaxSkew, Newest: upper.Line()}
	if e, ok := p.entry[upper.Major]; ok && e[0] < upper.Major {
		if ep := t.Position(e[0], e[1]); ep > w.oldestPos {
			w.oldestPos = ep
			w.Entry = fmt.Sprintf("%d.%d", e[0], e[1])
		}
	}
	w.Oldest = t.LineName(w.oldestPos)
	if w.Oldest == "?" {
		w.Oldest = lineBefore(upper, up-w.oldestPos)
	}
	return w
}

// lineBefore names the line n minors before v when the table cannot.
func lineBefore(v model.Version, n int) string {
	m := v.Minor - n
	if m < 0 {
		m = 0
	}
	return fmt.Sprintf("%d.%d", v.Major, m)
}

// Contains reports whether lower fits in the window (is not too old). Being
// ahead of the upper tier is a separate question: see Distance.
func (p *Policy) Contains(prod model.Product, w Window, lower model.Version) bool {
	return p.Train(prod).Position(lower.Major, lower.Minor) >= w.oldestPos
}

// EndOfLife returns the end-of-life date of v's line. A line without a date of
// its own (Kuma 1.0, 1.1, 0.x) is taken to end no later than the next line
// that has one; inferred reports that.
func (p *Policy) EndOfLife(prod model.Product, v model.Version) (eol time.Time, inferred, ok bool) {
	t := p.Train(prod)
	i, found := t.index[[2]int{v.Major, v.Minor}]
	if !found {
		return time.Time{}, false, false
	}
	if !t.Lines[i].EOL.IsZero() {
		return t.Lines[i].EOL, false, true
	}
	for _, l := range t.Lines[i+1:] {
		if !l.EOL.IsZero() {
			return l.EOL, true, true
		}
	}
	return time.Time{}, false, false
}

// Supported lists the lines that are not end-of-life at now and have been
// released, newest last, for remediation text.
func (p *Policy) Supported(prod model.Product, now time.Time) []Line {
	var out []Line
	for _, l := range p.Train(prod).Lines {
		if !l.EOL.IsZero() && l.EOL.After(now) && (l.Released.IsZero() || !l.Released.After(now)) {
			out = append(out, l)
		}
	}
	return out
}

// LineAfter names the line n steps after v's on the product's train (n may
// be negative).
func (p *Policy) LineAfter(prod model.Product, v model.Version, n int) string {
	t := p.Train(prod)
	pos := t.Position(v.Major, v.Minor) + n
	if name := t.LineName(pos); name != "?" {
		return name
	}
	if last := len(t.Lines) - 1; pos > last {
		newest := t.Lines[last] // beyond the table the newest major goes on
		return fmt.Sprintf("%d.%d", newest.Major, newest.Minor+pos-last)
	}
	return fmt.Sprintf("%d.%d", v.Major, max(v.Minor+n, 0))
}

// NewestAbove names the newest line an upper tier may run while a lower tier
// stays at lower: normally two lines up, less where a major's entry rule
// forbids the jump (a 2.13 data plane keeps its CP at 2.14, not 3.0).
func (p *Policy) NewestAbove(prod model.Product, lower model.Version) string {
	for n := p.MaxSkew; n > 0; n-- {
		name := p.LineAfter(prod, lower, n)
		up := model.ParseVersion(name + ".0")
		if p.Contains(prod, p.Window(prod, up), lower) {
			return name
		}
	}
	return lower.Line()
}

// Flag looks up a not-backward-compatible experimental flag by its
// environment variable.
func (p *Policy) Flag(env string) (Flag, bool) {
	for _, f := range p.flags {
		if f.Env == env {
			return f, true
		}
	}
	return Flag{}, false
}

// DefaultOn reports whether the flag is already on, unset, at version v.
func (p *Policy) DefaultOn(prod model.Product, f Flag, v model.Version) bool {
	if !f.hasDefaultOn {
		return false
	}
	t := p.Train(prod)
	pos := t.Position(v.Major, v.Minor)
	if pos < t.Position(f.defaultOnFrom[0], f.defaultOnFrom[1]) {
		return false
	}
	return !f.hasUntil || pos <= t.Position(f.defaultOnUntil[0], f.defaultOnUntil[1])
}

// Steps lists the release lines an upgrade from one version to another passes
// through, the target's line last: each step at most MaxSkew lines and every
// major entered through its entry line (2.12 -> 3.0 is 2.14, 3.0). It is
// empty when to is not above from.
func (p *Policy) Steps(prod model.Product, from, to model.Version) []string {
	t := p.Train(prod)
	target := t.Position(to.Major, to.Minor)
	var out []string
	for cur := from; t.Position(cur.Major, cur.Minor) < target; {
		next := p.NewestAbove(prod, cur)
		nv := model.ParseVersion(next + ".0")
		if t.Position(nv.Major, nv.Minor) >= target {
			next, nv = to.Line(), to
		}
		if t.Position(nv.Major, nv.Minor) <= t.Position(cur.Major, cur.Minor) {
			break // the table allows no step up; never loop
		}
		out = append(out, next)
		cur = nv
	}
	return out
}

// WithMaxSkew returns a copy of the policy that allows n release lines of
// skew and per upgrade instead of the published two.
func (p *Policy) WithMaxSkew(n int) *Policy {
	cp := *p
	cp.MaxSkew = n
	return &cp
}
