// Package lint runs kumalint's pipeline in one direction:
// discover → load → graph → rules. Reporting is the caller's.
package lint

import (
	"cmp"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/kumalint/kumalint/loaders/discover"
	"github.com/kumalint/kumalint/loaders/kube"
	"github.com/kumalint/kumalint/loaders/yamldoc"
	"github.com/kumalint/kumalint/model"
	"github.com/kumalint/kumalint/policy"
	"github.com/kumalint/kumalint/rules"
	"github.com/kumalint/kumalint/topology"
)

// Options configure one run.
type Options struct {
	// Root is the directory report paths are relative to (the repository).
	Root  string
	Paths []string
	// Now is the day end-of-life dates are compared with.
	Now    time.Time
	Policy *policy.Policy // nil: the embedded release table
	Rules  []*rules.Rule  // nil: all rules
	// Base is a git revision to compare with (PR mode): the same paths are
	// linted at that revision, rules about changes run, and findings already
	// present there are lowered to notes unless All is set.
	Base string
	All  bool
}

// Result is everything a run found.
type Result struct {
	Findings    []model.Finding
	Diagnostics []model.Diagnostic
	Graph       *model.Graph
	// Before is the graph at Options.Base, nil without it.
	Before *model.Graph
	Files  int // files read
}

// Failed reports whether some input could not be read: exit code 2.
func (r *Result) Failed() bool { return model.Unreadable(r.Diagnostics) > 0 }

// Run lints opts.Paths. The error is a --base revision that cannot be read
// (a *BaseError); problems with single inputs are diagnostics in the result.
func Run(opts Options) (*Result, error) {
	if opts.Policy == nil {
		opts.Policy = policy.Default()
	}
	if opts.Rules == nil {
		opts.Rules = rules.All()
	}
	if len(opts.Paths) == 0 {
		opts.Paths = []string{"."}
	}
	res := &Result{}
	// The base revision is read (git archive) while the head is built.
	type base struct {
		graph *model.Graph
		diags []model.Diagnostic
		err   error
	}
	baseDone := make(chan base, 1)
	if opts.Base != "" {
		go func() {
			g, d, err := buildBase(opts)
			baseDone <- base{g, d, err}
		}()
	}
	res.Graph, res.Diagnostics, res.Files = build(opts.Root, opts.Paths)
	var prior []*model.Component
	if opts.Base != "" {
		b := <-baseDone
		if b.err != nil {
			return nil, b.err
		}
		res.Before = b.graph
		res.Diagnostics = append(res.Diagnostics, b.diags...)
		prior = topology.Match(b.graph, res.Graph)
	}
	res.Findings = rules.Run(res.Graph, res.Before, prior, opts.Policy, opts.Now, opts.Rules)
	if res.Before != nil {
		existing := rules.Run(res.Before, nil, nil, opts.Policy, opts.Now, opts.Rules)
		markExisting(res.Findings, existing, res.Graph, prior, opts.All)
	}
	SortDiagnostics(res.Diagnostics)
	return res, nil
}

// build runs discover → load → graph over paths.
func build(root string, paths []string) (*model.Graph, []model.Diagnostic, int) {
	inputs, diags := discover.Walk(root, paths)
	docs, more := readAll(inputs)
	diags = append(diags, more...)
	comps, more := kube.Load(docs)
	diags = append(diags, more...)
	g := topology.Build(comps)
	diags = append(diags, g.Notes...)
	return g, diags, len(inputs)
}

// buildBase builds the graph of the same paths at opts.Base. Its problems are
// reported as notes: they are the base revision's, not this change's.
func buildBase(opts Options) (*model.Graph, []model.Diagnostic, error) {
	absRoot, err := filepath.Abs(opts.Root)
	if err != nil {
		return nil, nil, &BaseError{opts.Base, err}
	}
	var rels []string
	for _, p := range opts.Paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			return nil, nil, &BaseError{opts.Base, err}
		}
		rel, err := filepath.Rel(absRoot, abs)
		if err != nil || !filepath.IsLocal(rel) && rel != "." {
			return nil, nil, &BaseError{opts.Base, fmt.Errorf("%s is outside the repository %s", p, absRoot)}
		}
		rels = append(rels, filepath.ToSlash(rel))
	}
	dir, err := checkoutBase(absRoot, opts.Base, rels)
	if err != nil {
		return nil, nil, err
	}
	defer os.RemoveAll(dir)
	var paths []string
	for _, rel := range rels {
		// A path the change adds is simply empty at the base.
		if p := filepath.Join(dir, filepath.FromSlash(rel)); exists(p) {
			paths = append(paths, p)
		}
	}
	if len(paths) == 0 {
		return topology.Build(nil), nil, nil
	}
	g, diags, _ := build(dir, paths)
	for i := range diags {
		diags[i].Level = model.LevelNote
		diags[i].Message = "at base " + opts.Base + ": " + diags[i].Message
	}
	return g, diags, nil
}

