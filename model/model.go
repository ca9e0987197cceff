// Package model holds the plain data that flows through kumalint: source
// positions, versions, image references, components and the version graph.
// It does no I/O; loaders fill it and rules read it.
package model

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
)

// Pos is a place in a source file. Line and Col are 1-based; a zero Line
// means "the whole file".
type Pos struct {
	File string
	Line int
	Col  int
}

// IsZero reports whether p names no file.
func (p Pos) IsZero() bool { return p.File == "" }

func (p Pos) String() string {
	switch {
	case p.File == "":
		return "-"
	case p.Line == 0:
		return p.File
	case p.Col == 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Field is an attribute together with the line it was read from, so that a
// finding about the attribute can point at the line a person edits.
type Field[T any] struct {
	Value T
	Pos   Pos
	Set   bool // false: the attribute was not stated and Value is a default
}

// Stated returns a Field that was read from the source at pos.
func Stated[T any](v T, pos Pos) Field[T] { return Field[T]{Value: v, Pos: pos, Set: true} }

// Level is how serious a finding is.
type Level int

// Levels, from least to most serious. The order matters: --fail-on compares them.
const (
	LevelNone Level = iota
	LevelNote
	LevelWarning
	LevelError
)

func (l Level) String() string {
	switch l {
	case LevelNote:
		return "note"
	case LevelWarning:
		return "warning"
	case LevelError:
		return "error"
	}
	return "none"
}

// ParseLevel reads a level name as used on the command line and in SARIF.
func ParseLevel(s string) (Level, error) {
	switch s {
	case "none", "off":
		return LevelNone, nil
	case "note":
		return LevelNote, nil
	case "warning":
		return LevelWarning, nil
	case "error":
		return LevelError, nil
	}
	return LevelNone, fmt.Errorf("unknown level %q (want error, warning, note or none)", s)
}

// Related is a secondary location of a finding: the other side of a skew, the
// object a setting belongs to.
type Related struct {
	Pos     Pos
	Message string
}

// Finding is one problem found by one rule.
type Finding struct {
	Rule    string
	Level   Level
	Message string // names both versions and the allowed window
	Fix     string // what to change, concretely
	Pos     Pos    // the line to edit
	Related []Related
	// Key identifies the finding independently of line numbers (rule,
	// component identities), for fingerprints and baselines.
	Key string
	// Degree is how bad the finding is on the rule's own scale (release lines
	// of skew, say), so that PR mode can tell a finding the change made worse
	// from one it left alone. Zero when the rule has no scale.
	Degree int
	// Existing marks, in PR mode, a finding already present at the base
	// revision and not made worse by the change.
	Existing bool
	// LooseKey is Key with every component named without its directory: the
	// identity a baseline falls back on when files move.
	LooseKey string
	// Suppression is set when an ignore comment, an annotation or a baseline
	// silences the finding. Suppressed findings stay in SARIF (as
	// suppressions) and leave every other output and the exit code.
	Suppression *Suppression
}

// SuppressionKind is SARIF's: in the source, or outside it (a baseline).
type SuppressionKind string

// Suppression kinds.
const (
	SuppressedInSource SuppressionKind = "inSource"
	SuppressedExternal SuppressionKind = "external"
)

// Suppression says what silenced a finding, and why.
type Suppression struct {
	Kind          SuppressionKind
	Justification string
	Pos           Pos // the comment or annotation; the baseline file
}

// Active returns the findings that are not suppressed.
func Active(fs []Finding) []Finding {
	out := make([]Finding, 0, len(fs))
	for _, f := range fs {
		if f.Suppression == nil {
			out = append(out, f)
		}
	}
	return out
}

// Diagnostic is a problem with the input itself rather than with the mesh:
// a file that could not be read or parsed, or an input that was skipped.
type Diagnostic struct {
	Pos     Pos
	Level   Level // LevelError makes the run exit 2
	Message string
}

// Unreadable counts the diagnostics that mean an input could not be read:
// any of them makes the run exit 2.
func Unreadable(ds []Diagnostic) int {
	n := 0
	for _, d := range ds {
		if d.Level == LevelError {
			n++
		}
	}
	return n
}

// KeySep separates the parts of a finding's Key: the rule ID, then the
// identities of the components it is about, then anything rule-specific. A
// newline cannot occur in an identity.
const KeySep = "\n"

// Fingerprint identifies a finding independently of line numbers: its rule
// and the identities of its components. SARIF's partialFingerprints and
// baselines use it.
func Fingerprint(f Finding) string {
	k := f.Key
	if k == "" {
		k = f.Rule + "|" + f.Pos.File + "|" + f.Message
	}
	return hash(k)
}

// LooseFingerprint is Fingerprint without the components' directories, for
// findings whose files moved.
func LooseFingerprint(f Finding) string {
	if f.LooseKey == "" {
		return Fingerprint(f)
	}
	return hash(f.LooseKey)
}

func hash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:16])
}
