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

// TestSuccessCodeProvenance: no vendor source states a 201 or 204 success
// code (the vendor says only "no body returned"), so each is tagged I; the
// Data Collector's GET /v0/scenes is called by Unity's editor (V-code).
func TestSuccessCodeProvenance(t *testing.T) {
	n := 0
	for name, doc := range allDocs(t) {
		for _, op := range Operations(doc) {
			for _, code := range []string{"201", "204"} {
				if r := op.Op.Responses.Value(code); r != nil && r.Value != nil {
					n++
					if got := r.Value.Extensions[ExtProvenance]; got != "I" {
						t.Errorf("%s %s %s: %s = %v, want I", name, op.ID, code, ExtProvenance, got)
					}
				}
			}
			if name == DataCollector && op.ID == "listScenes" && op.Provenance != "V-code" {
				t.Errorf("listScenes: provenance %s, want V-code", op.Provenance)
			}
		}
	}
	if n < 30 {
		t.Errorf("only %d 201/204 responses", n)
	}
}
