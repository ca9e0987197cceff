// Package universal reads Kuma and Kong Mesh outside Kubernetes: kuma-cp and
// kuma-dp processes started by compose files, systemd units and shell
// scripts, the kuma-cp config files and Dataplane resources they are given,
// and the components .kumalint.yaml states (domain.md §4).
package universal

import (
	"fmt"
	"maps"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/kumalint/kumalint/loaders/yamldoc"
	"github.com/kumalint/kumalint/model"
)

// Files is the repository, read by report path.
type Files interface {
	Docs(rel string) ([]yamldoc.Doc, error)
	Raw(rel string) ([]byte, error)
	Exists(rel string) bool
}

// process is one kuma-cp or kuma-dp launch, whatever started it.
type process struct {
	binary    model.Binary
	image     model.Field[model.Image] // the version, from an image, a path or an installer line
	args      []model.Field[string]    // after the binary: run --config-file=…
	env       map[string]model.Field[string]
	instances model.Field[int]
	object    model.Object
	unit      string
	addresses []string
	// base resolves a path the process names (a mounted config file) to a
	// report path in the repository, or "".
	base func(p string) string
}

// flag returns the value of --name=value or --name value in the args.
func (p *process) flag(names ...string) model.Field[string] {
	for i, a := range p.args {
		for _, n := range names {
			if v, ok := strings.CutPrefix(a.Value, n+"="); ok {
				return model.Stated(v, a.Pos)
			}
			if a.Value == n && i+1 < len(p.args) {
				return p.args[i+1]
			}
		}
	}
	return model.Field[string]{}
}

// setting is a value of the kuma-cp config, overridden by its environment
// variable: env wins (developer.konghq.com control-plane-configuration).
func (p *process) setting(cfg *cpConfig, env string, keys ...string) model.Field[string] {
	if e, ok := p.env[env]; ok {
		return e
	}
	if cfg != nil {
		return cfg.get(keys...)
	}
	return model.Field[string]{}
}

// component turns the process into the component it runs, or nil for a
// process that is neither kuma-cp nor kuma-dp.
func (p *process) component(fs Files, diags *[]model.Diagnostic) *model.Component {
	c := &model.Component{Object: p.object, Image: p.image, Product: p.image.Value.Product, Unit: p.unit, Source: p.object.Pos.File}
	switch p.binary {
	case model.BinaryCP:
		c.Kind = model.KindControlPlane
		c.Container = "kuma-cp"
		var cfg *cpConfig
		if f := p.flag("--config-file", "-c"); f.Value != "" {
			cfg = p.loadConfig(fs, f, diags)
		}
		p.controlPlane(c, cfg)
	case model.BinaryDP:
		c.Kind = model.KindDataPlane
		c.Container = "kuma-dp"
		c.DPKind = model.DPContainer
		c.CPAddress = p.flag("--cp-address")
		if e, ok := p.env[model.EnvControlPlaneURL]; ok && !c.CPAddress.Set {
			c.CPAddress = e
		}
		kind := p.flag("--proxy-type")
		if e, ok := p.env[model.EnvDataplaneProxyType]; ok && !kind.Set {
			kind = e
		}
		if f := p.flag("--dataplane-file", "-d"); f.Value != "" && !kind.Set {
			kind = p.dataplaneType(fs, f)
		}
		switch kind.Value {
		case "ingress":
			c.DPKind = model.DPIngress
		case "egress":
			c.DPKind = model.DPEgress
		}
	default:
		return nil
	}
	return c
}

