// Package lint runs kumalint's pipeline in one direction:
// discover → load → graph → rules. Reporting is the caller's.
package lint

import (
	"cmp"
	"errors"
	"fmt"
	"os"
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
}

// Result is everything a run found.
type Result struct {
	Findings    []model.Finding
	Diagnostics []model.Diagnostic
	Graph       *model.Graph
	Files       int // files read
}

// Failed reports whether some input could not be read: exit code 2.
func (r *Result) Failed() bool { return model.Unreadable(r.Diagnostics) > 0 }

// Run lints opts.Paths.
func Run(opts Options) *Result {
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
	inputs, diags := discover.Walk(opts.Root, opts.Paths)
	res.Diagnostics = append(res.Diagnostics, diags...)
	res.Files = len(inputs)

	docs, diags := readAll(inputs)
	res.Diagnostics = append(res.Diagnostics, diags...)

	comps, diags := kube.Load(docs)
	res.Diagnostics = append(res.Diagnostics, diags...)

	res.Graph = topology.Build(comps)
	res.Diagnostics = append(res.Diagnostics, res.Graph.Notes...)
	res.Findings = rules.Run(res.Graph, opts.Policy, opts.Now, opts.Rules)
	SortDiagnostics(res.Diagnostics)
	return res
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
