// Package yamldoc reads YAML streams with file-absolute positions and gives
// loaders small, alias-safe helpers to walk them.
//
// All documents of a file are decoded with one decoder, so a node's Line is
// counted from the top of the file rather than from its own "---" (kyaml's
// ByteReader restarts at 1 per document; dependencies.md §2c). Aliases are
// never expanded wholesale: helpers follow one alias at a time, to a bounded
// depth, so an alias bomb costs what its text costs.
package yamldoc

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/kumalint/kumalint/model"
)

// MaxFileSize is the largest file kumalint reads (10 MiB).
const MaxFileSize = 10 << 20

// maxAliasHops bounds alias chains (and merge-key chains) followed by Get.
const maxAliasHops = 16

// Error is a problem reading a file, with the position it was found at.
type Error struct {
	Pos model.Pos
	Msg string
}

func (e *Error) Error() string { return e.Pos.String() + ": " + e.Msg }

// Doc is one YAML document of a file.
type Doc struct {
	File string
	Root *yaml.Node // the document's top node (not the DocumentNode)
	// Data is the whole file, shared by its documents: DecodeEmbedded needs
	// it for the indentation of block scalars.
	Data []byte
}

// Pos returns n's position in the doc's file.
func (d Doc) Pos(n *yaml.Node) model.Pos {
	if n == nil {
		return model.Pos{File: d.File}
	}
	return model.Pos{File: d.File, Line: n.Line, Col: n.Column}
}

var (
	lineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)
	// The yaml package reports parser errors (unlike scanner errors) with a
	// 0-based line; these are the parser's messages.
	parserErrorRE = regexp.MustCompile(`^(did not find expected (<|key|node content|'-' indicator|',' or)|found (duplicate %|incompatible YAML|undefined tag))`)
)

// Decode reads every document of data. Documents before a syntax error are
// returned together with the error, so one broken document does not hide the
// findings of the others.
func Decode(file string, data []byte) ([]Doc, error) {
	if len(data) > MaxFileSize {
		return nil, &Error{Pos: model.Pos{File: file}, Msg: fmt.Sprintf("file is %d bytes, over the %d-byte limit; not read", len(data), MaxFileSize)}
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		return nil, &Error{Pos: model.Pos{File: file, Line: 1 + bytes.Count(data[:i], []byte("\n"))}, Msg: "binary content (NUL byte): not a YAML file"}
	}
	if !utf8.Valid(data) {
		line := 1
		for i := 0; i < len(data); {
			r, size := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && size == 1 {
				break
			}
			if data[i] == '\n' {
				line++
			}
			i += size
		}
		return nil, &Error{Pos: model.Pos{File: file, Line: line}, Msg: "invalid UTF-8: YAML must be UTF-8 text"}
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var docs []Doc
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			return docs, nil
		}
		if err != nil {
			return docs, syntaxError(file, err)
		}
		if n.Kind == yaml.DocumentNode && len(n.Content) == 1 {
			if dup := duplicateKey(n.Content[0], 0); dup != nil {
				// Kubernetes and kuma-cp would keep one of the two, silently.
				return docs, &Error{Pos: model.Pos{File: file, Line: dup.Line}, Msg: fmt.Sprintf("invalid YAML: mapping key %q already defined", dup.Value)}
			}
			docs = append(docs, Doc{File: file, Root: n.Content[0], Data: data})
		}
	}
}

func syntaxError(file string, err error) error {
	msg := err.Error()
	if m := lineRE.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		if parserErrorRE.MatchString(m[2]) {
			line++
		}
		return &Error{Pos: model.Pos{File: file, Line: line}, Msg: "invalid YAML: " + m[2]}
	}
	return &Error{Pos: model.Pos{File: file}, Msg: "invalid YAML: " + msg}
}

// resolve follows aliases to the node they name.
func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < maxAliasHops; i++ {
		n = n.Alias
	}
	if n != nil && n.Kind == yaml.AliasNode {
		return nil
	}
	return n
}

// Get returns the key and value nodes of key in mapping n, honouring merge
// keys (<<). It returns nils when n is not a mapping or has no such key.
func Get(n *yaml.Node, key string) (k, v *yaml.Node) {
	return get(resolve(n), key, 0)
}

