package spec

import (
	"bytes"
	"context"
	"os"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"go.yaml.in/yaml/v4"
)

// TestPortable: the portable form of each document loads and validates with
// kin-openapi, has no $ref cycle among its schemas and no cookie security
// scheme, says so in info.description, and keeps every operation as it is;
// the normal document still has both constructs.
func TestPortable(t *testing.T) {
	ctx := context.Background()
	for _, name := range []string{Public, DataCollector} {
		t.Run(name, func(t *testing.T) {
			out, err := Portable(name)
			if err != nil {
				t.Fatal(err)
			}
			again, _ := Portable(name)
			if !bytes.Equal(out, again) {
				t.Error("two calls give different documents")
			}
			var tree map[string]any
			if err := yaml.Unmarshal(out, &tree); err != nil {
				t.Fatal(err)
			}
			if cycle := schemaCycle(tree); cycle != nil {
				t.Errorf("portable schemas still recurse: %s", strings.Join(cycle, " → "))
			}
			port, err := LoadPortable(ctx, name)
			if err != nil {
				t.Fatalf("the portable document does not validate: %v", err)
			}
			for n, s := range port.Components.SecuritySchemes {
				if s.Value.In == "cookie" {
					t.Errorf("security scheme %s is still a cookie", n)
				}
			}
			if !strings.Contains(port.Info.Description, "Portable form (`c3dmock spec --portable`)") {
				t.Error("info.description does not describe the portable form")
			}

			// Every operation stays: same path, method, id, extensions, parameters and
			// responses, and the same credentials but the cookie.
			doc, err := Load(ctx, name)
			if err != nil {
				t.Fatal(err)
			}
			want, got := Operations(doc), Operations(port)
			if len(want) != len(got) {
				t.Fatalf("%d operations, want %d", len(got), len(want))
			}
			for i, w := range want {
				g := got[i]
				if g.Method != w.Method || g.Path != w.Path || g.ID != w.ID || g.Scope != w.Scope || g.Access != w.Access ||
					g.Provenance != w.Provenance || g.Role != w.Role || !reflect.DeepEqual(g.Targets, w.Targets) {
					t.Errorf("operation %s %s changed: %+v, want %+v", w.Method, w.Path, g, w)
				}
				if creds := slices.DeleteFunc(slices.Clone(w.Credentials), func(c string) bool { return c == "cookie" }); !slices.Equal(g.Credentials, creds) {
					t.Errorf("%s: credentials %v, want %v", w.ID, g.Credentials, creds)
				}
				wantCodes := map[string]bool{}
				for code := range w.Op.Responses.Map() {
					if statuses, ok := rangeStatuses[code]; ok {
						for _, c := range statuses {
							wantCodes[c] = true
						}
						continue
					}
					wantCodes[code] = true
				}
				gotCodes := map[string]bool{}
				for code := range g.Op.Responses.Map() {
					gotCodes[code] = true
				}
				if len(g.Op.Parameters) != len(w.Op.Parameters) || !reflect.DeepEqual(gotCodes, wantCodes) {
					t.Errorf("%s: parameters or responses changed (responses %v, want %v with ranges written out)", w.ID, gotCodes, wantCodes)
				}
			}
			// Schemas: every schema stays; the new ones are the unrolled levels.
			for n := range doc.Components.Schemas {
				if port.Components.Schemas[n] == nil {
					t.Errorf("schema %s is gone", n)
				}
			}
			for n := range port.Components.Schemas {
				if doc.Components.Schemas[n] == nil && !strings.Contains(n, "Level") {
					t.Errorf("new schema %s is not an unrolled level", n)
				}
			}
		})
	}
}

// TestPortableFilter: the public document's Filter keeps its meaning in the
// portable form: nested filters are checked down to the fourth level and any
// deeper nesting is still valid; the normal document is unchanged and still
// recursive, with its cookie scheme.
func TestPortableFilter(t *testing.T) {
	port, err := LoadPortable(context.Background(), Public)
	if err != nil {
		t.Fatal(err)
	}
	filter := port.Components.Schemas["Filter"].Value
	leaf := map[string]any{"op": "eq", "field": map[string]any{"nestedFieldName": "booleanSessionProp", "path": "c3d.session_tag.test"}, "value": false}
	nest := func(depth int, inner map[string]any) map[string]any {
		f := inner
		for range depth {
			f = map[string]any{"op": "and", "children": []any{f}}
		}
		return f
	}
	if err := filter.VisitJSON(nest(6, leaf)); err != nil {
		t.Errorf("a filter nested 7 deep is invalid in the portable form: %v", err)
	}
	for depth := 1; depth < PortableDepth; depth++ {
		bad := nest(depth, map[string]any{"op": "bogus"})
		if err := filter.VisitJSON(bad); err == nil {
			t.Errorf("a bad op at level %d is valid in the portable form", depth+1)
		}
	}
	for l := 2; l <= PortableDepth; l++ {
		if port.Components.Schemas[portableLevel("Filter", l)] == nil {
			t.Errorf("no schema %s", portableLevel("Filter", l))
		}
	}

	raw, err := Raw(Public)
	if err != nil {
		t.Fatal(err)
	}
	disk, err := os.ReadFile(Public)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(raw, disk) {
		t.Error("Raw(Public) is not the document on disk")
	}
	var tree map[string]any
	if err := yaml.Unmarshal(raw, &tree); err != nil {
		t.Fatal(err)
	}
	if schemaCycle(tree) == nil {
		t.Error("the normal document lost its recursive Filter")
	}
	doc, err := Load(context.Background(), Public)
	if err != nil {
		t.Fatal(err)
	}
	if s := doc.Components.SecuritySchemes["sessionCookie"]; s == nil || s.Value.In != "cookie" {
		t.Error("the normal document lost its cookie scheme")
	}
}

