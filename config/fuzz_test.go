package config

import (
	"testing"

	"github.com/kumalint/kumalint/rules"
)

// FuzzParse: any file is a configuration or an error with a position, never
// a panic; a configuration that parses parses the same way twice.
func FuzzParse(f *testing.F) {
	f.Add([]byte(full))
	f.Add([]byte("rules:\n  zone-skew: off\n"))
	f.Add([]byte("environments:\n  prod: [\"**\"]\nignore: [a/]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(".kumalint.yaml", data, rules.IDs())
		if err != nil {
			return
		}
		again, err := Parse(".kumalint.yaml", data, rules.IDs())
		if err != nil || len(again.Rules) != len(c.Rules) || len(again.Environments) != len(c.Environments) {
			t.Errorf("a second parse differs: %v", err)
		}
		c.Ignored("a/b.yaml")
		c.EnvironmentOf("a/b.yaml")
	})
}
