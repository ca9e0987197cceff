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

	"github.com/kumalint/kumalint/config"
	"github.com/kumalint/kumalint/loaders/discover"
	"github.com/kumalint/kumalint/loaders/helm"
	"github.com/kumalint/kumalint/loaders/kube"
	"github.com/kumalint/kumalint/loaders/kustomize"
	"github.com/kumalint/kumalint/loaders/universal"
	"github.com/kumalint/kumalint/loaders/yamldoc"
	"github.com/kumalint/kumalint/model"
	"github.com/kumalint/kumalint/policy"
	"github.com/kumalint/kumalint/rules"
	"github.com/kumalint/kumalint/suppress"
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
	// Config is the .kumalint.yaml in effect; nil for none.
	Config *config.Config
	// NoInlineIgnores disregards kumalint:ignore comments and
	// kumalint.io/ignore annotations.
	NoInlineIgnores bool
	// Baseline silences the findings it records; nil for none.
	Baseline *suppress.Baseline
	// Fetch, when set (--fetch-charts), downloads charts that are not in the
	// repository so that their releases can be rendered. Nil: never the
	// network.
	Fetch *helm.Fetcher
	// Limits bound each input; zero fields take the defaults.
	Limits Limits
}

// Limits bound what one input may cost: each is an error naming the file
// (exit 2), and the other inputs are still linted.
type Limits struct {
	yamldoc.Limits
	// RenderTimeout stops a Helm render that loops.
	RenderTimeout time.Duration
}

// or fills the limits l leaves unset from d.
func (l Limits) or(d Limits) Limits {
	if l.MaxFileSize <= 0 {
		l.MaxFileSize = d.MaxFileSize
	}
	if l.MaxNodes <= 0 {
		l.MaxNodes = d.MaxNodes
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = d.MaxDepth
	}
	if l.RenderTimeout <= 0 {
		l.RenderTimeout = d.RenderTimeout
	}
	return l
}

// Result is everything a run found.
type Result struct {
	Findings    []model.Finding
	Diagnostics []model.Diagnostic
	Graph       *model.Graph
	// Before is the graph at Options.Base, nil without it.
	Before *model.Graph
	Files  int // files read
	// Stale counts baseline entries that matched no finding (fixed since).
	Stale int
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
	if cfg := opts.Config; cfg != nil {
		c := cfg.Limits
		opts.Limits = opts.Limits.or(Limits{
			Limits:        yamldoc.Limits{MaxFileSize: c.MaxFileSize, MaxNodes: c.MaxAliasNodes, MaxDepth: c.MaxDepth},
			RenderTimeout: c.RenderTimeout,
		})
		if cfg.Policy.MaxSkewLines > 0 {
			opts.Policy = opts.Policy.WithMaxSkew(cfg.Policy.MaxSkewLines)
		}
		var on []*rules.Rule
		for _, r := range opts.Rules {
			if _, enabled := cfg.Level(r.ID, r.Level); enabled {
				on = append(on, r)
			}
		}
		opts.Rules = on
	}
	opts.Limits = opts.Limits.or(Limits{Limits: yamldoc.DefaultLimits, RenderTimeout: helm.DefaultRenderTimeout})
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
	head := build(opts.Root, opts.Paths, opts)
	res.Graph, res.Diagnostics, res.Files = head.graph, head.diags, head.files
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
	setLevels(res.Findings, opts.Config)
	if res.Before != nil {
		existing := rules.Run(res.Before, nil, nil, opts.Policy, opts.Now, opts.Rules)
		setLevels(existing, opts.Config)
		markExisting(res.Findings, existing, res.Graph, prior, opts.All)
	}
	if !opts.NoInlineIgnores {
		comps := make(map[string]*model.Component, len(res.Graph.Components))
		for _, c := range res.Graph.Components {
			comps[c.Identity()] = c
		}
		res.Diagnostics = append(res.Diagnostics, suppress.Apply(res.Findings, head.directives, comps, suppress.Options{
			Known:   func(id string) bool { _, ok := rules.ByID(id); return ok },
			Suggest: func(id string) string { return config.Closest(id, rules.IDs()) },
		})...)
	}
	if opts.Baseline != nil {
		res.Stale = opts.Baseline.Apply(res.Findings)
	}
	SortDiagnostics(res.Diagnostics)
	return res, nil
}

// setLevels applies the configured per-rule levels.
func setLevels(fs []model.Finding, cfg *config.Config) {
	if cfg == nil {
		return
	}
	for i := range fs {
		if s, ok := cfg.Rules[fs[i].Rule]; ok && s.Value != config.RuleOff {
			fs[i].Level, _ = model.ParseLevel(s.Value)
		}
	}
}

// built is what the pipeline up to the graph produced.
type built struct {
	graph      *model.Graph
	diags      []model.Diagnostic
	files      int
	directives map[string][]*suppress.Directive // by report path
}

