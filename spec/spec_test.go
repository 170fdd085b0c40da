package spec

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

func loadPublic(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := Load(context.Background(), Public)
	if err != nil {
		t.Fatalf("Load(%s): %v", Public, err)
	}
	return doc
}

func newRouter(t *testing.T, doc *openapi3.T) routers.Router {
	t.Helper()
	r, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatalf("gorillamux.NewRouter: %v", err)
	}
	return r
}

func TestLoad(t *testing.T) {
	doc := loadPublic(t)
	if doc.OpenAPI != "3.0.3" {
		t.Errorf("openapi = %q, want 3.0.3", doc.OpenAPI)
	}
	if len(doc.Servers) != 2 {
		t.Errorf("got %d servers, want 2", len(doc.Servers))
	}
	for _, s := range doc.Servers {
		u, err := url.Parse(s.URL)
		if err != nil {
			t.Errorf("server URL %q: %v", s.URL, err)
			continue
		}
		if u.Host != "" {
			t.Errorf("server URL %q still has host %q after Load", s.URL, u.Host)
		}
	}
	for _, name := range []string{"apiKey", "sessionCookie"} {
		if doc.Components.SecuritySchemes[name] == nil {
			t.Errorf("missing security scheme %s", name)
		}
	}
}

var (
	allowedScopes      = map[string]bool{"none": true, "user": true, "domain": true, "organization": true, "project": true, "version": true}
	allowedAccess      = map[string]bool{"read": true, "write": true}
	allowedProvenances = map[string]bool{"V-doc": true, "V-code": true, "V-fixture": true, "V-live": true, "3P": true, "I": true}
	allowedTags        = map[string]bool{"auth": true, "organizations": true, "projects": true, "scenes": true, "objects": true,
		"sessions": true, "analytics": true, "objectives": true, "exitpoll": true, "remoteConfig": true, "media": true,
		"dashboards": true, "reviews": true}
)

func TestOperationsHaveExtensions(t *testing.T) {
	doc := loadPublic(t)
	ops := Operations(doc)
	if len(ops) < 90 {
		t.Errorf("only %d operations", len(ops))
	}
	seen := map[string]string{}
	for _, o := range ops {
		where := o.Method + " " + o.Path
		if o.ID == "" {
			t.Errorf("%s: empty operationId", where)
		} else if prev, dup := seen[o.ID]; dup {
			t.Errorf("%s: operationId %q already used by %s", where, o.ID, prev)
		}
		seen[o.ID] = where
		if len(o.Op.Tags) != 1 || !allowedTags[o.Tag] {
			t.Errorf("%s: tags %v, want exactly one of the resource groups", where, o.Op.Tags)
		}
		if !allowedScopes[o.Scope] {
			t.Errorf("%s: %s = %q", where, ExtScope, o.Scope)
		}
		if !allowedAccess[o.Access] {
			t.Errorf("%s: %s = %q", where, ExtAccess, o.Access)
		}
		if !allowedProvenances[o.Provenance] {
			t.Errorf("%s: %s = %q", where, ExtProvenance, o.Provenance)
		}
		if o.Method == http.MethodGet && o.Write() {
			t.Errorf("%s: a GET must be read access", where)
		}
		if rb := o.Op.RequestBody; rb != nil && rb.Value != nil {
			if mt := rb.Value.Content.Get("application/json"); mt != nil {
				if mt.Schema == nil || mt.Schema.Value == nil || !mt.Schema.Value.Type.Is("object") {
					t.Errorf("%s: JSON request body schema is not type object", where)
				}
			}
		}
		dead := ext(o.Op, ExtDead) == "true"
		if dead != o.Op.Deprecated {
			t.Errorf("%s: %s=%v but deprecated=%v", where, ExtDead, dead, o.Op.Deprecated)
		}
		codes := []string{"401", "404"}
		if !dead {
			codes = append(codes, "400", "403")
			if rb := o.Op.RequestBody; rb != nil && rb.Value != nil {
				codes = append(codes, "415")
			}
		}
		for _, code := range codes {
			r := o.Op.Responses.Value(code)
			if r == nil || r.Value == nil {
				t.Errorf("%s: no %s response", where, code)
				continue
			}
			mt := r.Value.Content.Get("application/json")
			if mt == nil || mt.Schema == nil || mt.Schema.Value != doc.Components.Schemas["Error"].Value {
				t.Errorf("%s: %s response does not use the Error schema", where, code)
			}
		}
		if dead {
			for code := range o.Op.Responses.Map() {
				if code != "401" && code != "404" {
					t.Errorf("%s: dead route has a %s response", where, code)
				}
			}
		}
	}
	if o := seen["login"]; o == "" {
		t.Error("no login operation")
	}
	for _, o := range ops {
		if o.ID == "login" && (o.Op.Security == nil || len(*o.Op.Security) != 0) {
			t.Error("login must have security: []")
		}
		if o.ID == "login" && o.Scope != "none" {
			t.Errorf("login scope = %q, want none", o.Scope)
		}
	}
}

