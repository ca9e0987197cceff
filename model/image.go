package model

import "strings"

// Binary is which Kuma program an image runs, told by its repository basename.
type Binary string

// Binaries kumalint tracks. Kong Mesh publishes UBI builds under a ubi- prefixed
// repository rather than a tag suffix (domain.md §2.1, §7).
const (
	BinaryNone    Binary = ""
	BinaryCP      Binary = "kuma-cp"
	BinaryDP      Binary = "kuma-dp"
	BinaryInit    Binary = "kuma-init"
	BinaryCNI     Binary = "kuma-cni"
	BinaryKumactl Binary = "kumactl"
)

// Image is a parsed image reference registry/path/name:tag@digest.
type Image struct {
	Ref        string // as written
	Repository string // everything before the tag, e.g. "docker.io/kumahq/kuma-cp"
	Name       string // the basename, e.g. "kuma-cp" or "ubi-kuma-cp"
	Tag        string
	Digest     string
	Binary     Binary
	Product    Product // from the repository; ProductUnknown for mirrors
	Version    Version
}

// ParseImage splits an image reference and recognises Kuma binaries under any
// registry or mirror.
func ParseImage(ref string) Image {
	img := Image{Ref: ref}
	rest := strings.TrimSpace(ref)
	if i := strings.Index(rest, "@"); i >= 0 {
		img.Digest = rest[i+1:]
		rest = rest[:i]
	}
	// The tag separator is a colon after the last slash; an earlier colon is a
	// registry port (localhost:5000/kuma-cp).
	slash := strings.LastIndex(rest, "/")
	if c := strings.LastIndex(rest, ":"); c > slash {
		img.Tag = rest[c+1:]
		rest = rest[:c]
	}
	img.Repository = rest
	img.Name = rest[slash+1:]
	img.Binary = binaryOf(img.Name)
	img.Product = productOfRepository(rest, img.Name)
	img.Version = ParseVersion(img.Tag)
	return img
}

func binaryOf(name string) Binary {
	switch strings.TrimPrefix(strings.ToLower(name), "ubi-") {
	case "kuma-cp":
		return BinaryCP
	case "kuma-dp":
		return BinaryDP
	case "kuma-init":
		return BinaryInit
	case "kuma-cni":
		return BinaryCNI
	case "kumactl":
		return BinaryKumactl
	}
	return BinaryNone
}

// productOfRepository knows the vendors' own namespaces; a private mirror says
// nothing about the product.
func productOfRepository(repo, name string) Product {
	if strings.HasPrefix(strings.ToLower(name), "ubi-") {
		return ProductKongMesh // only Kong Mesh ships UBI images
	}
	parts := strings.Split(strings.ToLower(repo), "/")
	if len(parts) < 2 {
		return ProductUnknown
	}
	// Mirrors usually keep the vendor's namespace (registry.example.com/kong/kuma-cp).
	switch parts[len(parts)-2] {
	case "kumahq", "kuma":
		return ProductKuma
	case "kong":
		return ProductKongMesh
	}
	if strings.Contains(parts[0], "kong-docker-kuma-docker.bintray.io") {
		return ProductKuma // Kuma 1.0/1.1 default registry (domain.md §1.3)
	}
	return ProductUnknown
}