// build runs discover → load → graph over paths.
func build(root string, paths []string, opts Options) built {
	cfg := opts.Config
	var skip func(string) bool
	var envOf func(string) string
	if cfg != nil {
		skip, envOf = cfg.Ignored, cfg.EnvironmentOf
	}
	inputs, diags := discover.Walk(root, paths, skip)
	docs, directives, more := readAll(inputs, opts.Limits)
	diags = append(diags, more...)
	files := newRepoFiles(root, docs, opts.Limits.Limits)
	tree, more := scanKustomizations(inputs, files, opts)
	diags = append(diags, more...)
	// Overlays build while Helm releases render; both use every core.
	type kresult struct {
		comps []*model.Component
		diags []model.Diagnostic
	}
	kdone := make(chan kresult, 1)
	go func() {
		var r kresult
		if tree != nil {
			r.comps, r.diags = kustomize.Load(files, tree)
		}
		kdone <- r
	}()
	// Files a kustomization reads are linted as built, not as they are.
	plain := docs
	if tree != nil && len(tree.Owned) > 0 {
		plain = nil
		for _, d := range docs {
			if !tree.Owned[d.File] {
				plain = append(plain, d)
			}
		}
	}
	comps, more := kube.Load(plain)
	diags = append(diags, more...)
	hcomps, hdiags := helmComponents(docs, files, opts)
	k := <-kdone
	comps = append(append(comps, k.comps...), hcomps...)
	diags = append(append(diags, k.diags...), hdiags...)
	var texts []string
	for _, in := range inputs {
		if discover.IsText(in.Display) {
			texts = append(texts, in.Display)
		}
	}
	ucomps, more := universal.Load(files, plain, texts)
	comps, diags = append(comps, ucomps...), append(diags, more...)
	if cfg != nil {
		comps = append(comps, universal.FromConfig(statedComponents(cfg), cfg.Dir)...)
	}
	g := topology.BuildWith(comps, envOf)
	diags = append(diags, g.Notes...)
	return built{g, diags, len(inputs), directives}
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
	b := build(dir, paths, opts)
	g, diags := b.graph, b.diags
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
		parts := strings.Split(f.Key, model.KeySep)
		for i, part := range parts {
			if to, ok := rename[part]; ok {
				parts[i] = to
			}
		}
		before[strings.Join(parts, model.KeySep)] = was{f.Level, f.Degree}
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

// readAll reads and decodes the inputs on every core, keeping input order,
// and collects their ignore comments.
func readAll(inputs []discover.Input, limits Limits) ([]yamldoc.Doc, map[string][]*suppress.Directive, []model.Diagnostic) {
	type result struct {
		docs       []yamldoc.Doc
		directives []*suppress.Directive
		diag       *model.Diagnostic
	}
	results := make([]result, len(inputs))
	var wg sync.WaitGroup
	next := make(chan int)
	for range min(runtime.GOMAXPROCS(0), max(len(inputs), 1)) {
		wg.Go(func() {
			for i := range next {
				docs, directives, diag := readOne(inputs[i], limits)
				results[i] = result{docs, directives, diag}
			}
		})
	}
	for i := range inputs {
		next <- i
	}
	close(next)
	wg.Wait()
	var (
		docs       []yamldoc.Doc
		diags      []model.Diagnostic
		directives = map[string][]*suppress.Directive{}
	)
	for i, r := range results {
		docs = append(docs, r.docs...)
		if r.diag != nil {
			diags = append(diags, *r.diag)
		}
		if len(r.directives) > 0 {
			directives[inputs[i].Display] = r.directives
		}
	}
	return docs, directives, diags
}

func readOne(in discover.Input, limits Limits) ([]yamldoc.Doc, []*suppress.Directive, *model.Diagnostic) {
	fail := func(pos model.Pos, msg string) *model.Diagnostic {
		return &model.Diagnostic{Pos: pos, Level: model.LevelError, Message: msg}
	}
	info, err := os.Stat(in.Path)
	if err != nil {
		return nil, nil, fail(model.Pos{File: in.Display}, "cannot read: "+err.Error())
	}
	if info.Size() > limits.MaxFileSize {
		return nil, nil, fail(model.Pos{File: in.Display}, fmt.Sprintf("file is %d bytes, over the %d-byte limit; not read", info.Size(), limits.MaxFileSize))
	}
	data, err := os.ReadFile(in.Path)
	if err != nil {
		return nil, nil, fail(model.Pos{File: in.Display}, "cannot read: "+err.Error())
	}
	if in.Explicit && len(strings.TrimSpace(string(data))) == 0 {
		return nil, nil, fail(model.Pos{File: in.Display}, "empty file: nothing to lint")
	}
	directives := suppress.Scan(in.Display, data)
	if discover.IsText(in.Display) {
		// Read by the Universal loader through the repository's files.
		return nil, directives, nil
	}
	docs, err := yamldoc.Decode(in.Display, data)
	if err == nil {
		if err = yamldoc.CheckLimits(docs, limits.Limits); err != nil {
			docs = nil // nothing of a hostile file is used
		}
	}
	if err != nil {
		if e := (*yamldoc.Error)(nil); errors.As(err, &e) {
			return docs, directives, fail(e.Pos, e.Msg)
		}
		return docs, directives, fail(model.Pos{File: in.Display}, err.Error())
	}
	return docs, directives, nil
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
