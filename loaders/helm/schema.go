package helm

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"helm.sh/helm/v3/pkg/chart"
)

// schemaURL names a chart's schema in messages; nothing is loaded from it.
const schemaURL = "values.schema.json"

// refuseLoader refuses every $ref outside the schema itself: Helm's own
// validation would follow file and http(s) references, which could read the
// machine's files or reach the network from a chart in a pull request
// (dependencies.md §2a).
type refuseLoader struct{}

func (refuseLoader) Load(url string) (any, error) {
	return nil, fmt.Errorf("$ref to %s refused: kumalint reads nothing outside the chart", url)
}

// SchemaError is values that a chart's values.schema.json rejects.
type SchemaError struct {
	Chart string   // the chart whose schema it is
	Kuma  bool     // the kuma or kong-mesh chart's own schema
	Path  []string // where in that chart's values, when known
	Msg   string
}

func (e *SchemaError) Error() string {
	return fmt.Sprintf("the %s chart's values.schema.json: %s", e.Chart, e.Msg)
}

// validateSchemas checks the coalesced values against the values.schema.json
// of the chart and of each subchart (under its key), as helm install does.
// kumaKey is where the kuma or kong-mesh chart sits ("" for the root).
func validateSchemas(ch *chart.Chart, values map[string]any, kumaKey string) error {
	var first error
	var walk func(c *chart.Chart, vals map[string]any, key string, root bool)
	walk = func(c *chart.Chart, vals map[string]any, key string, root bool) {
		if first != nil {
			return
		}
		if len(c.Schema) > 0 {
			if err := validateSchema(c.Schema, vals); err != nil {
				err.Chart, err.Kuma = c.Name(), root && kumaKey == "" || !root && key == kumaKey
				first = err
				return
			}
		}
		for _, d := range c.Dependencies() {
			sub, _ := vals[d.Name()].(map[string]any)
			if sub == nil {
				sub = map[string]any{}
			}
			walk(d, sub, d.Name(), false)
		}
	}
	walk(ch, values, "", true)
	return first
}

func validateSchema(schema []byte, values map[string]any) *SchemaError {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schema))
	if err != nil {
		return &SchemaError{Msg: "not JSON: " + err.Error()}
	}
	c := jsonschema.NewCompiler()
	c.UseLoader(refuseLoader{})
	if err := c.AddResource(schemaURL, doc); err != nil {
		return &SchemaError{Msg: err.Error()}
	}
	s, err := c.Compile(schemaURL)
	if err != nil {
		return &SchemaError{Msg: err.Error()}
	}
	// The validator wants JSON's types (json.Number, []any, map[string]any).
	raw, err := json.Marshal(values)
	if err != nil {
		return &SchemaError{Msg: err.Error()}
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return &SchemaError{Msg: err.Error()}
	}
	err = s.Validate(inst)
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return &SchemaError{Msg: err.Error()}
	}
	// The first leaf says what is wrong and where.
	for len(ve.Causes) > 0 {
		ve = ve.Causes[0]
	}
	msg := ve.Error()
	if i := strings.Index(msg, ": "); i >= 0 && strings.HasPrefix(msg, "at '") {
		msg = msg[i+2:]
	}
	return &SchemaError{Path: ve.InstanceLocation, Msg: "/" + strings.Join(ve.InstanceLocation, "/") + ": " + msg}
}