func findRoute(t *testing.T, r routers.Router, req *http.Request) (*routers.Route, map[string]string) {
	t.Helper()
	route, params, err := r.FindRoute(req)
	if err != nil {
		t.Fatalf("%s %s: FindRoute: %v", req.Method, req.URL, err)
	}
	return route, params
}

func TestRouting(t *testing.T) {
	doc := loadPublic(t)
	r := newRouter(t, doc)
	cases := []struct {
		method, target, want string
	}{
		{"GET", "/v0/organizations/apiKeys/whoami", "whoami"},
		{"GET", "/v0/organizations/12/tags", "listOrganizationTags"},
		{"POST", "/v0/organizations/12/tags", "createOrganizationTag"},
		{"GET", "/v0/organizations/12/tags/all", "listAllOrganizationTags"},
		{"GET", "/v0/organizations/12", "getOrganization"},
		{"POST", "/v0/sessions", "login"},
		{"GET", "/v0/sessions/current", "getCurrentSession"},
		{"GET", "/v0/versions/141/files/scene/scene.gltf", "getVersionSceneFile"},
		{"GET", "/v0/versions/141/files/optimized/scene/scene.bin", "getVersionOptimizedSceneFile"},
		{"GET", "/v0/versions/141/files/screenshot_small/screenshot.png", "getVersionScreenshotSmall"},
		{"GET", "/v0/versions/141/files/screenshot/screenshot.png", "getVersionScreenshot"},
		{"GET", "/v0/projects/341/reviews/session?sdkSessionId=x", "getSessionReview"},
		{"DELETE", "/v0/versions/141/objectives/269", "deleteObjective"},
		{"GET", "/v0/versions/141/objectiveVersions/445/stepResults", "getObjectiveVersionStepResults"},
		{"POST", "/v0/versions/141/sessionsReport.pdf", "createVersionSessionsReport"},
		{"GET", "/v0/projects/341/questionSets/survey/2/responses", "listQuestionSetResponses"},
		{"DELETE", "/v0/projects/341/questionSets/survey", "deleteQuestionSet"},
	}
	for _, c := range cases {
		req := httptest.NewRequest(c.method, "https://api.cognitive3d.com"+c.target, nil)
		route, _ := findRoute(t, r, req)
		if route.Operation.OperationID != c.want {
			t.Errorf("%s %s routed to %s, want %s", c.method, c.target, route.Operation.OperationID, c.want)
		}
	}
}

// fixtureCase is the request that produced a vendor fixture.
type fixtureCase struct {
	method, target string
	body           string // request body for POSTs (what the official client sends)
}

// Requests as sent by the official clients (api.md §6.6 SE1, §6.8 OB8/OB9, §6.9 EP6).
const (
	testJunkFilters = `[
		{"op":"eq","field":{"nestedFieldName":"booleanSessionProp","path":"c3d.session_tag.test"},"value":false},
		{"op":"eq","field":{"nestedFieldName":"booleanSessionProp","path":"c3d.session_tag.junk"},"value":false},
		{"op":"gte","field":{"fieldName":"date","fieldParent":"session"},"value":1748736000000},
		{"op":"gte","field":{"fieldName":"duration","fieldParent":"session"},"value":0}]`
	projectSessionsBody = `{"page":0,"limit":100,"sort":"desc","orderBy":{"fieldName":"date","fieldParent":"session"},
		"entityFilters":{"projectId":1234},"sessionFilters":` + testJunkFilters + `,"eventFilters":[],"objectiveFilters":[],
		"userFilters":[],"sessionType":"project","includeEvents":false,"includeAllObjectiveData":false}`
	eventSessionsBody = `{"page":0,"limit":100,"sort":"desc","orderBy":{"fieldName":"date","fieldParent":"session"},
		"entityFilters":{"projectId":4460},"sessionFilters":` + testJunkFilters + `,"sessionType":"project","includeEvents":true}`
	sceneSessionsBody = `{"page":0,"limit":100,"sort":"desc","orderBy":{"fieldName":"date","fieldParent":"session"},
		"entityFilters":{"projectId":2797,"sceneId":"de704574-b03f-424e-be87-4985f85ed2e8","versionId":7011},
		"sessionFilters":` + testJunkFilters + `,"sessionType":"scene","includeAllObjectiveData":true}`
	objByVersionBody   = `{"projectId":1234,"sliceByObjectiveVersion":true,"sessionFilters":` + testJunkFilters + `,"eventFilters":[],"separableEventFilters":[],"userFilters":[]}`
	objByObjectiveBody = `{"projectId":2797,"sliceByObjective":true,"sessionFilters":` + testJunkFilters + `,"eventFilters":[],"separableEventFilters":[],"userFilters":[]}`
	stepsBody          = `{"projectId":2797,"objectiveVersionId":%d,"sessionFilters":` + testJunkFilters + `,"eventFilters":[],"separableEventFilters":[],"userFilters":[]}`
	responseCountBody  = `{"sessionFilters":[{"op":"and","children":` + testJunkFilters + `}]}`
)