func get(n *yaml.Node, key string, depth int) (k, v *yaml.Node) {
	if n == nil || n.Kind != yaml.MappingNode || depth > maxAliasHops {
		return nil, nil
	}
	var merges []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		kn := n.Content[i]
		if kn.Kind == yaml.ScalarNode && kn.Value == key && kn.Tag != "!!merge" {
			return kn, resolve(n.Content[i+1])
		}
		if kn.Tag == "!!merge" || (kn.Kind == yaml.ScalarNode && kn.Value == "<<" && kn.Style == 0) {
			merges = append(merges, n.Content[i+1])
		}
	}
	for _, m := range merges {
		m = resolve(m)
		if m != nil && m.Kind == yaml.SequenceNode {
			for _, item := range m.Content {
				if k, v := get(resolve(item), key, depth+1); k != nil {
					return k, v
				}
			}
			continue
		}
		if k, v := get(m, key, depth+1); k != nil {
			return k, v
		}
	}
	return nil, nil
}

// Path walks nested mappings: Path(n, "spec", "template", "spec").
func Path(n *yaml.Node, keys ...string) *yaml.Node {
	for _, k := range keys {
		_, n = Get(n, k)
		if n == nil {
			return nil
		}
	}
	return n
}

// Str returns a scalar's value, or "" for anything else.
func Str(n *yaml.Node) string {
	n = resolve(n)
	if n == nil || n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return ""
	}
	return n.Value
}

// Int returns a scalar integer's value.
func Int(n *yaml.Node) (int, bool) {
	n = resolve(n)
	if n == nil || n.Kind != yaml.ScalarNode {
		return 0, false
	}
	i, err := strconv.Atoi(n.Value)
	return i, err == nil
}

// Items returns a sequence's elements (aliases resolved), or nil.
func Items(n *yaml.Node) []*yaml.Node {
	n = resolve(n)
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	out := make([]*yaml.Node, 0, len(n.Content))
	for _, c := range n.Content {
		if c = resolve(c); c != nil {
			out = append(out, c)
		}
	}
	return out
}

// StringMap returns a mapping of scalars (labels, selectors) as a Go map.
func StringMap(n *yaml.Node) map[string]string {
	n = resolve(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	out := make(map[string]string, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Kind == yaml.ScalarNode {
			out[n.Content[i].Value] = Str(n.Content[i+1])
		}
	}
	return out
}

// DecodeEmbedded reads YAML that sits inside a string of another YAML file:
// an Argo CD Application's helm.values, a ConfigMap's values.yaml key. The
// positions of the result are the file's, so findings land on the line a
// person edits. scalar is the string node; data is the whole file, for the
// block's indentation. A quoted or plain string has no lines of its own, so
// its positions are the string's.
func DecodeEmbedded(file string, data []byte, scalar *yaml.Node) ([]Doc, error) {
	text := scalar.Value
	docs, err := Decode(file, []byte(text))
	lineOff, colOff := 0, 0
	switch scalar.Style {
	case yaml.LiteralStyle, yaml.FoldedStyle:
		// Content starts on the line after the indicator, indented.
		lineOff = scalar.Line
		colOff = blockIndent(data, scalar.Line)
	default:
		lineOff, colOff = scalar.Line-1, scalar.Column-1
	}
	for _, d := range docs {
		shift(d.Root, lineOff, colOff, scalar, map[*yaml.Node]bool{})
	}
	if e := (*Error)(nil); errors.As(err, &e) {
		e.Pos.File = file
		if e.Pos.Line > 0 {
			e.Pos.Line += lineOff
		}
		return docs, e
	}
	return docs, err
}

// blockIndent is the indentation of the first non-blank line after line
// (1-based) in data: the indentation of a block scalar's content.
func blockIndent(data []byte, line int) int {
	lines := bytes.Split(data, []byte("\n"))
	for i := line; i < len(lines); i++ {
		trimmed := bytes.TrimLeft(lines[i], " ")
		if len(bytes.TrimSpace(trimmed)) > 0 {
			return len(lines[i]) - len(trimmed)
		}
	}
	return 0
}

// shift moves the positions of a decoded tree; a plain or quoted string is
// one line, so everything lands on the string itself.
func shift(n *yaml.Node, lines, cols int, scalar *yaml.Node, seen map[*yaml.Node]bool) {
	if n == nil || seen[n] {
		return
	}
	seen[n] = true
	if scalar.Style == yaml.LiteralStyle || scalar.Style == yaml.FoldedStyle {
		n.Line += lines
		n.Column += cols
	} else {
		n.Line, n.Column = scalar.Line, scalar.Column
	}
	for _, c := range n.Content {
		shift(c, lines, cols, scalar, seen)
	}
}

// ExpandedSize counts the nodes of a tree as a decoder that expands aliases
// would build them (kyaml and kustomize do), stopping at limit. It never
// expands anything itself: shared subtrees are counted once and multiplied.
func ExpandedSize(n *yaml.Node, limit int) (size int, over bool) {
	memo := map[*yaml.Node]int{}
	var count func(n *yaml.Node, depth int) int
	count = func(n *yaml.Node, depth int) int {
		if n == nil {
			return 0
		}
		if depth > 1000 {
			return limit + 1 // nesting this deep is hostile whatever its size
		}
		if v, ok := memo[n]; ok {
			return v
		}
		memo[n] = limit + 1 // a cycle counts as over the limit
		total := 1
		if n.Kind == yaml.AliasNode {
			total += count(n.Alias, depth+1)
		}
		for _, c := range n.Content {
			total += count(c, depth+1)
			if total > limit {
				break
			}
		}
		total = min(total, limit+1)
		memo[n] = total
		return total
	}
	size = count(n, 0)
	return size, size > limit
}

// FindScalar returns the first scalar under n (values only, not mapping
// keys) whose value is value, in document order; aliases are not followed.
func FindScalar(n *yaml.Node, value string) *yaml.Node {
	return findScalar(n, value, 0)
}

func findScalar(n *yaml.Node, value string, depth int) *yaml.Node {
	if n == nil || depth > 64 {
		return nil
	}
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Value == value {
			return n
		}
	case yaml.MappingNode:
		for i := 1; i < len(n.Content); i += 2 {
			if f := findScalar(n.Content[i], value, depth+1); f != nil {
				return f
			}
		}
	case yaml.SequenceNode:
		for _, c := range n.Content {
			if f := findScalar(c, value, depth+1); f != nil {
				return f
			}
		}
	}
	return nil
}

