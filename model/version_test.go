package model

import "testing"

func TestParseVersion(t *testing.T) {
	tests := []struct {
		in                  string
		state               VersionState
		major, minor, patch int
		pre, str            string
	}{
		{"2.9.3", VersionExact, 2, 9, 3, "", "2.9.3"},
		{"v2.9.3", VersionExact, 2, 9, 3, "", "2.9.3"},
		{"2.9.3-amd64", VersionExact, 2, 9, 3, "", "2.9.3"},
		{"2.9.3-arm64", VersionExact, 2, 9, 3, "", "2.9.3"},
		{"1.4.0-rc1", VersionExact, 1, 4, 0, "rc1", "1.4.0-rc1"},
		{"1.4.0-rc1-amd64", VersionExact, 1, 4, 0, "rc1", "1.4.0-rc1"},
		{"2.10.0-preview.v1a0fde4e0", VersionPreview, 2, 10, 0, "preview.v1a0fde4e0", "2.10.0-preview.v1a0fde4e0"},
		{"0.0.0-preview.vlocal-build", VersionPreview, 0, 0, 0, "preview.vlocal-build", "0.0.0-preview.vlocal-build"},
		{"2.14.10", VersionExact, 2, 14, 10, "", "2.14.10"},
		{"latest", VersionFloating, 0, 0, 0, "", "latest"},
		{"LATEST", VersionFloating, 0, 0, 0, "", "LATEST"},
		{"stable", VersionFloating, 0, 0, 0, "", "stable"},
		{"2.9", VersionFloating, 2, 9, 0, "", "2.9"},
		{"", VersionMissing, 0, 0, 0, "", "(no tag)"},
		{"banana", VersionInvalid, 0, 0, 0, "", "banana"},
		{"2.9.x", VersionInvalid, 0, 0, 0, "", "2.9.x"},
		{"{{ .Values.tag }}", VersionInvalid, 0, 0, 0, "", "{{ .Values.tag }}"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			v := ParseVersion(tt.in)
			if v.State != tt.state {
				t.Fatalf("state = %d, want %d", v.State, tt.state)
			}
			if tt.state == VersionExact || tt.state == VersionPreview {
				if v.Major != tt.major || v.Minor != tt.minor || v.Patch != tt.patch || v.Pre != tt.pre {
					t.Errorf("got %d.%d.%d-%q, want %d.%d.%d-%q", v.Major, v.Minor, v.Patch, v.Pre, tt.major, tt.minor, tt.patch, tt.pre)
				}
			}
			if got := v.String(); got != tt.str {
				t.Errorf("String() = %q, want %q", got, tt.str)
			}
		})
	}
}

func TestVersionCompare(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"2.9.3", "2.9.3", 0},
		{"2.9.3", "2.9.4", -1},
		{"2.10.0", "2.9.9", 1},
		{"3.0.0", "2.14.3", 1},
		{"1.4.0-rc1", "1.4.0", -1},
		{"v2.9.3-amd64", "2.9.3", 0},
	}
	for _, tt := range tests {
		if got := ParseVersion(tt.a).Compare(ParseVersion(tt.b)); got != tt.want {
			t.Errorf("Compare(%s, %s) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