func stepsFor(id int) string { return strings.Replace(stepsBody, "%d", strconv.Itoa(id), 1) }

var vendorFixtures = map[string]fixtureCase{
	"python-client/sessions_page.json":             {"POST", "/v0/datasets/sessions/paginatedListQueries", projectSessionsBody},
	"python-client/sessions_with_events.json":      {"POST", "/v0/datasets/sessions/paginatedListQueries", eventSessionsBody},
	"python-client/sessions_with_objectives.json":  {"POST", "/v0/datasets/sessions/paginatedListQueries", sceneSessionsBody},
	"python-client/project.json":                   {"GET", "/v0/projects/1234?useImageLocations=true&attachStats=false", ""},
	"python-client/objects.json":                   {"GET", "/v0/projects/1234/objects", ""},
	"python-client/objectives.json":                {"GET", "/v0/projects/1234/objectives", ""},
	"python-client/objective_results.json":         {"POST", "/v0/datasets/objectives/objectiveResultQueries", objByVersionBody},
	"python-client/objective_step_results.json":    {"POST", "/v0/datasets/objectives/objectiveStepResultQueries", objByVersionBody},
	"python-client/questionsets.json":              {"GET", "/v0/questionSets?projectIds=1234", ""},
	"python-client/questionset_responses.json":     {"POST", "/v0/projects/1234/questionSets/survey/1/responseCountQueries", responseCountBody},
	"r-client/list_sessions_response.json":         {"POST", "/v0/datasets/sessions/paginatedListQueries", projectSessionsBody},
	"r-client/scene_sessions_response.json":        {"POST", "/v0/datasets/sessions/paginatedListQueries", sceneSessionsBody},
	"r-client/events_response.json":                {"POST", "/v0/datasets/sessions/paginatedListQueries", eventSessionsBody},
	"r-client/scenes_metadata.json":                {"GET", "/v0/projects/2797?useImageLocations=true&attachStats=false", ""},
	"r-client/objects_response.json":               {"GET", "/v0/projects/2797/objects", ""},
	"r-client/objectives_metadata.json":            {"GET", "/v0/projects/2797/objectives", ""},
	"r-client/objective_results_by_objective.json": {"POST", "/v0/datasets/objectives/objectiveResultQueries", objByObjectiveBody},
	"r-client/objective_results_by_version.json":   {"POST", "/v0/datasets/objectives/objectiveResultQueries", objByVersionBody},
	"r-client/step_results_829.json":               {"POST", "/v0/datasets/objectives/objectiveStepResultQueries", stepsFor(829)},
	"r-client/step_results_900.json":               {"POST", "/v0/datasets/objectives/objectiveStepResultQueries", stepsFor(900)},
	"r-client/exitpoll_hooks.json":                 {"GET", "/v0/questionSets?projectIds=2797", ""},
	"r-client/exitpoll_questionset.json":           {"GET", "/v0/projects/2797/questionSets/end_questions", ""},
	"r-client/exitpoll_responses_v3.json":          {"POST", "/v0/projects/2797/questionSets/end_questions/3/responseCountQueries", responseCountBody},
}

var filterOpts = &openapi3filter.Options{
	IncludeResponseStatus: true,
	AuthenticationFunc:    openapi3filter.NoopAuthenticationFunc,
	MultiError:            true,
}

