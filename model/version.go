package model

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Product is the distribution a component belongs to. Kong Mesh 1.x minors
// are numbered one ahead of the Kuma release they are built on (domain.md
// §2.2), so a version is only meaningful together with its product.
type Product string

// Products.
const (
	ProductUnknown  Product = ""
	ProductKuma     Product = "kuma"
	ProductKongMesh Product = "kong-mesh"
)

// Title is the product's name as its vendor writes it.
func (p Product) Title() string {
	switch p {
	case ProductKuma:
		return "Kuma"
	case ProductKongMesh:
		return "Kong Mesh"
	}
	return "unknown product"
}

// VersionState says how far a tag could be understood.
type VersionState int

// Version states.
const (
	// VersionExact is a release or pre-release, X.Y.Z with an optional suffix.
	VersionExact VersionState = iota
	// VersionPreview is a preview (dev) build: X.Y.Z-preview.v<sha>. Kuma's own
	// compatibility check accepts these against anything (domain.md §5).
	VersionPreview
	// VersionFloating is a tag that moves: latest, a bare X.Y, stable, ...
	VersionFloating
	// VersionMissing means the image has no tag (implicitly latest) or only a digest.
	VersionMissing
	// VersionInvalid is a tag that is not a version at all.
	VersionInvalid
)

// Version is a parsed image tag or version string.
type Version struct {
	Raw   string // as written, e.g. "v2.9.3-amd64"
	State VersionState
	Major int
	Minor int
	Patch int
	Pre   string // pre-release label without arch suffix, e.g. "rc1", "preview.vabc1234"
}

// Known reports whether the version has a usable major.minor.
func (v Version) Known() bool { return v.State == VersionExact }

// Line is the release line, "2.9".
func (v Version) Line() string { return fmt.Sprintf("%d.%d", v.Major, v.Minor) }

// String gives the version without the v prefix or arch suffix.
func (v Version) String() string {
	switch v.State {
	case VersionExact, VersionPreview:
		s := fmt.Sprintf("%d.%d.%d", v.Major, v.Minor, v.Patch)
		if v.Pre != "" {
			s += "-" + v.Pre
		}
		return s
	case VersionMissing:
		if v.Raw == "" {
			return "(no tag)"
		}
	}
	return v.Raw
}

// Compare orders two known versions by major, minor, patch; pre-releases sort
// before their release.
func (v Version) Compare(o Version) int {
	for _, d := range [...]int{v.Major - o.Major, v.Minor - o.Minor, v.Patch - o.Patch} {
		if d != 0 {
			if d < 0 {
				return -1
			}
			return 1
		}
	}
	switch {
	case v.Pre == o.Pre:
		return 0
	case v.Pre == "":
		return 1
	case o.Pre == "":
		return -1
	}
	return strings.Compare(v.Pre, o.Pre)
}

var (
	versionRE = regexp.MustCompile(`^[vV]?(\d{1,4})\.(\d{1,4})(?:\.(\d{1,6}))?(?:-([0-9A-Za-z.-]+))?$`)
	// Per-arch tags are assembled into multi-arch manifests (domain.md §7); the
	// suffix says nothing about the version.
	archSuffixRE = regexp.MustCompile(`(?:^|-)(amd64|arm64|arm|ppc64le|s390x)$`)
	// Tags that are moved by whoever publishes them.
	floatingTags = map[string]bool{
		"latest": true, "stable": true, "main": true, "master": true, "edge": true,
		"nightly": true, "dev": true, "release": true, "current": true,
	}
)

// ParseVersion reads an image tag or a version string. It never fails: an
// unusable string comes back with State VersionInvalid or VersionFloating.
func ParseVersion(s string) Version {
	v := Version{Raw: s}
	t := strings.TrimSpace(s)
	if t == "" {
		v.State = VersionMissing
		return v
	}
	if floatingTags[strings.ToLower(t)] {
		v.State = VersionFloating
		return v
	}
	m := versionRE.FindStringSubmatch(t)
	if m == nil {
		v.State = VersionInvalid
		return v
	}
	v.Major, _ = strconv.Atoi(m[1])
	v.Minor, _ = strconv.Atoi(m[2])
	if m[3] == "" {
		// A bare "2.9" follows the newest patch of the line: it floats.
		v.State = VersionFloating
		return v
	}
	v.Patch, _ = strconv.Atoi(m[3])
	pre := archSuffixRE.ReplaceAllString(m[4], "")
	v.Pre = strings.Trim(pre, "-.")
	v.State = VersionExact
	if strings.Contains(v.Pre, "preview") {
		v.State = VersionPreview
	}
	return v
}
