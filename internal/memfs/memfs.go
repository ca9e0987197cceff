// Package memfs is an in-memory repository for loader tests: report paths to
// contents, with the methods the loaders read files through.
package memfs

import (
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/kumalint/kumalint/loaders/yamldoc"
)

// Files maps report paths to contents.
type Files map[string]string

// Docs decodes a file.
func (m Files) Docs(rel string) ([]yamldoc.Doc, error) {
	data, ok := m[rel]
	if !ok {
		return nil, fs.ErrNotExist
	}
	return yamldoc.Decode(rel, []byte(data))
}

// Raw returns a file's bytes.
func (m Files) Raw(rel string) ([]byte, error) {
	data, ok := m[rel]
	if !ok {
		return nil, fs.ErrNotExist
	}
	return []byte(data), nil
}

// Exists reports whether rel is a file or a directory holding one.
func (m Files) Exists(rel string) bool {
	for k := range m {
		if k == rel || strings.HasPrefix(k, rel+"/") {
			return true
		}
	}
	return false
}

// List names the files directly in dir, sorted.
func (m Files) List(dir string) []string {
	var out []string
	for k := range m {
		if path.Dir(k) == dir {
			out = append(out, path.Base(k))
		}
	}
	slices.Sort(out)
	return out
}

// Tree lists the files under dir, relative to it, sorted.
func (m Files) Tree(dir string) ([]string, error) {
	var out []string
	for k := range m {
		if rest, ok := strings.CutPrefix(k, dir+"/"); ok {
			out = append(out, rest)
		}
	}
	slices.Sort(out)
	return out, nil
}
