package rules

import (
	"fmt"
	"strings"

	"github.com/kumalint/kumalint/model"
)

// CPSingleReplica reports a control plane that can run with fewer than two instances.
// Policy reports "run more than one CP instance per zone" to avoid downtime while it
// restarts on the new version (domain.md §0); the memory store keeps state per
// process and so can never be shared by two instances (domain.md §1.2).
var CPSingleReplica = &Rule{
	ID:    "cp-single-replica",
	Level: model.LevelWarning,
	Short: "A control plane can run with fewer than two instances.",
	Full: "The upgrade guides ask for more than one control-plane instance per zone, so that restarting on the " +
		"new version does not take the control plane away: while it is down, no new data plane can connect and " +
		"no configuration change reaches the proxies. Instances are replicas, or the autoscaler's minimum when an " +
		"HPA scales the control plane. A control plane on the memory store can never have a second instance.",
	Remediation: "Run two or more instances: spec.replicas (Helm: controlPlane.replicas) or the HPA's minReplicas " +
		"(Helm: controlPlane.autoscaling.minReplicas). With the memory store, move to Postgres first.",
	Run: runCPSingleReplica,
}

// instances returns how many instances a CP is guaranteed and where that is set.
func instances(c *model.Component) (n int, pos model.Pos, source string) {
	if !c.OnKubernetes() {
		switch {
		case c.Replicas.Set && c.Object.Kind == "ComposeService":
			return c.Replicas.Value, c.Replicas.Pos, "deploy.replicas"
		case c.Replicas.Set:
			return c.Replicas.Value, c.Replicas.Pos, "instances"
		}
		return c.Replicas.Value, c.Replicas.Pos, "one " + strings.ToLower(strings.TrimSuffix(c.Object.Kind, "Service")) + " process"
	}
	if c.Chart != nil {
		switch {
		case c.Scaling != nil && c.Scaling.Min.Set:
			return c.Scaling.Min.Value, c.Scaling.Min.Pos, "controlPlane.autoscaling.minReplicas"
		case c.Scaling != nil:
			return c.Scaling.Min.Value, c.Scaling.Min.Pos, "controlPlane.autoscaling.minReplicas, the chart's default"
		case c.Replicas.Set:
			return c.Replicas.Value, c.Replicas.Pos, "controlPlane.replicas"
		}
		return c.Replicas.Value, c.Replicas.Pos, "controlPlane.replicas not set: the chart's default is 1"
	}
	if c.Scaling != nil {
		return c.Scaling.Min.Value, c.Scaling.Min.Pos, "minReplicas of " + c.Scaling.Object.String()
	}
	if !c.Replicas.Set {
		return c.Replicas.Value, c.Replicas.Pos, "replicas not set, so Kubernetes runs 1"
	}
	return c.Replicas.Value, c.Replicas.Pos, "spec.replicas"
}

func perWhat(c *model.Component) string {
	if c.Role.Value == model.RoleGlobal {
		return "for the global control plane"
	}
	return "per zone"
}

func runCPSingleReplica(p *Pass) {
	for _, c := range p.Graph.Components {
		if !c.IsCP() {
			continue
		}
		if c.StoreType.Value == "memory" {
			// Point at what chose the memory store: the store type, else the
			// environment that made it the default.
			pos := c.StoreType.Pos
			switch {
			case c.StoreType.Set:
			case c.Environment.Set:
				pos = c.Environment.Pos
			default:
				pos = c.Image.Pos
			}
			p.Report(model.Finding{
				Pos: pos,
				Message: fmt.Sprintf("%s uses the memory store, which keeps its state inside one process: it can never run a second instance, and every restart (an upgrade included) loses its state",
					c.Describe()),
				Fix: "use a Postgres store (KUMA_STORE_TYPE=postgres) shared by two or more kuma-cp instances",
				Key: p.key(c),
			})
			continue
		}
		n, pos, source := instances(c)
		if peers := sharing(p, c); peers > 0 && n >= 0 {
			// Universal instances of one zone on one Postgres are one
			// control plane (domain.md §1.2, HA note).
			n += peers
			source += fmt.Sprintf(", plus %d on the same store", peers)
		}
		if n < 0 || n >= 2 {
			continue // unknown (a DaemonSet, a templated value) or enough
		}
		fix := "set spec.replicas to 2 or more (Helm: controlPlane.replicas)"
		switch {
		case !c.OnKubernetes():
			fix = "run a second kuma-cp instance of this zone on the same Postgres store (deploy.replicas, another service or unit)"
		case c.Chart != nil && c.Scaling != nil:
			fix = "set controlPlane.autoscaling.minReplicas to 2 or more"
		case c.Chart != nil:
			fix = "set controlPlane.replicas to 2 or more, or enable controlPlane.autoscaling (minReplicas 2 by default)"
		case c.Scaling != nil:
			fix = "set minReplicas to 2 or more (Helm: controlPlane.autoscaling.minReplicas)"
		}
		msg := fmt.Sprintf("%s can run with %s (%s); the upgrade policy asks for more than one control-plane instance %s so that a restart on the new version causes no downtime",
			c.Describe(), instanceCount(n), source, perWhat(c))
		if o := otherStore(p, c); o != nil {
			msg += fmt.Sprintf("; %s of the same zone uses another store (%s), so the two do not share state", o.Describe(), o.Store.Value)
		}
		p.Report(model.Finding{
			Pos:     pos,
			Message: msg,
			Fix:     fix,
			Related: []model.Related{{Pos: c.Object.Pos, Message: c.Object.String()}},
			Key:     p.key(c),
		})
	}
}

func instanceCount(n int) string {
	if n == 1 {
		return "1 instance"
	}
	return itoa(n) + " instances"
}

// sharing counts the instances of other control planes with the same role
// and zone on the same store.
func sharing(p *Pass, c *model.Component) int {
	if c.Store.Value == "" {
		return 0
	}
	n := 0
	for _, o := range p.Graph.Components {
		if o != c && o.IsCP() && o.Store.Value == c.Store.Value && o.Role.Value == c.Role.Value && o.Zone.Value == c.Zone.Value {
			if k, _, _ := instances(o); k > 0 {
				n += k
			}
		}
	}
	return n
}

// otherStore finds a control plane of the same role and zone on a different
// store: not a second instance, a split.
func otherStore(p *Pass, c *model.Component) *model.Component {
	if c.Store.Value == "" {
		return nil
	}
	for _, o := range p.Graph.Components {
		if o != c && o.IsCP() && o.Store.Value != "" && o.Store.Value != c.Store.Value && o.Role.Value == c.Role.Value && o.Zone.Value == c.Zone.Value {
			return o
		}
	}
	return nil
}
