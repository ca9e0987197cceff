package config

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"

	"github.com/kumalint/kumalint/rules"
)

const full = `# every key
rules:
  cp-no-disruption-budget: off
  end-of-life: warning
environments:
  prod: ["clusters/prod/**", "global/prod/**"]
  staging: clusters/staging/**
ignore:
  - legacy/
  - "**/templates/**"
helm:
  releases:
    - name: kuma
      namespace: kuma-system
      chart: charts/kuma
      version: 2.9.3
      values: [values/common.yaml, values/prod.yaml]
      set:
        controlPlane.replicas: "3"
universal:
  components:
    - name: vm-cp
      kind: control-plane
      role: zone
      zone: dc-1
      version: 2.9.1
      product: kuma
      store: postgres://db.internal:5432/kuma
      instances: 2
policy:
  maxSkewLines: 2
  kustomize:
    allowRemote: ["https://github.com/example/"]
limits:
  maxFileSize: 2MiB
  maxAliasNodes: 50000
  maxDepth: 64
  renderTimeout: 2s
`

func TestParse(t *testing.T) {
	c, err := Parse("deploy/.kumalint.yaml", []byte(full), rules.IDs())
	if err != nil {
		t.Fatal(err)
	}
	if l, on := c.Level("cp-no-disruption-budget", 1); on {
		t.Errorf("cp-no-disruption-budget: %v, want off", l)
	}
	if l, on := c.Level("end-of-life", 1); !on || l.String() != "warning" {
		t.Errorf("end-of-life: %v %v", l, on)
	}
	if c.Limits.MaxFileSize != 2<<20 || c.Limits.MaxAliasNodes != 50000 || c.Limits.MaxDepth != 64 || c.Limits.RenderTimeout.String() != "2s" {
		t.Errorf("limits: %+v", c.Limits)
	}
	if c.Dir != "deploy" || len(c.Environments) != 2 || c.Environments[1].Name != "staging" || c.Policy.MaxSkewLines != 2 {
		t.Errorf("parsed %+v", c)
	}
	if len(c.Helm.Releases) != 1 || c.Helm.Releases[0].Set["controlPlane.replicas"].Value != "3" || len(c.Universal.Components) != 1 {
		t.Errorf("helm/universal: %+v %+v", c.Helm, c.Universal)
	}
	for rel, want := range map[string]string{
		"deploy/clusters/prod/zone-1/kuma.yaml": "prod",
		"deploy/clusters/staging/kuma.yaml":     "staging",
		"deploy/clusters/dev/kuma.yaml":         "",
		"clusters/prod/kuma.yaml":               "", // outside the file's directory
	} {
		if got := c.EnvironmentOf(rel); got != want {
			t.Errorf("EnvironmentOf(%s) = %q, want %q", rel, got, want)
		}
	}
	for rel, want := range map[string]bool{
		"deploy/legacy/a.yaml":                 true,
		"deploy/legacy":                        true,
		"deploy/charts/kuma/templates/cp.yaml": true,
		"deploy/charts/kuma/values.yaml":       false,
		"deploy/legacy-not/a.yaml":             false,
		"elsewhere/legacy/a.yaml":              false,
	} {
		if got := c.Ignored(rel); got != want {
			t.Errorf("Ignored(%s) = %v, want %v", rel, got, want)
		}
	}
}

// TestParseErrors: every mistake names its line and, for a typo, the key
// that was meant.
func TestParseErrors(t *testing.T) {
	tests := []struct{ doc, want string }{
		{"rule:\n  end-of-life: off\n", `c.yaml:1:1: unknown key "rule" in the configuration; did you mean "rules"?`},
		{"rules:\n  end-of-lfe: off\n", `c.yaml:2:3: unknown rule "end-of-lfe"; did you mean "end-of-life"?`},
		{"rules:\n  end-of-life: fatal\n", `c.yaml:2:16: rules.end-of-life: "fatal" is not off, note, warning or error`},
		{"rules:\n  end-of-life: none\n", `is not off, note, warning or error`},
		{"environments:\n  prod: \"[\"\n", `c.yaml:2:9: environments.prod: "[" is not a valid glob`},
		{"environments:\n  prod: []\n", `environments.prod lists no paths`},
		{"ignore: {a: b}\n", `c.yaml:1:9: ignore: want a path glob`},
		{"policy:\n  maxSkewLines: 0\n", `policy.maxSkewLines: want a number from 1 to 10`},
		{"policy:\n  maxSkew: 2\n", `unknown key "maxSkew" in policy; did you mean "maxSkewLines"?`},
		{"helm:\n  releases:\n    - name: kuma\n", `c.yaml:3:7: a helm release needs chart`},
		{"helm:\n  releases:\n    - chart: x\n      valuesFiles: [a]\n", `unknown key "valuesFiles" in a helm release; did you mean "values"?`},
		{"rules: {}\nrules: {}\n", `c.yaml:2: invalid YAML: mapping key "rules" already defined`},
		{"rules: {}\n---\nrules: {}\n", `more than one YAML document`},
		{"- rules\n", `the configuration must be a mapping`},
		{"rules: [\n", `c.yaml:2`},
		{"<<: {rules: {}}\n", `merge keys are not supported`},
		{"limits:\n  maxFileSize: 10MB\n", `limits.maxFileSize: want a size such as 10MiB`},
		{"limits:\n  renderTimeout: forever\n", `limits.renderTimeout: want a duration`},
	}
	for _, tt := range tests {
		_, err := Parse("c.yaml", []byte(tt.doc), rules.IDs())
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Parse(%q) = %v, want an error containing %q", tt.doc, err, tt.want)
		}
	}
	if c, err := Parse("c.yaml", []byte("# nothing set\n"), rules.IDs()); err != nil || len(c.Rules) != 0 {
		t.Errorf("empty configuration: %v %v", c, err)
	}
}

