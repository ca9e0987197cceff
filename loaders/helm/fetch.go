package helm

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Fetcher downloads the exact chart version a release pins from its Helm
// repository, into a cache directory. kumalint uses it only with
// --fetch-charts: by default nothing reaches the network.
type Fetcher struct {
	Cache  string       // directory for downloaded archives
	Client *http.Client // nil: 30 s timeout
}

// maxDownload bounds an index or an archive.
const maxDownload = 20 << 20

// DefaultRepos are the charts' own repositories (domain.md: KUMA-CHARTS,
// KM-CHARTS), used when a release does not say where its chart comes from.
var DefaultRepos = map[string]string{
	"kuma":      "https://kumahq.github.io/charts",
	"kong-mesh": "https://kong.github.io/kong-mesh-charts",
}

// Fetch returns the archive of chart name at version from the Helm
// repository at repo, from the cache when it is there.
func (f *Fetcher) Fetch(repo, name, version string) ([]byte, error) {
	if repo == "" {
		repo = DefaultRepos[name]
	}
	u, err := url.Parse(repo)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, fmt.Errorf("repository %q: only http(s) Helm repositories can be fetched", repo)
	}
	cached := filepath.Join(f.Cache, fmt.Sprintf("%s-%s.tgz", name, version))
	if data, err := os.ReadFile(cached); err == nil {
		return data, nil
	}
	index, err := f.get(strings.TrimSuffix(repo, "/") + "/index.yaml")
	if err != nil {
		return nil, err
	}
	var idx struct {
		Entries map[string][]struct {
			Version string   `yaml:"version"`
			URLs    []string `yaml:"urls"`
			Digest  string   `yaml:"digest"`
		} `yaml:"entries"`
	}
	if err := yaml.Unmarshal(index, &idx); err != nil {
		return nil, fmt.Errorf("%s/index.yaml: %w", repo, err)
	}
	for _, e := range idx.Entries[name] {
		if strings.TrimPrefix(e.Version, "v") != strings.TrimPrefix(version, "v") || len(e.URLs) == 0 {
			continue
		}
		ref, err := url.Parse(e.URLs[0])
		if err != nil {
			return nil, err
		}
		data, err := f.get(u.JoinPath("/").ResolveReference(ref).String())
		if err != nil {
			return nil, err
		}
		if e.Digest != "" {
			sum := sha256.Sum256(data)
			if hex.EncodeToString(sum[:]) != e.Digest {
				return nil, fmt.Errorf("%s %s from %s: digest mismatch", name, version, repo)
			}
		}
		if err := os.MkdirAll(f.Cache, 0o755); err == nil {
			_ = os.WriteFile(cached, data, 0o644) // a cache: best effort
		}
		return data, nil
	}
	return nil, fmt.Errorf("%s has no chart %s version %s", repo, name, version)
}

func (f *Fetcher) get(u string) ([]byte, error) {
	c := f.Client
	if c == nil {
		c = &http.Client{Timeout: 30 * time.Second}
	}
	resp, err := c.Get(u) //nolint:noctx // the client has a timeout
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", u, resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxDownload+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxDownload {
		return nil, errors.New("GET " + u + ": over 20 MiB")
	}
	return data, nil
}