func (p *process) controlPlane(c *model.Component, cfg *cpConfig) {
	v := c.Version()
	mode := p.setting(cfg, model.EnvMode, "mode")
	switch {
	case mode.Value != "":
		c.Role = model.Field[model.Role]{Value: model.Role(mode.Value), Pos: mode.Pos, Set: true}
	case v.Known() && (v.Major < 2 || v.Major == 2 && v.Minor < 6):
		c.Role = model.Field[model.Role]{Value: model.RoleStandalone, Pos: c.Image.Pos}
	default:
		c.Role = model.Field[model.Role]{Value: model.RoleZone, Pos: c.Image.Pos}
	}
	c.Environment = p.setting(cfg, model.EnvEnvironment, "environment")
	if c.Environment.Value == "" {
		c.Environment = model.Field[string]{Value: "universal", Pos: c.Image.Pos}
	}
	c.StoreType = p.setting(cfg, model.EnvStoreType, "store", "type")
	if c.StoreType.Value == "" {
		// kuma-cp's own default (domain.md §4.1).
		c.StoreType = model.Field[string]{Value: "memory", Pos: c.Image.Pos}
	}
	if c.StoreType.Value == "postgres" {
		host := p.setting(cfg, model.EnvPostgresHost, "store", "postgres", "host")
		port := p.setting(cfg, model.EnvPostgresPort, "store", "postgres", "port")
		db := p.setting(cfg, model.EnvPostgresDB, "store", "postgres", "dbName")
		h, pt, d := host.Value, port.Value, db.Value
		if h == "" {
			h = "127.0.0.1"
		}
		if pt == "" {
			pt = "15432"
		}
		pos := host.Pos
		if !host.Set {
			pos = c.StoreType.Pos
		}
		c.Store = model.Stated(fmt.Sprintf("postgres://%s:%s/%s", h, pt, d), pos)
	}
	c.Zone = p.setting(cfg, model.EnvZoneName, "multizone", "zone", "name")
	if !c.Zone.Set {
		c.Zone = p.setting(cfg, model.EnvRemoteZone, "multizone", "remote", "zone")
	}
	c.GlobalAddress = p.setting(cfg, model.EnvGlobalAddress, "multizone", "zone", "globalAddress")
	if !c.GlobalAddress.Set {
		c.GlobalAddress = p.setting(cfg, model.EnvRemoteGlobalAddr, "multizone", "remote", "globalAddress")
	}
	c.Replicas = p.instances
	c.Addresses = p.addresses
	flags := map[string]model.Field[string]{}
	if cfg != nil {
		for env, f := range cfg.experimental() {
			flags[env] = f
		}
	}
	for name, f := range p.env {
		if strings.HasPrefix(name, model.EnvExperimentalPrefix) {
			flags[name] = f
		}
	}
	for _, name := range slices.Sorted(maps.Keys(flags)) {
		c.Flags = append(c.Flags, model.Flag{Env: name, Value: flags[name]})
	}
}

// loadConfig reads the kuma-cp config file a process names, through the
// path the launcher maps it from.
func (p *process) loadConfig(fs Files, f model.Field[string], diags *[]model.Diagnostic) *cpConfig {
	rel := p.base(f.Value)
	if rel == "" {
		*diags = append(*diags, model.Diagnostic{Pos: f.Pos, Level: model.LevelNote,
			Message: fmt.Sprintf("kuma-cp config file %s is not in this repository: its settings are not known (environment variables still are)", f.Value)})
		return nil
	}
	docs, err := fs.Docs(rel)
	if err != nil || len(docs) == 0 {
		*diags = append(*diags, model.Diagnostic{Pos: f.Pos, Level: model.LevelError, Message: fmt.Sprintf("kuma-cp config file %s: %v", rel, err)})
		return nil
	}
	return &cpConfig{doc: docs[0]}
}

// dataplaneType reads type: from the Dataplane resource a kuma-dp is given.
func (p *process) dataplaneType(fs Files, f model.Field[string]) model.Field[string] {
	rel := p.base(f.Value)
	if rel == "" {
		return model.Field[string]{}
	}
	docs, err := fs.Docs(rel)
	if err != nil || len(docs) == 0 {
		return model.Field[string]{}
	}
	_, t := yamldoc.Get(docs[0].Root, "type")
	switch yamldoc.Str(t) {
	case "ZoneIngress":
		return model.Stated("ingress", docs[0].Pos(t))
	case "ZoneEgress":
		return model.Stated("egress", docs[0].Pos(t))
	}
	return model.Field[string]{}
}

