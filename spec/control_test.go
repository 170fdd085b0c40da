package spec

import (
	"context"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// TestControlDocument: c3dmock's own control document loads, and every
// operation names itself, every parameter has an example and every example
// of a request or response body is valid against its schema.
func TestControlDocument(t *testing.T) {
	doc, err := Load(context.Background(), Control)
	if err != nil {
		t.Fatal(err)
	}
	ops := Operations(doc)
	if len(ops) < 10 {
		t.Fatalf("%d control operations", len(ops))
	}
	check := func(where string, schema *openapi3.SchemaRef, v any) {
		t.Helper()
		if schema == nil || schema.Value == nil {
			t.Errorf("%s: no schema", where)
			return
		}
		if err := schema.Value.VisitJSON(v); err != nil {
			t.Errorf("%s: example does not validate: %v", where, err)
		}
	}
	for _, op := range ops {
		where := op.Method + " " + op.Path
		if op.ID == "" || op.Op.Summary == "" {
			t.Errorf("%s: operationId %q, summary %q", where, op.ID, op.Op.Summary)
		}
		for _, p := range op.Op.Parameters {
			if p.Value.Example == nil && len(p.Value.Examples) == 0 {
				t.Errorf("%s: parameter %s has no example", where, p.Value.Name)
			} else if p.Value.Example != nil {
				check(where+" parameter "+p.Value.Name, p.Value.Schema, p.Value.Example)
			}
		}
		if rb := op.Op.RequestBody; rb != nil {
			for mt, c := range rb.Value.Content {
				if c.Example == nil && len(c.Examples) == 0 {
					t.Errorf("%s: request %s has no example", where, mt)
				}
				if c.Example != nil {
					check(where+" request", c.Schema, c.Example)
				}
				for name, ex := range c.Examples {
					check(where+" request example "+name, c.Schema, ex.Value.Value)
				}
			}
		}
		for code, res := range op.Op.Responses.Map() {
			for mt, c := range res.Value.Content {
				if c.Example == nil {
					t.Errorf("%s %s: response %s has no example", where, code, mt)
					continue
				}
				check(where+" "+code, c.Schema, c.Example)
			}
		}
	}
}
