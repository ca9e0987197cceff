package model

import (
	"path"
	"strconv"
	"strings"
)

// Kind separates the tiers of the upgrade policy.
type Kind string

// Component kinds.
const (
	KindControlPlane Kind = "control-plane"
	KindDataPlane    Kind = "data-plane"
)

// Role is a control plane's place in a deployment (KUMA_MODE).
type Role string

// Roles. RoleRemote is the name of the zone role before Kuma 1.2.
const (
	RoleGlobal     Role = "global"
	RoleZone       Role = "zone"
	RoleStandalone Role = "standalone"
	RoleRemote     Role = "remote"
)

// IsZone reports whether the role is a zone, under its old or new name.
func (r Role) IsZone() bool { return r == RoleZone || r == RoleRemote }

// DataplaneKind says how a data plane gets its kuma-dp.
type DataplaneKind string

// Data-plane kinds.
const (
	// DPInjected is the sidecar the control plane's injector adds to pods: its
	// version is the CP's sidecar image setting, not the CP's own image.
	DPInjected DataplaneKind = "sidecar"
	// DPInit is the injector's init container (transparent-proxy setup).
	DPInit DataplaneKind = "init"
	// DPIngress and DPEgress are zone proxies running kuma-dp.
	DPIngress DataplaneKind = "zone-ingress"
	DPEgress  DataplaneKind = "zone-egress"
	// DPContainer is a workload with an explicit kuma-dp container.
	DPContainer DataplaneKind = "container"
)

// Object identifies the Kubernetes object (or other source unit) a component
// was read from.
type Object struct {
	Kind      string
	Namespace string
	Name      string
	Pos       Pos // the object's first line
	// Ignore is the object's kumalint.io/ignore annotation, as written:
	// "rule-id[,rule-id] -- reason".
	Ignore Field[string]
}

func (o Object) String() string {
	if o.Namespace != "" {
		return o.Kind + " " + o.Namespace + "/" + o.Name
	}
	return o.Kind + " " + o.Name
}

// Scaling is what a HorizontalPodAutoscaler says about a control plane.
type Scaling struct {
	Object Object
	Min    Field[int]
	Max    Field[int]
}

// Budget is a PodDisruptionBudget that selects a control plane's pods.
type Budget struct {
	Object         Object
	MaxUnavailable Field[string] // int or percentage, as written
	MinAvailable   Field[string]
}

// Component is one deployable thing with a version.
type Component struct {
	ID     int // index in Graph.Components
	Kind   Kind
	Object Object
	// Container names the container (or env var) the image came from.
	Container string
	Image     Field[Image]
	// Product after joining: from the image, the object's names and labels, or
	// the control plane a data plane belongs to.
	Product Product
	// Unit groups components that were deployed together: the directory of
	// the rendered manifests, the Helm release's, the overlay.
	Unit string
	// Source is the file that deploys the component when that is not the
	// file its object is defined in (a kustomize overlay building a base):
	// configured environments match it.
	Source string

	// Control-plane attributes.
	Role          Field[Role]
	Environment   Field[string]
	Zone          Field[string]
	GlobalAddress Field[string]
	StoreType     Field[string]
	// Store names the store's identity when it is shared by address
	// (postgres://host:port/db): control planes with the same Store share
	// their data, and count as instances of one another.
	Store    Field[string]
	Replicas Field[int]
	Scaling  *Scaling
	Budget   *Budget
	// Flags are the experimental settings stated for this control plane
	// (KUMA_EXPERIMENTAL_* environment variables), in the order found.
	Flags []Flag
	// Chart holds what only Helm values tell, for control planes read from
	// a release (nil for rendered manifests).
	Chart *ChartFacts
	// Addresses are the host names this control plane answers to (service
	// names and their DNS forms), used to join zones and data planes to it.
	Addresses []string

	// Data-plane attributes.
	DPKind DataplaneKind
	// CPAddress is the control-plane URL a data plane was given
	// (KUMA_CONTROL_PLANE_URL / --cp-address).
	CPAddress Field[string]
	// Owner is the control plane this data plane's image moves with: the one
	// whose injector supplies it (sidecar, init), or the one a zone proxy was
	// deployed with. Nil for data planes that pin their own kuma-dp.
	Owner *Component
}

// ChartFacts are facts of a Helm release that the rules about values need.
type ChartFacts struct {
	Name       string        // kuma or kong-mesh
	Version    Field[string] // the chart version, where the release pins it
	AppVersion string        // what the chart deploys by default
	// GlobalImageTag is global.image.tag; DefaultRegistry says whether the
	// registry in effect is the chart's own (the version-pin guard applies).
	GlobalImageTag  Field[string]
	DefaultRegistry bool
	// ZoneProxyOnUniversal: ingress or egress enabled with environment
	// universal in zone mode, which the chart refuses.
	ZoneProxyOnUniversal Field[string]
	// Unknown lists keys under known blocks that the chart does not have.
	Unknown []UnknownKey
}

// UnknownKey is a values key the chart ignores, probably a typo.
type UnknownKey struct {
	Key     string // full path, "controlPlane.autoScaling"
	Pos     Pos
	Suggest string // the closest valid key, or ""
}

