package universal

import (
	"path"
	"regexp"
	"strings"

	"github.com/kumalint/kumalint/model"
)

var (
	// installerRE is the installer's VERSION= (domain.md §4.3):
	// curl -L https://kuma.io/installer.sh | VERSION=2.9.3 sh -
	installerRE = regexp.MustCompile(`\b(?:KUMA_VERSION|KONG_MESH_VERSION|VERSION)=["']?(v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.]+)?)`)
	launchRE    = regexp.MustCompile(`(?:^|[\s/])(kuma-cp|kuma-dp)\s+run\b(.*)$`)
)

// loadScript reads a shell script that installs Kuma (the installer's
// VERSION=, or a versioned tarball or path) and starts kuma-cp or kuma-dp:
// the pattern of the Universal demos, which install kuma-dp into each
// application container.
func loadScript(fs Files, file string, data []byte) []*process {
	var (
		version model.Field[string]
		product = model.ProductKuma
		out     []*process
	)
	for i, line := range strings.Split(string(data), "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "#") {
			continue
		}
		if m := installerRE.FindStringSubmatchIndex(line); m != nil {
			version = model.Stated(line[m[2]:m[3]], model.Pos{File: file, Line: i + 1, Col: m[2] + 1})
			if strings.Contains(line, "kong-mesh") || strings.Contains(line, "konghq.com/mesh") {
				product = model.ProductKongMesh
			}
		} else if m := versionedPath.FindStringSubmatchIndex(line); m != nil {
			version = model.Stated(line[m[4]:m[5]], model.Pos{File: file, Line: i + 1, Col: m[4] + 1})
			if line[m[2]:m[3]] == "kong-mesh" {
				product = model.ProductKongMesh
			}
		}
		m := launchRE.FindStringSubmatch(t)
		if m == nil || !version.Set {
			continue
		}
		bin := model.Binary(m[1])
		owner := "kumahq"
		if product == model.ProductKongMesh {
			owner = "kong"
		}
		img := model.ParseImage(owner + "/" + string(bin) + ":" + strings.TrimPrefix(version.Value, "v"))
		pos := model.Pos{File: file, Line: i + 1, Col: strings.Index(line, m[1]) + 1}
		p := &process{
			binary:    bin,
			image:     model.Field[model.Image]{Value: img, Pos: version.Pos, Set: true},
			env:       map[string]model.Field[string]{},
			object:    model.Object{Kind: "Script", Name: path.Base(file), Pos: pos},
			unit:      path.Dir(file),
			instances: model.Field[int]{Value: 1, Pos: pos},
		}
		for _, w := range strings.Fields(m[2]) {
			p.args = append(p.args, model.Stated(strings.Trim(w, `"'`), pos))
		}
		p.base = func(target string) string { return inRepo(fs, path.Dir(file), target) }
		out = append(out, p)
	}
	return out
}
