package spec

import (
	"context"
	"fmt"
	"sort"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// TestEveryParameterHasAnExample: example-driven tools (Dredd, Portman, Prism)
// fill each parameter from its example and stop, or leave the parameter out,
// where there is none. Every parameter of both documents (path, query, header
// and cookie; required or optional; an operation's, a path item's or a
// component) has an example, on the parameter, in its examples or on its
// schema, and the example is valid against the parameter's schema.
func TestEveryParameterHasAnExample(t *testing.T) {
	for _, name := range []string{Public, DataCollector} {
		doc, err := Load(context.Background(), name)
		if err != nil {
			t.Fatal(err)
		}
		var missing []string
		check := func(where string, ref *openapi3.ParameterRef) {
			p := ref.Value
			if p == nil {
				missing = append(missing, where+": unresolved "+ref.Ref)
				return
			}
			where = fmt.Sprintf("%s %s parameter %q", where, p.In, p.Name)
			examples := parameterExamples(p)
			if len(examples) == 0 {
				missing = append(missing, where+": no example")
				return
			}
			if p.Schema == nil || p.Schema.Value == nil {
				return
			}
			for _, ex := range examples {
				if err := p.Schema.Value.VisitJSON(ex); err != nil {
					missing = append(missing, fmt.Sprintf("%s: example %v is invalid: %v", where, ex, err))
				}
			}
		}
		for pname, ref := range doc.Components.Parameters {
			check("components.parameters."+pname, ref)
		}
		for path, item := range doc.Paths.Map() {
			for _, ref := range item.Parameters {
				check(path, ref)
			}
			for method, op := range item.Operations() {
				for _, ref := range op.Parameters {
					check(method+" "+path, ref)
				}
			}
		}
		sort.Strings(missing)
		for _, m := range missing {
			t.Errorf("%s: %s", name, m)
		}
	}
}

// parameterExamples returns the examples a tool finds for p: the parameter's
// example, its named examples, else its schema's example.
func parameterExamples(p *openapi3.Parameter) []any {
	var out []any
	if p.Example != nil {
		out = append(out, p.Example)
	}
	for _, e := range p.Examples {
		if e != nil && e.Value != nil && e.Value.Value != nil {
			out = append(out, e.Value.Value)
		}
	}
	if len(out) == 0 && p.Schema != nil && p.Schema.Value != nil && p.Schema.Value.Example != nil {
		out = append(out, p.Schema.Value.Example)
	}
	return out
}