// Flag is one experimental setting of a control plane, named by its
// environment variable.
type Flag struct {
	Env   string
	Value Field[string]
}

// On reports whether the flag is switched on.
func (f Flag) On() bool {
	v, err := strconv.ParseBool(strings.TrimSpace(f.Value.Value))
	return err == nil && v
}

// Flag returns the control plane's flag set through env, if stated.
func (c *Component) Flag(env string) (Flag, bool) {
	for _, f := range c.Flags {
		if f.Env == env {
			return f, true
		}
	}
	return Flag{}, false
}

// OnKubernetes reports whether the component runs as a Kubernetes workload
// (rendered, from a Helm release or a kustomize overlay) rather than as a
// Universal process (compose, systemd, a script, or stated in the
// configuration).
func (c *Component) OnKubernetes() bool {
	switch c.Object.Kind {
	case "ComposeService", "SystemdUnit", "Script", "Configured":
		return false
	}
	return true
}

// IsCP reports whether c is a control plane.
func (c *Component) IsCP() bool { return c.Kind == KindControlPlane }

// Version is shorthand for the component's image version.
func (c *Component) Version() Version { return c.Image.Value.Version }

// Describe names the component for messages: "kuma-cp 2.9.1 (zone zone-east)".
func (c *Component) Describe() string {
	var b strings.Builder
	switch {
	case c.IsCP():
		b.WriteString("control plane ")
		b.WriteString(c.Object.Name)
		if r := c.Role.Value; r != "" {
			b.WriteString(" (" + string(r))
			if c.Zone.Value != "" {
				b.WriteString(" " + c.Zone.Value)
			}
			b.WriteString(")")
		}
	case c.DPKind == DPInjected:
		b.WriteString("sidecar image of " + c.Object.Name)
	case c.DPKind == DPInit:
		b.WriteString("init image of " + c.Object.Name)
	case c.DPKind == DPContainer:
		b.WriteString("data plane of " + c.Object.Name)
		if c.Container != "" {
			b.WriteString(" (container " + c.Container + ")")
		}
	default:
		b.WriteString(string(c.DPKind) + " " + c.Object.Name)
	}
	return b.String()
}

// Setting names what a person edits to change c's version.
func (c *Component) Setting() string {
	if c.Chart != nil || c.Owner != nil && c.Owner.Chart != nil {
		// A Helm release: the values key.
		switch c.DPKind {
		case DPInjected, DPIngress, DPEgress:
			return "dataPlane.image.tag"
		case DPInit:
			return "dataPlane.initImage.tag"
		}
		return "controlPlane.image.tag (or the chart version)"
	}
	switch {
	case c.IsCP():
		name := c.Image.Value.Name
		if name == "" {
			name = string(c.Image.Value.Binary)
		}
		return "the " + name + " image of " + c.Object.String()
	case c.DPKind == DPInjected:
		return "the injector's sidecar image " + c.Container + " (Helm: dataPlane.image.tag)"
	case c.DPKind == DPInit:
		return "the injector's init image " + c.Container + " (Helm: dataPlane.initImage.tag)"
	case c.DPKind == DPIngress, c.DPKind == DPEgress:
		return "the image of " + c.Object.String()
	}
	return "the image of container " + c.Container + " in " + c.Object.String()
}

// Identity is a stable name for the component that does not depend on line
// numbers: unit, object and container.
func (c *Component) Identity() string {
	return path.Clean(c.Unit) + "|" + c.Object.String() + "|" + string(c.Kind) + "|" + string(c.DPKind) + "|" + c.Container
}

// LooseIdentity is Identity without the directory: what is left to
// recognise a component by when its file moves.
func (c *Component) LooseIdentity() string {
	return strings.Join([]string{string(c.Kind), string(c.DPKind), string(c.Role.Value), c.Zone.Value, c.Object.String(), c.Container}, "|")
}

// EdgeKind is the relation between two components.
type EdgeKind string

// Edge kinds: a data plane served by a CP, a zone CP federated to a global CP.
const (
	EdgeDataplane EdgeKind = "dataplane-of"
	EdgeZone      EdgeKind = "zone-of"
)

// Edge links a lower tier (From) to the tier it must not run ahead of (To).
type Edge struct {
	Kind EdgeKind
	From int
	To   int
	// Via says how the edge was found, for the graph output and for messages.
	Via string
}

// Graph is the version graph of everything linted in one run.
type Graph struct {
	Components []*Component
	Edges      []Edge
	// Environments partitions component IDs into independent deployments;
	// components in different environments are never compared.
	Environments [][]int
	// EnvironmentNames names each environment, where the configuration
	// does ("" otherwise).
	EnvironmentNames []string
	// Notes are things the topology could not decide (an ambiguous join).
	Notes []Diagnostic
}

// Upstream returns the edge from c of kind k, if any.
func (g *Graph) Upstream(c *Component, k EdgeKind) (*Component, Edge, bool) {
	for _, e := range g.Edges {
		if e.From == c.ID && e.Kind == k {
			return g.Components[e.To], e, true
		}
	}
	return nil, Edge{}, false
}
