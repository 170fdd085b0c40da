package spec

import (
	"context"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// scopeNames are request names that name a resource of the scope hierarchy
// (or a session, objective or objective version inside it). Every place a
// request carries one of them must be a declared target location, so a new
// operation cannot add a way around the scope check without this test failing.
var scopeNames = map[string]bool{
	"domainId": true, "organizationId": true, "projectId": true, "projectIds": true,
	"sceneId": true, "sdkSceneId": true, "versionId": true,
	"sessionId": true, "sessionIds": true, "sdkSessionId": true, "sdkSessionIds": true, "sdkId": true,
	"objectiveId": true, "objectiveVersionId": true,
}

// notTargets are request places that carry a scope name but do not name a
// target, each with the reason.
var notTargets = map[string]string{
	// The Data Collector's ExitPoll answer belongs to the application key's
	// project (x-c3d-scope: user); sceneId and sessionId label the answer.
	"postQuestionSetResponses body:/sceneId":   "labels the answer inside the key's project",
	"postQuestionSetResponses body:/sessionId": "labels the answer inside the key's project",
	// Unity and Unreal send the scene version too; the handler files the
	// answer under it and answers 400 when it is not the key's project's.
	"postQuestionSetResponses body:/versionId": "labels the answer inside the key's project",
	// createScene's sceneId is the UUID of the scene being created (409 when taken).
	"createScene query:sceneId": "names the new scene",
}

func allDocs(t *testing.T) map[string]*openapi3.T {
	t.Helper()
	out := map[string]*openapi3.T{}
	for _, name := range []string{Public, DataCollector} {
		doc, err := Load(context.Background(), name)
		if err != nil {
			t.Fatal(err)
		}
		out[name] = doc
	}
	return out
}

// TestTargetLocationsExist: every declared location is a parameter of the
// operation or a pointer into its JSON request schema.
func TestTargetLocationsExist(t *testing.T) {
	for name, doc := range allDocs(t) {
		for _, op := range Operations(doc) {
			for _, l := range op.Targets {
				switch l.In {
				case InPath, InQuery:
					if !hasParam(doc, op, l.In, l.Name) {
						t.Errorf("%s %s: %s is not a %s parameter of the operation", name, op.ID, l, l.In)
					}
				case InBody:
					if !schemaHas(jsonSchema(op), strings.Split(strings.TrimPrefix(l.Name, "/"), "/"), 0) {
						t.Errorf("%s %s: %s is not in the request schema", name, op.ID, l)
					}
				}
			}
		}
	}
}

// TestEveryScopeNameIsATarget: every path or query parameter and body
// property with a scope name is declared in x-c3d-targets.
func TestEveryScopeNameIsATarget(t *testing.T) {
	for name, doc := range allDocs(t) {
		for _, op := range Operations(doc) {
			declared := map[string]bool{}
			for _, l := range op.Targets {
				declared[l.Where()] = true
			}
			var places []string
			for _, p := range params(doc, op) {
				if scopeNames[p.Name] && (p.In == InPath || p.In == InQuery) {
					places = append(places, p.In+":"+p.Name)
				}
			}
			walkSchema(jsonSchema(op), "", 0, func(pointer, prop string) {
				if scopeNames[prop] {
					places = append(places, InBody+":"+pointer)
				}
			})
			for _, p := range places {
				if !declared[p] && !declared[p+"/*"] && notTargets[op.ID+" "+p] == "" {
					t.Errorf("%s %s: %s names a %s but is not declared in %s", name, op.ID, p, p[strings.LastIndexAny(p, ":/")+1:], ExtTargets)
				}
			}
		}
	}
}

// TestEveryOperationTakesACredential: operations with a scope name the
// credential kinds they accept through their security schemes.
func TestEveryOperationTakesACredential(t *testing.T) {
	for name, doc := range allDocs(t) {
		for _, op := range Operations(doc) {
			if op.Scope != "none" && len(op.Credentials) == 0 {
				t.Errorf("%s %s: no security scheme with %s", name, op.ID, ExtCredentials)
			}
		}
	}
	dc := allDocs(t)[DataCollector]
	for _, op := range Operations(dc) {
		for _, c := range op.Credentials {
			if c == "cookie" {
				t.Errorf("Data Collector %s takes the dashboard cookie", op.ID)
			}
		}
	}
}

func TestParseTargetLocation(t *testing.T) {
	good := map[string]TargetLocation{
		"project path:projectId":                {Kind: KindProject, In: InPath, Name: "projectId"},
		"project[] query:projectIds":            {Kind: KindProject, Many: true, In: InQuery, Name: "projectIds"},
		"session[] body:/sdkSessionIds/*":       {Kind: KindSession, Many: true, In: InBody, Name: "/sdkSessionIds/*"},
		"project body:/entityFilters/projectId": {Kind: KindProject, In: InBody, Name: "/entityFilters/projectId"},
	}
	for s, want := range good {
		if got, err := ParseTargetLocation(s); err != nil || got != want {
			t.Errorf("ParseTargetLocation(%q) = %+v, %v; want %+v", s, got, err, want)
		} else if got.String() != s {
			t.Errorf("String() = %q, want %q", got.String(), s)
		}
	}
	for _, bad := range []string{"project", "planet path:x", "project header:x", "project body:projectId",
		"project body:/a/*", "session[] body:/a", "project[] path:projectId", "project path:"} {
		if _, err := ParseTargetLocation(bad); err == nil {
			t.Errorf("ParseTargetLocation(%q) accepted", bad)
		}
	}
}

func params(doc *openapi3.T, op Operation) []*openapi3.Parameter {
	var out []*openapi3.Parameter
	if item := doc.Paths.Value(op.Path); item != nil {
		for _, p := range item.Parameters {
			out = append(out, p.Value)
		}
	}
	for _, p := range op.Op.Parameters {
		out = append(out, p.Value)
	}
	return out
}

func hasParam(doc *openapi3.T, op Operation, in, name string) bool {
	for _, p := range params(doc, op) {
		if p.In == in && p.Name == name {
			return true
		}
	}
	return false
}

func jsonSchema(op Operation) *openapi3.SchemaRef {
	if op.Op.RequestBody == nil || op.Op.RequestBody.Value == nil {
		return nil
	}
	for mt, c := range op.Op.RequestBody.Value.Content {
		if mt == "application/json" || strings.HasSuffix(mt, "+json") {
			return c.Schema
		}
	}
	return nil
}

// subSchemas are the schemas s combines with its own properties.
func subSchemas(s *openapi3.Schema) []*openapi3.SchemaRef {
	var out []*openapi3.SchemaRef
	out = append(out, s.AllOf...)
	out = append(out, s.OneOf...)
	return append(out, s.AnyOf...)
}

func schemaHas(ref *openapi3.SchemaRef, tokens []string, depth int) bool {
	if ref == nil || ref.Value == nil || depth > 8 {
		return false
	}
	if len(tokens) == 0 {
		return true
	}
	s := ref.Value
	for _, sub := range subSchemas(s) {
		if schemaHas(sub, tokens, depth+1) {
			return true
		}
	}
	if tokens[0] == "*" {
		return s.Items != nil && schemaHas(s.Items, tokens[1:], depth+1)
	}
	return schemaHas(s.Properties[tokens[0]], tokens[1:], depth+1)
}

// walkSchema calls f for every property reachable from ref, with its JSON
// pointer ("*" for array elements). Filters are not walked: their field
// values are evaluated inside the request's one project.
func walkSchema(ref *openapi3.SchemaRef, pointer string, depth int, f func(pointer, prop string)) {
	if ref == nil || ref.Value == nil || depth > 6 {
		return
	}
	s := ref.Value
	for _, sub := range subSchemas(s) {
		walkSchema(sub, pointer, depth+1, f)
	}
	if s.Items != nil {
		walkSchema(s.Items, pointer+"/*", depth+1, f)
	}
	for name, p := range s.Properties {
		if strings.HasSuffix(name, "Filters") && name != "entityFilters" && name != "objectiveFilters" {
			continue
		}
		f(pointer+"/"+name, name)
		walkSchema(p, pointer+"/"+name, depth+1, f)
	}
}