func exists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}

// markExisting lowers to notes the findings that were already present at the
// base revision and that the change did not make worse, so that a pull request
// fails only for what it introduces. Findings match by key, with each base
// component's identity renamed to its match at head (files move).
func markExisting(head, base []model.Finding, g *model.Graph, prior []*model.Component, all bool) {
	rename := map[string]string{}
	for id, b := range prior {
		if b != nil {
			rename[b.Identity()] = g.Components[id].Identity()
		}
	}
	type was struct {
		level  model.Level
		degree int
	}
	before := map[string]was{}
	for _, f := range base {
		parts := strings.Split(f.Key, rules.KeySep)
		for i, part := range parts {
			if to, ok := rename[part]; ok {
				parts[i] = to
			}
		}
		before[strings.Join(parts, rules.KeySep)] = was{f.Level, f.Degree}
	}
	for i := range head {
		f := &head[i]
		w, ok := before[f.Key]
		if !ok || f.Level > w.level || f.Degree > w.degree {
			continue
		}
		f.Existing = true
		if !all {
			f.Level = model.LevelNote
		}
	}
}

// readAll reads and decodes the inputs on every core, keeping input order.
func readAll(inputs []discover.Input) ([]yamldoc.Doc, []model.Diagnostic) {
	type result struct {
		docs []yamldoc.Doc
		diag *model.Diagnostic
	}
	results := make([]result, len(inputs))
	var wg sync.WaitGroup
	next := make(chan int)
	for range min(runtime.GOMAXPROCS(0), max(len(inputs), 1)) {
		wg.Go(func() {
			for i := range next {
				docs, diag := readOne(inputs[i])
				results[i] = result{docs, diag}
			}
		})
	}
	for i := range inputs {
		next <- i
	}
	close(next)
	wg.Wait()
	var (
		docs  []yamldoc.Doc
		diags []model.Diagnostic
	)
	for _, r := range results {
		docs = append(docs, r.docs...)
		if r.diag != nil {
			diags = append(diags, *r.diag)
		}
	}
	return docs, diags
}

func readOne(in discover.Input) ([]yamldoc.Doc, *model.Diagnostic) {
	fail := func(pos model.Pos, msg string) *model.Diagnostic {
		return &model.Diagnostic{Pos: pos, Level: model.LevelError, Message: msg}
	}
	info, err := os.Stat(in.Path)
	if err != nil {
		return nil, fail(model.Pos{File: in.Display}, "cannot read: "+err.Error())
	}
	if info.Size() > yamldoc.MaxFileSize {
		return nil, fail(model.Pos{File: in.Display}, fmt.Sprintf("file is %d bytes, over the %d-byte limit; not read", info.Size(), yamldoc.MaxFileSize))
	}
	data, err := os.ReadFile(in.Path)
	if err != nil {
		return nil, fail(model.Pos{File: in.Display}, "cannot read: "+err.Error())
	}
	if in.Explicit && len(strings.TrimSpace(string(data))) == 0 {
		return nil, fail(model.Pos{File: in.Display}, "empty file: nothing to lint")
	}
	docs, err := yamldoc.Decode(in.Display, data)
	if err != nil {
		if e := (*yamldoc.Error)(nil); errors.As(err, &e) {
			return docs, fail(e.Pos, e.Msg)
		}
		return docs, fail(model.Pos{File: in.Display}, err.Error())
	}
	return docs, nil
}

// SortDiagnostics orders diagnostics by position, then message.
func SortDiagnostics(ds []model.Diagnostic) {
	slices.SortStableFunc(ds, func(a, b model.Diagnostic) int {
		return cmp.Or(
			strings.Compare(a.Pos.File, b.Pos.File),
			cmp.Compare(a.Pos.Line, b.Pos.Line),
			cmp.Compare(a.Pos.Col, b.Pos.Col),
			strings.Compare(a.Message, b.Message),
		)
	})
}
