package model

import (
	"fmt"
	"testing"
)

func FuzzParseVersion(f *testing.F) {
	for _, s := range []string{"2.9.3", "v2.9.3", "2.9.3-amd64", "2.9.3-rc1", "0.0.0-preview.vabc123", "latest", "2.9", "", "1.2.3.4", "99999999999999999999.1.1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v := ParseVersion(s)
		if v.State == VersionExact {
			again := ParseVersion(fmt.Sprintf("%d.%d.%d", v.Major, v.Minor, v.Patch))
			if again.Major != v.Major || again.Minor != v.Minor || again.Patch != v.Patch {
				t.Errorf("%q: %+v does not round-trip: %+v", s, v, again)
			}
			if same := ParseVersion(s); v.Compare(same) != 0 {
				t.Errorf("%q: parses to two different versions", s)
			}
		}
	})
}

func FuzzParseImage(f *testing.F) {
	for _, s := range []string{"docker.io/kumahq/kuma-cp:2.9.3", "kong/ubi-kuma-dp:2.9.1@sha256:abc", "localhost:5000/mirror/kuma-cp", "kuma-cp", ":", "@", "a/b/c/d:e:f", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		img := ParseImage(s)
		if img.Ref != s {
			t.Errorf("%q: Ref = %q", s, img.Ref)
		}
		if img.Binary != BinaryNone && img.Name == "" {
			t.Errorf("%q: binary %s without a name", s, img.Binary)
		}
	})
}
