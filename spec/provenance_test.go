package spec

import (
	"strings"
	"testing"

	"go.yaml.in/yaml/v4"
)

// TestFieldProvenance: besides operations, schema properties and responses
// may carry x-c3d-provenance (an SDK field modelled from vendor code, a
// success code no vendor source states); every such tag has an allowed value.
func TestFieldProvenance(t *testing.T) {
	for _, name := range []string{Public, DataCollector} {
		raw, err := Raw(name)
		if err != nil {
			t.Fatal(err)
		}
		var doc any
		if err := yaml.Unmarshal(raw, &doc); err != nil {
			t.Fatal(err)
		}
		n := 0
		var walk func(v any, path []string)
		walk = func(v any, path []string) {
			switch x := v.(type) {
			case map[string]any:
				for k, c := range x {
					if k == ExtProvenance {
						n++
						if s, _ := c.(string); !allowedProvenances[s] {
							t.Errorf("%s %s: %s = %v", name, strings.Join(path, "/"), ExtProvenance, c)
						}
						continue
					}
					walk(c, append(path, k))
				}
			case []any:
				for _, c := range x {
					walk(c, path)
				}
			}
		}
		walk(doc, nil)
		if n == 0 {
			t.Errorf("%s: no %s tags", name, ExtProvenance)
		}
	}
}
