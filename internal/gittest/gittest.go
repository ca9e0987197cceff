// Package gittest builds small git repositories for tests of PR mode.
package gittest

import (
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Repo builds a repository with two commits: the tree of base, then the
// tree of head (files that head lacks are removed), and returns its path.
func Repo(t testing.TB, base, head string) string {
	t.Helper()
	repo := t.TempDir()
	Git(t, repo, "init", "-q", "-b", "main")
	for _, tree := range []string{base, head} {
		clearTree(t, repo)
		copyTree(t, tree, repo)
		Git(t, repo, "add", "-A")
		Git(t, repo, "commit", "-q", "--allow-empty", "-m", filepath.Base(tree))
	}
	return repo
}

// Git runs git in dir with a fixed identity and no user or system config.
func Git(t testing.TB, dir string, args ...string) {
	t.Helper()
	if out, err := command(dir, args...).CombinedOutput(); err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
}

func command(dir string, args ...string) *exec.Cmd {
	cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.name=kumalint", "-c", "user.email=test@kumalint.invalid", "-c", "commit.gpgsign=false", "-c", "protocol.file.allow=always"}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+os.DevNull)
	return cmd
}

func clearTree(t testing.TB, repo string) {
	t.Helper()
	entries, err := os.ReadDir(repo)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() != ".git" {
			if err := os.RemoveAll(filepath.Join(repo, e.Name())); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func copyTree(t testing.TB, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		out := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(out, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(out, data, 0o644)
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatal(err)
	}
}

// Output runs git in dir and returns its trimmed standard output.
func Output(t testing.TB, dir string, args ...string) string {
	t.Helper()
	out, err := command(dir, args...).Output()
	if err != nil {
		t.Fatalf("git %v: %v", args, err)
	}
	return strings.TrimSpace(string(out))
}
