package helm

import "github.com/kumalint/kumalint/loaders/yamldoc"

// Files gives loaders the repository's files by report path (slash-separated,
// relative to the root). Implementations refuse paths outside the root.
type Files interface {
	// Docs returns a YAML file's documents.
	Docs(rel string) ([]yamldoc.Doc, error)
	// Raw returns a file's bytes (a chart archive).
	Raw(rel string) ([]byte, error)
	// Exists reports whether rel names a file or directory.
	Exists(rel string) bool
	// List names the entries of a directory, sorted.
	List(rel string) []string
	// Tree lists the regular files under a directory (relative to it,
	// slash-separated, sorted), for loading a chart.
	Tree(rel string) ([]string, error)
}