// cpConfig is a kuma-cp config file (domain.md §4.1).
type cpConfig struct{ doc yamldoc.Doc }

func (c *cpConfig) get(keys ...string) model.Field[string] {
	n := yamldoc.Path(c.doc.Root, keys...)
	if n == nil || n.Kind != yaml.ScalarNode {
		return model.Field[string]{}
	}
	return model.Stated(n.Value, c.doc.Pos(n))
}

// experimental maps experimental.<flag> to its KUMA_EXPERIMENTAL_ name.
func (c *cpConfig) experimental() map[string]model.Field[string] {
	out := map[string]model.Field[string]{}
	n := yamldoc.Path(c.doc.Root, "experimental")
	if n == nil || n.Kind != yaml.MappingNode {
		return out
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		v := n.Content[i+1]
		if v.Kind == yaml.ScalarNode {
			out[model.EnvExperimentalPrefix+upperSnake(n.Content[i].Value)] = model.Stated(v.Value, c.doc.Pos(v))
		}
	}
	return out
}

var (
	camelRE   = regexp.MustCompile(`([a-z0-9])([A-Z])`)
	acronymRE = regexp.MustCompile(`([A-Z]+)([A-Z][a-z]{2})`)
)

// upperSnake is kuma-cp's env naming: useTagFirstVirtualOutboundModel ->
// USE_TAG_FIRST_VIRTUAL_OUTBOUND_MODEL, KDSSyncNameWithHashSuffix ->
// KDS_SYNC_NAME_WITH_HASH_SUFFIX (domain.md §6.2).
func upperSnake(s string) string {
	s = acronymRE.ReplaceAllString(s, "${1}_${2}")
	return strings.ToUpper(camelRE.ReplaceAllString(s, "${1}_${2}"))
}

// versionedPath finds a version in an install path or tarball name:
// /opt/kuma-2.9.1/bin/kuma-cp, kong-mesh-2.9.1-linux-amd64.tar.gz.
var versionedPath = regexp.MustCompile(`\b(kuma|kong-mesh)-(\d+\.\d+\.\d+(?:-[0-9A-Za-z.]+)?)(?:[/-]|\.tar|$)`)

// imageFromPath builds the image a versioned install path implies.
func imageFromPath(s string, binary model.Binary) (model.Image, bool) {
	m := versionedPath.FindStringSubmatch(s)
	if m == nil {
		return model.Image{}, false
	}
	owner := "kumahq"
	if m[1] == "kong-mesh" {
		owner = "kong"
	}
	version := strings.TrimSuffix(m[2], "-linux")
	version = strings.SplitN(version, "-linux", 2)[0]
	version = strings.SplitN(version, "-darwin", 2)[0]
	img := model.ParseImage(fmt.Sprintf("%s/%s:%s", owner, binary, version))
	img.Ref = m[0]
	return img, true
}

// inRepo maps a path a launcher names to a file of the repository: relative
// to the launcher's directory; or, for an absolute host path such as
// /etc/kuma/kuma-cp.yaml, etc/kuma/kuma-cp.yaml under the launcher's
// directory or the nearest directory above it that has it; or a file of that
// name beside the launcher.
func inRepo(fs Files, dir, p string) string {
	if p == "" {
		return ""
	}
	var candidates []string
	if path.IsAbs(p) {
		rel := strings.TrimPrefix(path.Clean(p), "/")
		for d := dir; ; d = path.Dir(d) {
			candidates = append(candidates, path.Join(d, rel))
			if d == "." || d == "/" || d == "" {
				break
			}
		}
		candidates = append(candidates, path.Join(dir, path.Base(p)))
	} else {
		candidates = append(candidates, path.Join(dir, p))
	}
	for _, c := range candidates {
		if !strings.HasPrefix(c, "../") && fs.Exists(c) {
			return c
		}
	}
	return ""
}

func atoi(s string) (int, bool) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	return n, err == nil
}