// exchange validates a request (when validateReq) and its 200/201 response against the spec.
func exchange(t *testing.T, r routers.Router, method, target, reqBody string, status int, respBody []byte) (reqErr, respErr error) {
	t.Helper()
	var body io.Reader
	if reqBody != "" {
		body = strings.NewReader(reqBody)
	}
	req := httptest.NewRequest(method, "https://api.cognitive3d.com"+target, body)
	if reqBody != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "orgkey-test")
	route, params := findRoute(t, r, req)
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: filterOpts}
	reqErr = openapi3filter.ValidateRequest(context.Background(), in)
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 status,
		Header:                 http.Header{"Content-Type": {"application/json"}},
		Options:                filterOpts,
	}
	out.SetBodyBytes(respBody)
	respErr = openapi3filter.ValidateResponse(context.Background(), out)
	return reqErr, respErr
}

func TestVendorFixturesValidate(t *testing.T) {
	doc := loadPublic(t)
	r := newRouter(t, doc)
	root := filepath.Join("testdata", "vendor")
	var files []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(path, ".json") {
			rel, _ := filepath.Rel(root, path)
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	if len(files) != len(vendorFixtures) {
		t.Errorf("found %d fixtures, table has %d", len(files), len(vendorFixtures))
	}
	for _, f := range files {
		c, ok := vendorFixtures[f]
		if !ok {
			t.Errorf("fixture %s has no entry in vendorFixtures", f)
			continue
		}
		t.Run(f, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(f)))
			if err != nil {
				t.Fatal(err)
			}
			reqErr, respErr := exchange(t, r, c.method, c.target, c.body, http.StatusOK, data)
			if reqErr != nil {
				t.Errorf("client request rejected: %v", reqErr)
			}
			if respErr != nil {
				t.Errorf("fixture rejected: %v", respErr)
			}
		})
	}
	for f := range vendorFixtures {
		if _, err := os.Stat(filepath.Join(root, filepath.FromSlash(f))); err != nil {
			t.Errorf("table entry %s: %v", f, err)
		}
	}
}

