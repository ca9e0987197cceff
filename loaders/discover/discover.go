// Package discover walks the paths given on the command line and decides
// which files kumalint reads.
package discover

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/kumalint/kumalint/model"
)

// Input is one file to read.
type Input struct {
	Path     string // for the OS
	Display  string // for reports: slash-separated, relative to the root when inside it
	Explicit bool   // named on the command line rather than found by walking
}

// skipDirs are never walked into: VCS metadata and dependency trees.
var skipDirs = map[string]bool{".git": true, "node_modules": true, "vendor": true}

// Walk expands paths into the YAML files to lint, relative to root. Problems
// (a missing path, a symlink that leaves root) come back as diagnostics; the
// rest is still returned. skip, when not nil, leaves out the files and
// directories it matches while walking (by their report path); a path named
// on the command line is always read.
func Walk(root string, paths []string, skip func(display string) bool) ([]Input, []model.Diagnostic) {
	absRoot, err := filepath.Abs(root)
	if err != nil {
		absRoot = root
	}
	realRoot, err := filepath.EvalSymlinks(absRoot)
	if err != nil {
		realRoot = absRoot
	}
	if skip == nil {
		skip = func(string) bool { return false }
	}
	w := &walker{root: absRoot, realRoot: realRoot, seen: map[string]bool{}, skip: skip}
	for _, p := range paths {
		w.add(p)
	}
	sort.Slice(w.inputs, func(i, j int) bool { return w.inputs[i].Display < w.inputs[j].Display })
	return w.inputs, w.diags
}

type walker struct {
	root     string
	realRoot string // root with its own symlinks resolved
	seen     map[string]bool
	skip     func(string) bool
	inputs   []Input
	diags    []model.Diagnostic
}

// Display gives the report path of an OS path.
func Display(root, p string) string {
	abs, err := filepath.Abs(p)
	if err == nil {
		if rel, err := filepath.Rel(root, abs); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return filepath.ToSlash(rel)
		}
	}
	return filepath.ToSlash(filepath.Clean(p))
}

func (w *walker) errorf(p, msg string) {
	w.diags = append(w.diags, model.Diagnostic{Pos: model.Pos{File: Display(w.root, p)}, Level: model.LevelError, Message: msg})
}

func (w *walker) add(p string) {
	info, err := os.Stat(p)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			w.errorf(p, "no such file or directory")
		} else {
			w.errorf(p, err.Error())
		}
		return
	}
	if !info.IsDir() {
		w.file(p, true)
		return
	}
	_ = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			w.errorf(path, "cannot read: "+err.Error())
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		name := d.Name()
		if path != p && w.skip(Display(w.root, path)) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if path != p && (skipDirs[name] || strings.HasPrefix(name, ".")) {
				return fs.SkipDir
			}
			if _, err := os.Stat(filepath.Join(path, "Chart.yaml")); err == nil {
				w.chart(path)
				return fs.SkipDir
			}
			return nil
		}
		// Hidden files are tool settings (.kumalint.yaml, .golangci.yml, CI
		// configs), not deployments.
		if (isYAML(name) || name == "Kustomization" || IsText(name)) && !strings.HasPrefix(name, ".") {
			w.file(path, false)
		}
		return nil
	})
}

// chart reads a Helm chart directory's own YAML files (Chart.yaml and the
// values files beside it) and nothing below it: templates/ is not YAML until
// rendered, and charts/ holds dependencies, which the Helm loader reads.
func (w *walker) chart(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		w.errorf(dir, "cannot read: "+err.Error())
		return
	}
	for _, e := range entries {
		name := e.Name()
		if !e.IsDir() && isYAML(name) && !strings.HasPrefix(name, ".") && !w.skip(Display(w.root, filepath.Join(dir, name))) {
			w.file(filepath.Join(dir, name), false)
		}
	}
}

// IsText reports whether a file is read as text rather than YAML: systemd
// units and shell scripts, where Universal deployments state versions.
func IsText(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	return ext == ".service" || ext == ".sh"
}

func isYAML(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	return ext == ".yaml" || ext == ".yml"
}

func (w *walker) file(p string, explicit bool) {
	abs, err := filepath.Abs(p)
	if err != nil {
		abs = p
	}
	if li, err := os.Lstat(p); err == nil && li.Mode()&fs.ModeSymlink != 0 {
		real, err := filepath.EvalSymlinks(abs)
		if err != nil {
			w.errorf(p, "broken symbolic link: "+err.Error())
			return
		}
		if rel, err := filepath.Rel(w.realRoot, real); err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			w.errorf(p, "symbolic link to "+real+", outside the linted root: not read")
			return
		}
	}
	if w.seen[abs] {
		return
	}
	w.seen[abs] = true
	w.inputs = append(w.inputs, Input{Path: p, Display: Display(w.root, p), Explicit: explicit})
}
