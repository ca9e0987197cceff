package helm

import (
	_ "embed"
	"strings"
	"sync"

	"github.com/kumalint/kumalint/model"
)

//go:embed charts.txt
var chartsTable string

var (
	chartsOnce sync.Once
	chartApps  map[string]string // "kuma 0.4.0" -> "1.0.0"
)

// appVersion returns what a chart version deploys. Charts that the table does
// not list deploy their own version from kuma 1.6.0 and kong-mesh 1.7.0 on;
// older unknown charts are unknown.
func appVersion(chart, version string) (string, bool) {
	chartsOnce.Do(func() {
		chartApps = map[string]string{}
		for _, line := range strings.Split(chartsTable, "\n") {
			f := strings.Fields(line)
			if len(f) == 3 && !strings.HasPrefix(f[0], "#") {
				chartApps[f[0]+" "+f[1]] = f[2]
			}
		}
	})
	version = strings.TrimPrefix(version, "v")
	if app, ok := chartApps[chart+" "+version]; ok {
		return app, true
	}
	v := model.ParseVersion(version)
	if !v.Known() {
		return "", false
	}
	first := map[string][2]int{"kuma": {1, 6}, "kong-mesh": {1, 7}}[chart]
	if v.Major > first[0] || v.Major == first[0] && v.Minor >= first[1] {
		return version, true
	}
	return "", false
}

// chartDefaults are the chart's own defaults that kumalint needs when the
// chart is not in the repository (domain.md §1.3, §2.1).
type chartDefaults struct {
	registry string // global.image.registry
	name     string // kuma.name: object names start with it
}

func defaultsOf(chart string, app model.Version) chartDefaults {
	if chart == "kong-mesh" {
		return chartDefaults{registry: "docker.io/kong", name: "kong-mesh"}
	}
	if app.Known() && app.Major == 1 && app.Minor < 2 {
		return chartDefaults{registry: "kong-docker-kuma-docker.bintray.io", name: "kuma"}
	}
	return chartDefaults{registry: "docker.io/kumahq", name: "kuma"}
}