// Limits bound what a file may cost before any loader walks it.
type Limits struct {
	MaxFileSize int64 // bytes
	MaxNodes    int   // nodes after alias expansion, per document
	MaxDepth    int   // nesting of mappings and sequences
}

// DefaultLimits are kumalint's defaults: 10 MiB, a million nodes, 200
// levels (Kubernetes objects nest about 15 deep).
var DefaultLimits = Limits{MaxFileSize: MaxFileSize, MaxNodes: 1_000_000, MaxDepth: 200}

// CheckLimits reports the first document of docs that is over a limit, at
// its position. It expands nothing.
func CheckLimits(docs []Doc, l Limits) error {
	for _, d := range docs {
		if depth := maxDepth(d.Root, 0, l.MaxDepth); depth > l.MaxDepth {
			return &Error{Pos: d.Pos(d.Root), Msg: fmt.Sprintf("nested more than %d levels deep: not read", l.MaxDepth)}
		}
		if n, over := ExpandedSize(d.Root, l.MaxNodes); over {
			return &Error{Pos: d.Pos(d.Root), Msg: fmt.Sprintf("YAML aliases expand this document to more than %d nodes (%d counted before stopping): not read", l.MaxNodes, n)}
		}
	}
	return nil
}

// maxDepth is the nesting depth of n, counted up to limit+1.
func maxDepth(n *yaml.Node, depth, limit int) int {
	if n == nil || depth > limit {
		return depth
	}
	deepest := depth
	for _, c := range n.Content {
		if d := maxDepth(c, depth+1, limit); d > deepest {
			deepest = d
			if deepest > limit {
				break
			}
		}
	}
	return deepest
}

// duplicateKey finds a key that appears twice in one mapping (merge keys
// aside); aliases are not followed.
func duplicateKey(n *yaml.Node, depth int) *yaml.Node {
	if n == nil || depth > 10000 {
		return nil
	}
	if n.Kind == yaml.MappingNode && len(n.Content) > 2 {
		seen := make(map[string]bool, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind != yaml.ScalarNode || k.Tag == "!!merge" || k.Value == "<<" {
				continue
			}
			if seen[k.Value] {
				return k
			}
			seen[k.Value] = true
		}
	}
	for _, c := range n.Content {
		if d := duplicateKey(c, depth+1); d != nil {
			return d
		}
	}
	return nil
}
