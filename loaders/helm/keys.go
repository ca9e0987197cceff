package helm

import (
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/kumalint/kumalint/internal/textdist"
	"github.com/kumalint/kumalint/model"
)

// closedBlocks are value blocks whose keys the chart fixes (domain.md §1.2,
// §1.3): any other key under them is ignored by the templates.
var closedBlocks = map[string][]string{
	"global.image":                       {"registry", "tag"},
	"controlPlane.image":                 {"registry", "repository", "tag", "pullPolicy"},
	"dataPlane.image":                    {"registry", "repository", "tag", "pullPolicy"},
	"dataPlane.initImage":                {"registry", "repository", "tag", "pullPolicy"},
	"controlPlane.autoscaling":           {"enabled", "minReplicas", "maxReplicas", "metrics", "behavior", "targetCPUUtilizationPercentage"},
	"controlPlane.podDisruptionBudget":   {"enabled", "maxUnavailable"},
	"ingress.autoscaling":                {"enabled", "minReplicas", "maxReplicas", "metrics", "behavior", "targetCPUUtilizationPercentage"},
	"egress.autoscaling":                 {"enabled", "minReplicas", "maxReplicas", "metrics", "behavior", "targetCPUUtilizationPercentage"},
	"ingress.podDisruptionBudget":        {"enabled", "maxUnavailable"},
	"egress.podDisruptionBudget":         {"enabled", "maxUnavailable"},
	"controlPlane.tls.kdsZoneClient":     {"secretName", "create", "cert", "skipVerify"},
	"controlPlane.globalZoneSyncService": {"enabled", "type", "port", "protocol", "annotations", "loadBalancerIP", "loadBalancerSourceRanges", "nodePort"},
}

// openBlocks have more keys than kumalint lists; a key there is reported only
// when it is a near miss of one that matters for the upgrade policy.
var openBlocks = map[string][]string{
	"": {"controlPlane", "dataPlane", "global", "experimental", "ingress", "egress", "cni", "nameOverride", "kumactl", "kubectl", "hooks", "plugins"},
	"controlPlane": {"mode", "zone", "kdsGlobalAddress", "environment", "replicas", "autoscaling", "podDisruptionBudget",
		"image", "envVars", "envVarEntries", "service", "globalZoneSyncService", "tls", "secrets", "resources"},
	"dataPlane":    {"image", "initImage", "features"},
	"experimental": {"deltaKds", "sidecarContainers", "inboundTagsDisabled", "deltaXds", "gatewayAPI", "ebpf", "cni", "transparentProxy", "meshGateway"},
}

// unknownKeys lists the keys of the user's values that the chart would
// ignore: anything under a closed block, and near misses elsewhere.
func (r *Release) unknownKeys() []model.UnknownKey {
	var out []model.UnknownKey
	seen := map[string]bool{}
	for i := len(r.Layers) - 1; i >= 0; i-- {
		l := r.Layers[i]
		if l.Chart || l.Root == nil {
			continue
		}
		root := l.Root
		for _, p := range l.Prefix {
			root = child(root, p)
		}
		walkKeys(root, "", func(path string, k *yaml.Node) {
			parent, key := "", path
			if i := strings.LastIndex(path, "."); i >= 0 {
				parent, key = path[:i], path[i+1:]
			}
			if seen[path] {
				return
			}
			if known, ok := closedBlocks[parent]; ok && !slices.Contains(known, key) {
				seen[path] = true
				out = append(out, model.UnknownKey{Key: path, Pos: l.Doc.Pos(k), Suggest: nearest(key, known, true)})
				return
			}
			if known, ok := openBlocks[parent]; ok && !slices.Contains(known, key) {
				if s := nearest(key, known, false); s != "" {
					seen[path] = true
					out = append(out, model.UnknownKey{Key: path, Pos: l.Doc.Pos(k), Suggest: s})
				}
			}
		})
	}
	slices.SortFunc(out, func(a, b model.UnknownKey) int { return strings.Compare(a.Key, b.Key) })
	return out
}

func child(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// walkKeys visits the keys of nested mappings, two levels below the known
// blocks at most; aliases are not followed.
func walkKeys(n *yaml.Node, prefix string, visit func(path string, k *yaml.Node)) {
	if n == nil || n.Kind != yaml.MappingNode || strings.Count(prefix, ".") > 3 {
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if k.Kind != yaml.ScalarNode || k.Value == "<<" {
			continue
		}
		path := k.Value
		if prefix != "" {
			path = prefix + "." + k.Value
		}
		visit(path, k)
		if _, closed := closedBlocks[path]; closed || openBlocks[path] != nil || isAncestor(path) {
			walkKeys(n.Content[i+1], path, visit)
		}
	}
}

func isAncestor(path string) bool {
	for b := range closedBlocks {
		if strings.HasPrefix(b, path+".") {
			return true
		}
	}
	return false
}

// nearest returns the known key that key most likely means: equal but for
// case, or at most two edits away. With any, the best of the known keys is
// returned even when it is far (a closed block has few keys).
func nearest(key string, known []string, any bool) string {
	best, bestD := "", 3
	for _, k := range known {
		if strings.EqualFold(k, key) {
			return k
		}
		if d := textdist.Levenshtein(strings.ToLower(key), strings.ToLower(k)); d < bestD {
			best, bestD = k, d
		}
	}
	if best == "" && any && len(known) > 0 {
		return ""
	}
	return best
}
