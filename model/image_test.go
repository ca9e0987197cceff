package model

import "testing"

func TestParseImage(t *testing.T) {
	tests := []struct {
		ref        string
		repository string
		name       string
		tag        string
		digest     string
		binary     Binary
		product    Product
		state      VersionState
	}{
		{"docker.io/kumahq/kuma-cp:2.9.3", "docker.io/kumahq/kuma-cp", "kuma-cp", "2.9.3", "", BinaryCP, ProductKuma, VersionExact},
		{"kumahq/kuma-dp:2.9.3", "kumahq/kuma-dp", "kuma-dp", "2.9.3", "", BinaryDP, ProductKuma, VersionExact},
		{"kong/kuma-cp:2.9.1", "kong/kuma-cp", "kuma-cp", "2.9.1", "", BinaryCP, ProductKongMesh, VersionExact},
		{"docker.io/kong/ubi-kuma-dp:2.7.10", "docker.io/kong/ubi-kuma-dp", "ubi-kuma-dp", "2.7.10", "", BinaryDP, ProductKongMesh, VersionExact},
		{"registry.sighup.io/fury/kong/kuma-cp:2.4.3", "registry.sighup.io/fury/kong/kuma-cp", "kuma-cp", "2.4.3", "", BinaryCP, ProductKongMesh, VersionExact},
		{"registry.example.com:5000/mirror/kuma-init:2.9.3", "registry.example.com:5000/mirror/kuma-init", "kuma-init", "2.9.3", "", BinaryInit, ProductUnknown, VersionExact},
		{"localhost:5000/kuma-cp", "localhost:5000/kuma-cp", "kuma-cp", "", "", BinaryCP, ProductUnknown, VersionMissing},
		{"kumahq/kuma-cp@sha256:0123abcd", "kumahq/kuma-cp", "kuma-cp", "", "sha256:0123abcd", BinaryCP, ProductKuma, VersionMissing},
		{"kumahq/kuma-cp:2.9.3@sha256:0123abcd", "kumahq/kuma-cp", "kuma-cp", "2.9.3", "sha256:0123abcd", BinaryCP, ProductKuma, VersionExact},
		{"kuma/kuma-dp:latest", "kuma/kuma-dp", "kuma-dp", "latest", "", BinaryDP, ProductKuma, VersionFloating},
		{"kong-docker-kuma-docker.bintray.io/kuma-cp:1.0.8", "kong-docker-kuma-docker.bintray.io/kuma-cp", "kuma-cp", "1.0.8", "", BinaryCP, ProductKuma, VersionExact},
		{"docker.io/kumahq/kumactl:2.9.3", "docker.io/kumahq/kumactl", "kumactl", "2.9.3", "", BinaryKumactl, ProductKuma, VersionExact},
		{"nginx:1.27", "nginx", "nginx", "1.27", "", BinaryNone, ProductUnknown, VersionFloating},
		{"docker.io/library/kuma-cp-exporter:1.0.0", "docker.io/library/kuma-cp-exporter", "kuma-cp-exporter", "1.0.0", "", BinaryNone, ProductUnknown, VersionExact},
	}
	for _, tt := range tests {
		t.Run(tt.ref, func(t *testing.T) {
			img := ParseImage(tt.ref)
			if img.Repository != tt.repository || img.Name != tt.name || img.Tag != tt.tag || img.Digest != tt.digest {
				t.Errorf("got repo %q name %q tag %q digest %q", img.Repository, img.Name, img.Tag, img.Digest)
			}
			if img.Binary != tt.binary {
				t.Errorf("binary = %q, want %q", img.Binary, tt.binary)
			}
			if img.Product != tt.product {
				t.Errorf("product = %q, want %q", img.Product, tt.product)
			}
			if img.Version.State != tt.state {
				t.Errorf("version state = %d, want %d", img.Version.State, tt.state)
			}
		})
	}
}
