// Package spec embeds c3dmock's OpenAPI 3 documents of the Cognitive3D APIs and loads them.
package spec

import (
	"context"
	"embed"
	"fmt"
	"net/url"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// Names of the embedded documents.
const (
	Public        = "public.yaml"        // api.cognitive3d.com
	DataCollector = "datacollector.yaml" // data.cognitive3d.com
	Control       = "control.yaml"       // c3dmock's own /__c3dmock endpoints
)

//go:embed *.yaml
var files embed.FS

// Raw returns the embedded YAML source of the named document.
func Raw(name string) ([]byte, error) {
	return files.ReadFile(name)
}

// Load parses and validates the named embedded document and reduces its
// servers to their paths, so that routers match any host, port and scheme.
func Load(ctx context.Context, name string) (*openapi3.T, error) {
	data, err := Raw(name)
	if err != nil {
		return nil, fmt.Errorf("spec %s: %w", name, err)
	}
	return load(ctx, name, data)
}

// LoadPortable is Load of the named document's portable form (Portable).
func LoadPortable(ctx context.Context, name string) (*openapi3.T, error) {
	data, err := Portable(name)
	if err != nil {
		return nil, err
	}
	return load(ctx, name+" (portable)", data)
}

func load(ctx context.Context, name string, data []byte) (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	loader.Context = ctx
	doc, err := loader.LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("spec %s: parse: %w", name, err)
	}
	if err := doc.Validate(ctx); err != nil {
		return nil, fmt.Errorf("spec %s: invalid: %w", name, err)
	}
	for _, op := range Operations(doc) {
		if _, err := targetLocations(op.Op); err != nil {
			return nil, fmt.Errorf("spec %s: %w", name, err)
		}
	}
	for _, s := range doc.Servers {
		if u, err := url.Parse(s.URL); err == nil && u.Host != "" {
			s.URL = u.Path
		}
	}
	return doc, nil
}

// Extension names that c3dmock reads from every operation.
const (
	ExtScope      = "x-c3d-scope"      // domain | organization | project | version | user | none
	ExtAccess     = "x-c3d-access"     // read | write
	ExtProvenance = "x-c3d-provenance" // V-doc | V-code | V-fixture | V-live | 3P | I; c3dmock (ProvenanceOwn)
	// ExtTrailingSlash (bool, on an operation) makes c3dmock answer its path
	// with a trailing slash too: a vendor source writes it that way.
	ExtTrailingSlash = "x-c3d-trailing-slash"
	ExtDead          = "x-c3d-dead" // true: the vendor removed the route and answers 404
	ExtRole          = "x-c3d-role" // optional least role at the scope: admin | member | observer
	// ExtCredentials, on a security scheme, lists the credential kinds it stands
	// for: organization, legacy, domain (keys of the public API), data,
	// developer (Data Collector keys) or cookie (the dashboard's session).
	ExtCredentials = "x-c3d-credentials"
	// ExtControl "open" (control document) exempts an operation from the
	// control token: the health check.
	ExtControl = "x-c3d-control"
)

// ProvenanceOwn is the x-c3d-provenance of every operation of the control
// document: c3dmock's own contract, not a fact about the vendor's API.
const ProvenanceOwn = "c3dmock"

// credentials lists the credential kinds op accepts: those of the security
// schemes its security (else the document's) names, in scheme order.
func credentials(doc *openapi3.T, op *openapi3.Operation) []string {
	reqs := doc.Security
	if op.Security != nil {
		reqs = *op.Security
	}
	var out []string
	seen := map[string]bool{}
	for _, req := range reqs {
		names := make([]string, 0, len(req))
		for name := range req {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			if doc.Components == nil || doc.Components.SecuritySchemes[name] == nil || doc.Components.SecuritySchemes[name].Value == nil {
				continue
			}
			kinds, _ := doc.Components.SecuritySchemes[name].Value.Extensions[ExtCredentials].([]any)
			for _, k := range kinds {
				if s, ok := k.(string); ok && !seen[s] {
					seen[s] = true
					out = append(out, s)
				}
			}
		}
	}
	return out
}

// Operation is one operation of a document with the c3dmock extensions read out.
type Operation struct {
	Method, Path, ID, Tag     string
	Scope, Access, Provenance string
	Dead                      bool             // x-c3d-dead: the vendor answers 404
	Role                      string           // x-c3d-role: least role needed at Scope; "" means the access default
	Targets                   []TargetLocation // x-c3d-targets: every place the request names a target
	Credentials               []string         // credential kinds its security schemes take (x-c3d-credentials)
	Op                        *openapi3.Operation
}

// Write reports whether the operation changes state.
func (o Operation) Write() bool { return o.Access == "write" }

// Operations lists the operations of doc sorted by path then method.
func Operations(doc *openapi3.T) []Operation {
	var ops []Operation
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			o := Operation{Method: method, Path: path, ID: op.OperationID, Op: op,
				Scope: ext(op, ExtScope), Access: ext(op, ExtAccess), Provenance: ext(op, ExtProvenance), Dead: ext(op, ExtDead) == "true",
				Role: ext(op, ExtRole)}
			o.Targets, _ = targetLocations(op) // Load has checked them
			o.Credentials = credentials(doc, op)
			if len(op.Tags) > 0 {
				o.Tag = op.Tags[0]
			}
			ops = append(ops, o)
		}
	}
	sort.Slice(ops, func(i, j int) bool {
		if ops[i].Path != ops[j].Path {
			return ops[i].Path < ops[j].Path
		}
		return ops[i].Method < ops[j].Method
	})
	return ops
}

func ext(op *openapi3.Operation, name string) string {
	v, ok := op.Extensions[name]
	if !ok {
		return ""
	}
	if s, ok := v.(string); ok {
		return s
	}
	return strings.Trim(fmt.Sprint(v), `"`)
}
