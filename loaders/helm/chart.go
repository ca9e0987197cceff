package helm

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/kumalint/kumalint/loaders/yamldoc"
	"github.com/kumalint/kumalint/model"
)

// Chart is what kumalint reads of a chart: Chart.yaml and values.yaml.
type Chart struct {
	Dir        string // report path of the chart directory (or archive)
	Name       string
	Version    model.Field[string]
	AppVersion model.Field[string]
	// Values are the chart's own defaults (nil when it has none).
	Values *yamldoc.Doc
	Deps   []Dependency
	Meta   yamldoc.Doc // Chart.yaml
}

// Dependency is an entry of Chart.yaml dependencies.
type Dependency struct {
	Name, Alias, Repository string
	Version                 model.Field[string]
}

// KumaCharts are the chart names kumalint evaluates.
var KumaCharts = map[string]model.Product{"kuma": model.ProductKuma, "kong-mesh": model.ProductKongMesh}

// ParseChart reads a chart's Chart.yaml document.
func ParseChart(dir string, meta yamldoc.Doc) (*Chart, error) {
	if meta.Root == nil || meta.Root.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s: Chart.yaml is not a mapping", dir)
	}
	c := &Chart{Dir: dir, Meta: meta, Name: yamldoc.Str(yamldoc.Path(meta.Root, "name"))}
	if _, v := yamldoc.Get(meta.Root, "version"); v != nil {
		c.Version = model.Stated(yamldoc.Str(v), meta.Pos(v))
	}
	if _, v := yamldoc.Get(meta.Root, "appVersion"); v != nil {
		c.AppVersion = model.Stated(strings.TrimPrefix(yamldoc.Str(v), "v"), meta.Pos(v))
	}
	for _, d := range yamldoc.Items(yamldoc.Path(meta.Root, "dependencies")) {
		dep := Dependency{
			Name:       yamldoc.Str(yamldoc.Path(d, "name")),
			Alias:      yamldoc.Str(yamldoc.Path(d, "alias")),
			Repository: yamldoc.Str(yamldoc.Path(d, "repository")),
		}
		if _, v := yamldoc.Get(d, "version"); v != nil {
			dep.Version = model.Stated(yamldoc.Str(v), meta.Pos(v))
		}
		c.Deps = append(c.Deps, dep)
	}
	return c, nil
}

// LoadChart reads the chart at dir (a directory or a .tgz) through files.
func LoadChart(files Files, dir string) (*Chart, error) {
	if strings.HasSuffix(dir, ".tgz") {
		return loadArchive(files, dir)
	}
	docs, err := files.Docs(path.Join(dir, "Chart.yaml"))
	if err != nil {
		return nil, err
	}
	if len(docs) == 0 {
		return nil, fmt.Errorf("%s/Chart.yaml is empty", dir)
	}
	c, err := ParseChart(dir, docs[0])
	if err != nil {
		return nil, err
	}
	if vd, err := files.Docs(path.Join(dir, "values.yaml")); err == nil && len(vd) > 0 {
		c.Values = &vd[0]
	}
	return c, nil
}

// maxArchive bounds what is read from a chart archive.
const maxArchive = 10 << 20

// loadArchive reads Chart.yaml and values.yaml from a packaged chart. Their
// positions name the archive and the file inside it.
func loadArchive(files Files, rel string) (*Chart, error) {
	data, err := files.Raw(rel)
	if err != nil {
		return nil, err
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s: not a chart archive: %w", rel, err)
	}
	tr := tar.NewReader(io.LimitReader(zr, maxArchive))
	var c *Chart
	var values *yamldoc.Doc
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", rel, err)
		}
		// <chart>/Chart.yaml and <chart>/values.yaml, not a subchart's.
		parts := strings.Split(h.Name, "/")
		if len(parts) != 2 || h.Typeflag != tar.TypeReg {
			continue
		}
		if parts[1] != "Chart.yaml" && parts[1] != "values.yaml" {
			continue
		}
		body, err := io.ReadAll(io.LimitReader(tr, maxArchive))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", rel, err)
		}
		docs, err := yamldoc.Decode(rel+"!"+h.Name, body)
		if err != nil || len(docs) == 0 {
			continue
		}
		if parts[1] == "Chart.yaml" {
			if c, err = ParseChart(rel, docs[0]); err != nil {
				return nil, err
			}
		} else {
			values = &docs[0]
		}
	}
	if c == nil {
		return nil, fmt.Errorf("%s: no Chart.yaml in the archive", rel)
	}
	c.Values = values
	return c, nil
}

// vendored finds a dependency's chart under <chart>/charts: a directory or a
// <name>-<version>.tgz (the newest, when several are there).
func vendored(files Files, c *Chart, dep Dependency) (*Chart, bool) {
	dir := path.Join(c.Dir, "charts")
	if files.Exists(path.Join(dir, dep.Name, "Chart.yaml")) {
		sub, err := LoadChart(files, path.Join(dir, dep.Name))
		return sub, err == nil
	}
	var best *Chart
	for _, name := range files.List(dir) {
		rest, ok := strings.CutPrefix(name, dep.Name+"-")
		if !ok || !strings.HasSuffix(rest, ".tgz") || !model.ParseVersion(strings.TrimSuffix(rest, ".tgz")).Known() {
			continue
		}
		sub, err := LoadChart(files, path.Join(dir, name))
		if err != nil || sub.Name != dep.Name {
			continue
		}
		if best == nil || model.ParseVersion(sub.Version.Value).Compare(model.ParseVersion(best.Version.Value)) > 0 {
			best = sub
		}
	}
	return best, best != nil
}
