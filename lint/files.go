package lint

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/kumalint/kumalint/loaders/yamldoc"
)

// repoFiles gives loaders the repository's files by report path: the ones
// already read for this run, else from disk, never outside the root (also
// not through a symbolic link).
type repoFiles struct {
	root   string // absolute, symlinks resolved
	limits yamldoc.Limits
	mu     sync.Mutex
	docs   map[string][]yamldoc.Doc
}

func newRepoFiles(root string, docs []yamldoc.Doc, limits yamldoc.Limits) *repoFiles {
	abs, err := filepath.Abs(root)
	if err == nil {
		if real, err := filepath.EvalSymlinks(abs); err == nil {
			abs = real
		}
	}
	f := &repoFiles{root: abs, limits: limits, docs: map[string][]yamldoc.Doc{}}
	for _, d := range docs {
		f.docs[d.File] = append(f.docs[d.File], d)
	}
	return f
}

var errOutside = errors.New("outside the repository")

// abs maps a report path to a file inside the root.
func (f *repoFiles) abs(rel string) (string, error) {
	clean := path.Clean(rel)
	if !filepath.IsLocal(filepath.FromSlash(clean)) && clean != "." {
		return "", fmt.Errorf("%s: %w", rel, errOutside)
	}
	p := filepath.Join(f.root, filepath.FromSlash(clean))
	real, err := filepath.EvalSymlinks(p)
	if err != nil {
		return "", err
	}
	if r, err := filepath.Rel(f.root, real); err != nil || !filepath.IsLocal(r) && r != "." {
		return "", fmt.Errorf("%s: a symbolic link %w", rel, errOutside)
	}
	return real, nil
}

func (f *repoFiles) Docs(rel string) ([]yamldoc.Doc, error) {
	rel = path.Clean(rel)
	f.mu.Lock()
	defer f.mu.Unlock()
	if d, ok := f.docs[rel]; ok {
		return d, nil
	}
	data, err := f.read(rel)
	if err != nil {
		return nil, err
	}
	docs, err := yamldoc.Decode(rel, data)
	if err == nil {
		err = yamldoc.CheckLimits(docs, f.limits)
	}
	if err != nil {
		return nil, err
	}
	f.docs[rel] = docs
	return docs, nil
}

func (f *repoFiles) read(rel string) ([]byte, error) {
	p, err := f.abs(rel)
	if err != nil {
		return nil, err
	}
	info, err := os.Stat(p)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a file", rel)
	}
	if info.Size() > f.limits.MaxFileSize {
		return nil, fmt.Errorf("%s is %d bytes, over the %d-byte limit", rel, info.Size(), f.limits.MaxFileSize)
	}
	return os.ReadFile(p)
}

func (f *repoFiles) Raw(rel string) ([]byte, error) { return f.read(path.Clean(rel)) }

func (f *repoFiles) Exists(rel string) bool {
	f.mu.Lock()
	_, cached := f.docs[path.Clean(rel)]
	f.mu.Unlock()
	if cached {
		return true
	}
	p, err := f.abs(rel)
	if err != nil {
		return false
	}
	_, err = os.Stat(p)
	return err == nil
}

func (f *repoFiles) List(rel string) []string {
	p, err := f.abs(rel)
	if err != nil {
		return nil
	}
	entries, err := os.ReadDir(p)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), ".") {
			out = append(out, e.Name())
		}
	}
	slices.Sort(out)
	return out
}

// Tree lists the files under rel. Symbolic links are followed only inside the
// root; a link out of it is an error, so a chart cannot pull in a file from
// elsewhere on the machine.
func (f *repoFiles) Tree(rel string) ([]string, error) {
	dir, err := f.abs(rel)
	if err != nil {
		return nil, err
	}
	var out []string
	err = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type()&os.ModeSymlink != 0 {
			r, err := filepath.Rel(dir, p)
			if err != nil {
				return err
			}
			if _, err := f.abs(path.Join(rel, filepath.ToSlash(r))); err != nil {
				return err
			}
		}
		if d.Type().IsRegular() || d.Type()&os.ModeSymlink != 0 {
			r, err := filepath.Rel(dir, p)
			if err != nil {
				return err
			}
			out = append(out, filepath.ToSlash(r))
		}
		return nil
	})
	slices.Sort(out)
	return out, err
}
