package rules

import (
	"fmt"

	"github.com/kumalint/kumalint/model"
)

// MixedProduct reports Kuma and Kong Mesh components joined in one deployment. Kong
// Mesh 1.x is numbered one minor ahead of the Kuma it is built on (domain.md
// §2.2), so even equal-looking versions are not the same release.
var MixedProduct = &Rule{
	ID:    "mixed-product",
	Level: model.LevelError,
	Short: "Kuma and Kong Mesh components in one deployment.",
	Full: "Kong Mesh is built on Kuma but ships its own images (kong/kuma-cp, kong/kuma-dp, ...) with its own " +
		"features and, for 1.x, its own version numbers (Kong Mesh 1.9 is built on Kuma 1.8). A Kuma data plane " +
		"under a Kong Mesh control plane, or a Kuma zone under a Kong Mesh global, is not a supported combination.",
	Remediation: "Use one product's images throughout a deployment: kong/… for Kong Mesh, kumahq/… for Kuma.",
	Run:         runMixedProduct,
}

func runMixedProduct(p *Pass) {
	for _, e := range p.Graph.Edges {
		lower, upper := p.Graph.Components[e.From], p.Graph.Components[e.To]
		if lower.Product == model.ProductUnknown || upper.Product == model.ProductUnknown || lower.Product == upper.Product {
			continue
		}
		p.Report(model.Finding{
			Pos: lower.Image.Pos,
			Message: fmt.Sprintf("%s is %s (%s) but %s is %s (%s); one deployment must run one product",
				lower.Describe(), lower.Product.Title(), lower.Image.Value.Ref, upper.Describe(), upper.Product.Title(), upper.Image.Value.Ref),
			Fix:     fmt.Sprintf("use the %s image for %s", upper.Product.Title(), lower.Describe()),
			Related: []model.Related{{Pos: upper.Image.Pos, Message: upper.Describe() + ": " + upper.Product.Title()}},
			Key:     p.key(lower, upper),
		})
	}
}
