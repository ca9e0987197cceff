package lint

import (
	"archive/tar"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/kumalint/kumalint/loaders/yamldoc"
)

// BaseError is a --base revision that cannot be read: exit code 2.
type BaseError struct {
	Ref string
	Err error
}

func (e *BaseError) Error() string { return fmt.Sprintf("--base %s: %v", e.Ref, e.Err) }
func (e *BaseError) Unwrap() error { return e.Err }

// git runs git in the repository at root without touching the network: a
// partial clone must not fetch missing objects behind the user's back
// (GIT_NO_LAZY_FETCH, git 2.44 and later), and nothing may prompt.
func git(root string, stdout io.Writer, args ...string) error {
	cmd := exec.Command("git", append([]string{"-C", root}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_NO_LAZY_FETCH=1", "GIT_TERMINAL_PROMPT=0", "GIT_OPTIONAL_LOCKS=0")
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = stdout, &stderr
	if err := cmd.Run(); err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return fmt.Errorf("git %s: %s", args[0], firstLine(msg))
		}
		return fmt.Errorf("git %s: %w", args[0], err)
	}
	return nil
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// checkoutBase writes the files of ref under rels (slash paths relative to
// the repository root; "." for everything) into a new temporary directory and
// returns it. It reads objects with git archive, so a shallow clone works once
// the base commit is fetched; the working tree and index are not touched.
func checkoutBase(root, ref string, rels []string) (string, error) {
	if strings.HasPrefix(ref, "-") {
		return "", &BaseError{ref, errors.New("not a revision")}
	}
	var sha bytes.Buffer
	if err := git(root, &sha, "rev-parse", "--verify", "--quiet", ref+"^{commit}"); err != nil {
		return "", &BaseError{ref, fmt.Errorf("no such commit in %s (in a shallow clone, fetch it first: git fetch --depth=1 origin %s)", root, ref)}
	}
	dir, err := os.MkdirTemp("", "kumalint-base-")
	if err != nil {
		return "", &BaseError{ref, err}
	}
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := git(root, pw, "archive", "--format=tar", strings.TrimSpace(sha.String()))
		pw.CloseWithError(err)
		done <- err
	}()
	err = extract(dir, pr, rels)
	_, _ = io.Copy(io.Discard, pr) // let git finish writing
	if gerr := <-done; err == nil {
		err = gerr
	}
	if err != nil {
		_ = os.RemoveAll(dir)
		return "", &BaseError{ref, err}
	}
	return dir, nil
}

// extract writes the tar entries under rels into dir. Entries that are not
// regular files or symlinks are skipped, and so are files over the size
// limit: the reader would refuse them anyway.
func extract(dir string, r io.Reader, rels []string) error {
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading git archive: %w", err)
		}
		name := filepath.FromSlash(strings.TrimSuffix(h.Name, "/"))
		if !filepath.IsLocal(name) || !under(filepath.ToSlash(name), rels) {
			continue
		}
		dst := filepath.Join(dir, name)
		switch h.Typeflag {
		case tar.TypeReg:
			if h.Size > yamldoc.MaxFileSize {
				continue
			}
			if err := writeFile(dst, tr, h.FileInfo().Mode().Perm()); err != nil {
				return err
			}
		case tar.TypeSymlink:
			// discover refuses a link that leaves the tree, as it does at head.
			if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
				return err
			}
			if err := os.Symlink(h.Linkname, dst); err != nil {
				return err
			}
		}
	}
}

func writeFile(dst string, r io.Reader, perm os.FileMode) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, perm|0o600)
	if err != nil {
		return err
	}
	_, err = io.Copy(f, r)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// under reports whether the slash path name is one of rels or inside one.
func under(name string, rels []string) bool {
	for _, r := range rels {
		if r == "." || name == r || strings.HasPrefix(name, r+"/") {
			return true
		}
	}
	return false
}
