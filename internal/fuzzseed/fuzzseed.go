// Package fuzzseed adds the repository's fixtures to fuzz targets as seeds,
// so every fuzzer starts from inputs that look like real repositories.
package fuzzseed

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Add adds every file under testdata (found from the test's package
// directory) whose name has one of the suffixes.
func Add(f *testing.F, suffixes ...string) {
	f.Helper()
	root := findTestdata()
	if root == "" {
		f.Fatal("no testdata directory above the package")
	}
	n := 0
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		for _, s := range suffixes {
			if strings.HasSuffix(p, s) {
				data, err := os.ReadFile(p)
				if err != nil {
					return err
				}
				if len(data) < 64<<10 {
					f.Add(data)
					n++
				}
				break
			}
		}
		return nil
	})
	if err != nil {
		f.Fatal(err)
	}
	if n == 0 {
		f.Fatalf("no seeds with suffixes %v under %s", suffixes, root)
	}
}

func findTestdata() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		p := filepath.Join(dir, "testdata", "lint")
		if _, err := os.Stat(p); err == nil {
			return filepath.Join(dir, "testdata")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}
