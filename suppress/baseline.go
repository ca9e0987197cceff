package suppress

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/kumalint/kumalint/model"
)

// BaselineVersion is the format version of baseline files.
const BaselineVersion = 1

// Baseline is a set of accepted findings, recorded by lint --write-baseline.
// A finding matches an entry by its fingerprint (rule and component
// identities, so line moves do not matter) or, when its files moved, by its
// loose fingerprint if that is unique on both sides.
type Baseline struct {
	File    string
	entries []baselineEntry
}

type baselineEntry struct {
	Rule        string `json:"rule"`
	Fingerprint string `json:"fingerprint"`
	Loose       string `json:"looseFingerprint"`
	File        string `json:"file"`
	Message     string `json:"message"`
}

type baselineFile struct {
	Version  int             `json:"version"`
	Tool     string          `json:"tool"`
	Findings []baselineEntry `json:"findings"`
}

// WriteBaseline records the active findings (suppressed ones are already
// accepted elsewhere), sorted so that the file diffs well.
func WriteBaseline(w io.Writer, findings []model.Finding) error {
	out := baselineFile{Version: BaselineVersion, Tool: "kumalint", Findings: []baselineEntry{}}
	for _, f := range model.Active(findings) {
		out.Findings = append(out.Findings, baselineEntry{Rule: f.Rule, Fingerprint: model.Fingerprint(f), Loose: model.LooseFingerprint(f), File: f.Pos.File, Message: f.Message})
	}
	slices.SortFunc(out.Findings, func(a, b baselineEntry) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Rule, b.Rule), cmp.Compare(a.Fingerprint, b.Fingerprint))
	})
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// ReadBaseline reads a baseline file; display names it in messages.
func ReadBaseline(path, display string) (*Baseline, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var f baselineFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("%s: not a kumalint baseline: %w", display, err)
	}
	if f.Version != BaselineVersion || f.Tool != "kumalint" {
		return nil, fmt.Errorf("%s: not a kumalint baseline of version %d (write a new one with --write-baseline)", display, BaselineVersion)
	}
	return &Baseline{File: display, entries: f.Findings}, nil
}

// Apply marks the findings the baseline records as suppressed (kind
// external) and returns how many entries matched nothing: fixed findings that
// can leave the baseline.
func (b *Baseline) Apply(findings []model.Finding) (stale int) {
	exact := map[string]int{}
	looseCount := map[string]int{}
	looseEntry := map[string]int{}
	for i, e := range b.entries {
		exact[e.Rule+e.Fingerprint] = i
		looseCount[e.Rule+e.Loose]++
		looseEntry[e.Rule+e.Loose] = i
	}
	curLoose := map[string]int{}
	for _, f := range findings {
		curLoose[f.Rule+model.LooseFingerprint(f)]++
	}
	used := make([]bool, len(b.entries))
	for i := range findings {
		f := &findings[i]
		if f.Suppression != nil {
			continue
		}
		idx, ok := exact[f.Rule+model.Fingerprint(*f)]
		if !ok {
			l := f.Rule + model.LooseFingerprint(*f)
			if looseCount[l] == 1 && curLoose[l] == 1 {
				idx, ok = looseEntry[l], true
			}
		}
		if !ok {
			continue
		}
		used[idx] = true
		f.Suppression = &model.Suppression{Kind: model.SuppressedExternal, Justification: "recorded in the baseline " + b.File, Pos: model.Pos{File: b.File}}
	}
	for _, u := range used {
		if !u {
			stale++
		}
	}
	return stale
}
