package universal

import (
	"strings"

	"github.com/kumalint/kumalint/loaders/yamldoc"
	"github.com/kumalint/kumalint/model"
)

// Load finds kuma-cp and kuma-dp processes in compose files (among docs),
// systemd units and shell scripts (texts: report paths), and returns their
// components.
func Load(fs Files, docs []yamldoc.Doc, texts []string) ([]*model.Component, []model.Diagnostic) {
	var (
		procs []*process
		diags []model.Diagnostic
	)
	for _, d := range docs {
		if isCompose(d) {
			ps, ds := loadCompose(fs, d)
			procs, diags = append(procs, ps...), append(diags, ds...)
		}
	}
	for _, t := range texts {
		data, err := fs.Raw(t)
		if err != nil {
			continue // reading it was reported already
		}
		switch {
		case strings.HasSuffix(t, ".service"):
			p, ds := loadUnit(fs, t, data)
			diags = append(diags, ds...)
			if p != nil {
				procs = append(procs, p)
			}
		case strings.HasSuffix(t, ".sh"):
			procs = append(procs, loadScript(fs, t, data)...)
		}
	}
	var comps []*model.Component
	for _, p := range procs {
		if c := p.component(fs, &diags); c != nil {
			comps = append(comps, c)
		}
	}
	return comps, diags
}

// Stated builds the components .kumalint.yaml universal.components names,
// for what no file states.
type Stated struct {
	Name, Kind, Role, Zone, Version, Product, Store string
	Instances                                       int
	Pos                                             model.Pos
}

// FromConfig turns stated components into components.
func FromConfig(stated []Stated, unit string) []*model.Component {
	var out []*model.Component
	for _, s := range stated {
		owner := "kumahq"
		if s.Product == "kong-mesh" {
			owner = "kong"
		}
		bin := "kuma-cp"
		if s.Kind == "data-plane" {
			bin = "kuma-dp"
		}
		img := model.ParseImage(owner + "/" + bin + ":" + s.Version)
		c := &model.Component{
			Object:  model.Object{Kind: "Configured", Name: s.Name, Pos: s.Pos},
			Image:   model.Stated(img, s.Pos),
			Product: img.Product,
			Unit:    unit,
			Source:  s.Pos.File,
		}
		if s.Kind == "data-plane" {
			c.Kind, c.DPKind, c.Container = model.KindDataPlane, model.DPContainer, "kuma-dp"
		} else {
			c.Kind, c.Container = model.KindControlPlane, "kuma-cp"
			c.Role = model.Stated(model.Role(s.Role), s.Pos)
			if s.Role == "" {
				c.Role = model.Field[model.Role]{Value: model.RoleZone, Pos: s.Pos}
			}
			c.Zone = model.Field[string]{Value: s.Zone, Pos: s.Pos, Set: s.Zone != ""}
			c.Environment = model.Field[string]{Value: "universal", Pos: s.Pos}
			c.StoreType = model.Field[string]{Value: "postgres", Pos: s.Pos, Set: true}
			switch {
			case s.Store == "" || s.Store == "memory":
				c.StoreType.Value, c.StoreType.Set = "memory", s.Store != ""
			case strings.HasPrefix(s.Store, "postgres://"):
				c.Store = model.Stated(strings.TrimSuffix(s.Store, "/"), s.Pos)
			}
			n := s.Instances
			if n == 0 {
				n = 1
			}
			c.Replicas = model.Field[int]{Value: n, Pos: s.Pos, Set: s.Instances > 0}
		}
		out = append(out, c)
	}
	return out
}