// TestPortableTransform runs the transformation on small documents: mutual
// recursion is unrolled as a group, and a cookie scheme that is an
// operation's only security is refused rather than made public.
func TestPortableTransform(t *testing.T) {
	mutual := `
openapi: 3.0.3
info: {title: t, version: "1", description: d}
paths: {}
components:
  schemas:
    A:
      type: object
      properties:
        b: {$ref: '#/components/schemas/B'}
    B:
      type: array
      items: {$ref: '#/components/schemas/A'}
    C:
      $ref: '#/components/schemas/A'
`
	var doc yaml.Node
	if err := yaml.Load([]byte(mutual), &doc); err != nil {
		t.Fatal(err)
	}
	groups, err := unrollRecursiveSchemas(doc.Content[0])
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(groups, [][]string{{"A", "B"}}) {
		t.Errorf("groups %v, want [[A B]]", groups)
	}
	out, err := yaml.Dump(&doc)
	if err != nil {
		t.Fatal(err)
	}
	var tree map[string]any
	if err := yaml.Unmarshal(out, &tree); err != nil {
		t.Fatal(err)
	}
	if c := schemaCycle(tree); c != nil {
		t.Errorf("cycle left: %v\n%s", c, out)
	}
	loader := openapi3.NewLoader()
	d, err := loader.LoadFromData(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Validate(context.Background()); err != nil {
		t.Errorf("unrolled document invalid: %v\n%s", err, out)
	}
	var names []string
	for n := range d.Components.Schemas {
		names = append(names, n)
	}
	sort.Strings(names)
	if want := []string{"A", "ALevel2", "ALevel3", "ALevel4", "B", "BLevel2", "BLevel3", "BLevel4", "C"}; !slices.Equal(names, want) {
		t.Errorf("schemas %v, want %v", names, want)
	}

	cookieOnly := `
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /x:
    get:
      security: [{cookie: []}]
      responses: {'200': {description: ok}}
components:
  securitySchemes:
    cookie: {type: apiKey, in: cookie, name: s}
`
	if err := yaml.Load([]byte(cookieOnly), &doc); err != nil {
		t.Fatal(err)
	}
	if _, err := removeCookieSchemes(doc.Content[0]); err == nil || !strings.Contains(err.Error(), "get /x") {
		t.Errorf("removing an operation's only scheme: %v, want an error naming get /x", err)
	}
}

// schemaCycle returns a $ref cycle among the schemas of an unmarshalled
// document, or nil.
func schemaCycle(tree map[string]any) []string {
	components, _ := tree["components"].(map[string]any)
	schemas, _ := components["schemas"].(map[string]any)
	refs := map[string][]string{}
	var collect func(from string, v any)
	collect = func(from string, v any) {
		switch v := v.(type) {
		case map[string]any:
			if r, ok := v["$ref"].(string); ok {
				if t, ok := strings.CutPrefix(r, "#/components/schemas/"); ok {
					refs[from] = append(refs[from], t)
				}
			}
			for _, c := range v {
				collect(from, c)
			}
		case []any:
			for _, c := range v {
				collect(from, c)
			}
		}
	}
	names := make([]string, 0, len(schemas))
	for n, s := range schemas {
		names = append(names, n)
		collect(n, s)
	}
	sort.Strings(names)
	const (
		unseen = iota
		open
		done
	)
	state := map[string]int{}
	var path []string
	var found []string
	var dfs func(n string) bool
	dfs = func(n string) bool {
		state[n] = open
		path = append(path, n)
		for _, m := range refs[n] {
			switch state[m] {
			case open:
				found = append(slices.Clone(path[slices.Index(path, m):]), m)
				return true
			case unseen:
				if dfs(m) {
					return true
				}
			}
		}
		path = path[:len(path)-1]
		state[n] = done
		return false
	}
	for _, n := range names {
		if state[n] == unseen && dfs(n) {
			return found
		}
	}
	return nil
}