// TestSchemasReject proves the checks can fail.
func TestSchemasReject(t *testing.T) {
	doc := loadPublic(t)
	r := newRouter(t, doc)
	const list = "/v0/datasets/sessions/paginatedListQueries"
	page := []byte(`{"count":"x","pages":1,"results":[]}`)
	if _, err := exchange(t, r, "POST", list, projectSessionsBody, 200, page); err == nil {
		t.Error("a session page with count \"x\" was accepted")
	}
	if _, err := exchange(t, r, "POST", list, projectSessionsBody, 200, []byte(`{"count":1,"pages":1,"results":[{"sessionId":"s","events":[{"name":"e","eventHash":1.5}]}]}`)); err == nil {
		t.Error("a fractional eventHash was accepted")
	}
	if _, err := exchange(t, r, "POST", list, projectSessionsBody, 418, []byte(`{}`)); err == nil {
		t.Error("an undeclared status was accepted")
	}
	ok := []byte(`{"count":0,"pages":0,"results":[]}`)
	badRequests := map[string]string{
		"string entityFilters.projectId": `{"entityFilters":{"projectId":"1234"},"sessionType":"project"}`,
		"bare array":                     `[]`,
		"unknown sessionType":            `{"entityFilters":{"projectId":1},"sessionType":"global"}`,
		"unknown filter op":              `{"entityFilters":{"projectId":1},"sessionFilters":[{"op":"like","value":1}]}`,
		"filter without op":              `{"entityFilters":{"projectId":1},"sessionFilters":[{"value":1}]}`,
		"bad nested child":               `{"entityFilters":{"projectId":1},"sessionFilters":[{"op":"and","children":[{"op":"eq","field":{"fieldParent":"user"}}]}]}`,
	}
	for name, body := range badRequests {
		if err, _ := exchange(t, r, "POST", list, body, 200, ok); err == nil {
			t.Errorf("request with %s was accepted", name)
		}
	}
	counts := "/v0/projects/1/questionSets/s/1/responseCountQueries"
	if err, _ := exchange(t, r, "POST", counts, `[]`, 200, []byte(`[]`)); err == nil {
		t.Error("responseCountQueries accepted a bare array")
	}
	if err, _ := exchange(t, r, "POST", counts, `{"sessionFilters":[]}`, 200, []byte(`[]`)); err != nil {
		t.Errorf("responseCountQueries rejected {\"sessionFilters\":[]}: %v", err)
	}
	single := "/v0/datasets/sessions/singleProjectSessionQueries"
	for _, body := range []string{`{"projectId":"341","sessionId":"s"}`, `{"projectId":341,"sessionId":"s"}`} {
		if err, _ := exchange(t, r, "POST", single, body, 200, []byte(`{"sessionId":"s"}`)); err != nil {
			t.Errorf("singleProjectSessionQueries rejected %s: %v", body, err)
		}
	}
	if err, _ := exchange(t, r, "POST", "/v0/sessions", `{"email":"a@b.c"}`, 200, []byte(`{"userId":1,"csrf":"x"}`)); err == nil {
		t.Error("login without password was accepted")
	}
	tag := "/v0/organizations/12/tags"
	if err, _ := exchange(t, r, "POST", tag, `{"title":"t","colourHex":"zzzzzz"}`, 201, []byte(`{"id":1,"title":"t"}`)); err == nil {
		t.Error("a bad colourHex was accepted")
	}
	if err, resp := exchange(t, r, "POST", tag, `{"title":"t","colourHex":"ffffff","projectIds":["14",15]}`, 201, []byte(`{"id":1,"title":"t"}`)); err != nil || resp != nil {
		t.Errorf("valid tag create rejected: %v / %v", err, resp)
	}
	nullEq := `{"entityFilters":{"projectId":1},"sessionFilters":[{"op":"neq","field":{"nestedFieldName":"textualSessionProp","path":"c3d.app.version"},"value":null},
		{"op":"in","field":{"fieldName":"participantId"},"values":["a","b"]},{"op":"range","field":{"fieldName":"duration"},"min":0,"max":60000},
		{"op":"wildcard","field":{"unnestedFieldName":"textualSessionProp","path":"c3d.device.model"},"value":"*Quest*"}],
		"userFilters":[{"field":"sessionDatesArray","op":"outsideRange","min":1,"max":2}],
		"objectiveFilters":[{"objectiveVersionId":445,"type":"stepPassed","step":1}]}`
	if err, _ := exchange(t, r, "POST", list, nullEq, 200, ok); err != nil {
		t.Errorf("valid filters rejected: %v", err)
	}
	slicer := `{"sessionType":"project","entityFilters":{"projectId":541},"sessionFilters":[{"op":"AND","children":[]}],
		"aggregation":{"name":"main","operations":[{"name":"n","type":"sessionCount"}]}}`
	if err, _ := exchange(t, r, "POST", "/v0/datasets/sessions/slicerQueries", slicer, 200,
		[]byte(`{"aggregations":{"main":{"n":{"dimensionless":true,"label":"n","value":366}}}}`)); err != nil {
		t.Errorf("slicer query with singular aggregation rejected: %v", err)
	}
}

func TestInt64IDsRoundTrip(t *testing.T) {
	const hash = int64(4387432117564403356)
	in := []byte(`{"name":"cvr.exitpoll","eventHash":4387432117564403356}`)
	dec := json.NewDecoder(bytes.NewReader(in))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		t.Fatal(err)
	}
	n, ok := m["eventHash"].(json.Number)
	if !ok {
		t.Fatalf("eventHash decoded as %T", m["eventHash"])
	}
	got, err := n.Int64()
	if err != nil || got != hash {
		t.Fatalf("eventHash = %d, %v; want %d", got, err, hash)
	}
	out, err := json.Marshal(map[string]any{"eventHash": got})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(out, []byte("4387432117564403356")) {
		t.Errorf("round trip lost precision: %s", out)
	}
	if float64(hash) != float64(hash+1) {
		t.Fatal("test value must exceed float64 precision")
	}

	doc := loadPublic(t)
	checks := []struct {
		schema, prop string
	}{
		{"Event", "eventHash"},
		{"ExitPollResponse", "id"},
	}
	for _, c := range checks {
		s := doc.Components.Schemas[c.schema]
		if s == nil || s.Value == nil {
			t.Fatalf("no schema %s", c.schema)
		}
		p := s.Value.Properties[c.prop]
		if p == nil || p.Value == nil {
			t.Fatalf("%s has no property %s", c.schema, c.prop)
		}
		if !p.Value.Type.Is("integer") || p.Value.Format != "int64" {
			t.Errorf("%s.%s is %v/%s, want integer/int64", c.schema, c.prop, p.Value.Type, p.Value.Format)
		}
		if err := p.Value.VisitJSON(float64(hash)); err != nil {
			t.Errorf("%s.%s rejects %d: %v", c.schema, c.prop, hash, err)
		}
	}
}