func TestFind(t *testing.T) {
	root := t.TempDir()
	deep := filepath.Join(root, "a", "b", "c")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	if got := Find(deep, root); got != "" {
		t.Errorf("Find without a file = %q", got)
	}
	cfg := filepath.Join(root, "a", ".kumalint.yml")
	if err := os.WriteFile(cfg, []byte("rules: {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := Find(deep, root); got != cfg {
		t.Errorf("Find = %q, want %q", got, cfg)
	}
	// Nothing above the root is looked at.
	if got := Find(deep, filepath.Join(root, "a", "b")); got != "" {
		t.Errorf("Find above the root = %q", got)
	}
}

func TestClosest(t *testing.T) {
	for in, want := range map[string]string{"rule": "rules", "envirnments": "environments", "zzzzzz": "", "IGNORE": "ignore"} {
		if got := Closest(in, []string{"rules", "environments", "ignore", "helm"}); got != want {
			t.Errorf("Closest(%q) = %q, want %q", in, got, want)
		}
	}
}

func loadSchema(t *testing.T) (*jsonschema.Schema, map[string]any) {
	t.Helper()
	data, err := os.ReadFile("kumalint.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(string(data)))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("kumalint.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("kumalint.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	return s, raw
}

// yamlToJSON turns a YAML document into the values a JSON Schema checks.
func yamlToJSON(t *testing.T, doc string) any {
	t.Helper()
	var v any
	if err := yaml.Unmarshal([]byte(doc), &v); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	out, err := jsonschema.UnmarshalJSON(strings.NewReader(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestSchemaAgrees keeps the JSON Schema (for editors) and the parser (for
// kumalint) saying the same thing.
func TestSchemaAgrees(t *testing.T) {
	s, raw := loadSchema(t)
	props := raw["properties"].(map[string]any)
	var ruleEnum []string
	for _, v := range props["rules"].(map[string]any)["propertyNames"].(map[string]any)["enum"].([]any) {
		ruleEnum = append(ruleEnum, v.(string))
	}
	if !slices.Equal(ruleEnum, rules.IDs()) {
		t.Errorf("schema rules %v, kumalint has %v", ruleEnum, rules.IDs())
	}
	var top []string
	for k := range props {
		top = append(top, k)
	}
	slices.Sort(top)
	if want := []string{"environments", "helm", "ignore", "limits", "policy", "rules", "universal"}; !slices.Equal(top, want) {
		t.Errorf("schema top-level keys %v, parser has %v", top, want)
	}
	docs := []string{
		full,
		"rules: {}\n",
		"rules:\n  end-of-lfe: off\n",
		"rule: {}\n",
		"rules:\n  end-of-life: fatal\n",
		"policy:\n  maxSkewLines: 0\n",
		"policy:\n  maxSkew: 2\n",
		"helm:\n  releases:\n    - name: kuma\n",
		"environments:\n  prod: []\n",
		"ignore: 3\n",
		"limits:\n  maxFileSize: 10MB\n",
		"limits:\n  maxDepth: 0\n",
		"universal:\n  components:\n    - name: cp\n      version: 2.9.1\n      instances: 2\n      store: memory\n",
	}
	for _, doc := range docs {
		_, perr := Parse("c.yaml", []byte(doc), rules.IDs())
		serr := s.Validate(yamlToJSON(t, doc))
		if (perr == nil) != (serr == nil) {
			t.Errorf("parser and schema disagree on %q: parser %v, schema %v", doc, perr, serr)
		}
	}
}
