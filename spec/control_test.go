package spec

import (
	"context"
	"fmt"
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

// errorNames is the Error body's code for each status a control operation
// documents (mock/apierr).
var errorNames = map[string]string{
	"400": "invalid_request", "401": "unauthorized", "403": "forbidden", "404": "not_found",
	"405": "method_not_allowed", "409": "conflict", "413": "request_too_large",
	"415": "unsupported_media_type", "507": "insufficient_storage",
}

// TestControlDocumentGuards: the document says what the control pipeline
// does to every operation (mock/control.go): the token (401) on all but the
// health check, the control header (a required parameter, 403) on every
// method but GET, the media type and size (415, 413) wherever a body is
// taken, the sandbox selector (400 bad name, 507 no room for a new sandbox)
// on per-sandbox operations. Every operation has a description, and every
// error response uses the Error schema with an example whose status and
// code are those of the response, so a tool that serves the examples (a
// Prism-style mock) answers a 401 with a 401 body.
func TestControlDocumentGuards(t *testing.T) {
	doc, err := Load(context.Background(), Control)
	if err != nil {
		t.Fatal(err)
	}
	errSchema := doc.Components.Schemas["Error"].Value
	for _, op := range Operations(doc) {
		where := op.Method + " " + op.Path + " (" + op.ID + ")"
		if op.Op.Description == "" {
			t.Errorf("%s: no description", where)
		}
		wantAccess := "write"
		if op.Method == "GET" || op.ID == "verify" {
			wantAccess = "read"
		}
		if op.Scope != "none" || op.Access != wantAccess || op.Provenance != ProvenanceOwn || len(op.Credentials) != 0 {
			t.Errorf("%s: scope %q, access %q, provenance %q, credentials %v; want none, %s, %s and no vendor credential",
				where, op.Scope, op.Access, op.Provenance, op.Credentials, wantAccess, ProvenanceOwn)
		}
		has := func(code string) bool { return op.Op.Responses.Value(code) != nil }
		want := func(why string, codes ...string) {
			t.Helper()
			for _, c := range codes {
				if !has(c) {
					t.Errorf("%s: no %s response (%s)", where, c, why)
				}
			}
		}
		params := map[string]*openapi3.Parameter{}
		for _, p := range op.Op.Parameters {
			params[p.Value.In+":"+p.Value.Name] = p.Value
		}
		if op.ID != "healthz" {
			want("control token", "401")
		} else if op.Op.Extensions[ExtControl] != "open" {
			t.Errorf("%s: the health check must be %s: open (no token)", where, ExtControl)
		}
		if ctl := params["header:C3dmock-Control"]; op.Method != "GET" {
			want("control header", "403")
			if ctl == nil || !ctl.Required {
				t.Errorf("%s: changes state but does not require the C3dmock-Control header", where)
			}
		} else if ctl != nil {
			t.Errorf("%s: a read takes the C3dmock-Control header", where)
		}
		if op.Op.RequestBody != nil {
			want("body", "413", "415")
		}
		if sb := params["header:C3dmock-Sandbox"]; sb != nil {
			want("sandbox selector", "400", "507")
			if sb.Required || sb.Schema == nil || sb.Schema.Value.Pattern != "^[A-Za-z0-9_.-]{1,64}$" {
				t.Errorf("%s: C3dmock-Sandbox must be optional with the sandbox name pattern", where)
			}
		}
		for code, res := range op.Op.Responses.Map() {
			name, isErr := errorNames[code]
			if !isErr {
				continue
			}
			mt := res.Value.Content.Get("application/json")
			if mt == nil || mt.Schema == nil || mt.Schema.Value != errSchema {
				t.Errorf("%s %s: does not use the Error schema", where, code)
				continue
			}
			ex, _ := mt.Example.(map[string]any)
			if ex == nil {
				t.Errorf("%s %s: no example body", where, code)
				continue
			}
			if fmt.Sprint(ex["status"]) != code || ex["code"] != name {
				t.Errorf("%s %s: example has status %v and code %v, want %s and %s", where, code, ex["status"], ex["code"], code, name)
			}
		}
	}
}
