package spec

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestDataCollectorDocument(t *testing.T) {
	doc, err := Load(context.Background(), DataCollector)
	if err != nil {
		t.Fatalf("Load(%s): %v", DataCollector, err)
	}
	for _, name := range []string{"applicationKey", "developerKey"} {
		if doc.Components.SecuritySchemes[name] == nil {
			t.Errorf("missing security scheme %s", name)
		}
	}
	tags := map[string]bool{"ingest": true, "exitpoll": true, "remoteConfig": true, "scenes": true, "objects": true, "account": true, "media": true, "identify": true}
	ops := Operations(doc)
	if len(ops) < 25 {
		t.Errorf("only %d operations", len(ops))
	}
	seen := map[string]bool{}
	for _, o := range ops {
		where := o.Method + " " + o.Path
		if o.ID == "" || seen[o.ID] {
			t.Errorf("%s: empty or duplicate operationId %q", where, o.ID)
		}
		seen[o.ID] = true
		if len(o.Op.Tags) != 1 || !tags[o.Tag] {
			t.Errorf("%s: tags %v", where, o.Op.Tags)
		}
		if !allowedScopes[o.Scope] || !allowedAccess[o.Access] || !allowedProvenances[o.Provenance] {
			t.Errorf("%s: extensions scope=%q access=%q provenance=%q", where, o.Scope, o.Access, o.Provenance)
		}
		if o.Method == http.MethodGet && o.Write() {
			t.Errorf("%s: a GET must be read access", where)
		}
		if o.Op.Security == nil || len(*o.Op.Security) == 0 {
			t.Errorf("%s: no security requirement (application or developer key)", where)
		}
		codes := []string{"400", "401", "403", "404"}
		if o.Op.RequestBody != nil {
			codes = append(codes, "413", "415")
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
		for code, r := range o.Op.Responses.Map() {
			if code[0] == '2' && r.Value.Headers["cvr-request-time"] == nil {
				t.Errorf("%s: %s response does not declare cvr-request-time", where, code)
			}
		}
	}
	r := newRouter(t, doc)
	for target, want := range map[string]string{
		"POST /v0/gaze/abc?version=1":                           "postGaze",
		"POST /v0/scenes":                                       "createScene",
		"PUT /v0/scenes/abc":                                    "updateSceneFiles",
		"POST /v0/objects/abc/obj?version=1":                    "uploadObjectMesh",
		"POST /v0/objects/abc?version=1":                        "uploadObjectManifest",
		"GET /v0/questionSetHooks/end/questionSet":              "getHookQuestionSet",
		"POST /v0/questionSets/end_questions/3/responses":       "postQuestionSetResponses",
		"GET /v0/versions/7011/objects":                         "listSceneVersionObjects",
		"GET /v0/remotevariables?identifier=p":                  "getRemoteVariables",
		"POST /v0/scenes/abc/screenshot?version=2":              "uploadSceneScreenshot",
		"GET /v0/applicationKey":                                "getApplicationKey",
		"PATCH /v0/scenes/2c2f0603-8f5c-4ff6-94ed-03542a4df34d": "renameScene",
	} {
		method, path, _ := strings.Cut(target, " ")
		route, _ := findRoute(t, r, httptest.NewRequest(method, "https://data.cognitive3d.com"+path, nil))
		if route.Operation.OperationID != want {
			t.Errorf("%s routed to %s, want %s", target, route.Operation.OperationID, want)
		}
	}
}

// TestDataCollectorBatches checks the ingest schemas accept what the SDKs send
// and name the field of what they must refuse.
func TestDataCollectorBatches(t *testing.T) {
	doc, err := Load(context.Background(), DataCollector)
	if err != nil {
		t.Fatal(err)
	}
	r := newRouter(t, doc)
	cases := []struct {
		name, path, body string
		ok               bool
	}{
		{"WebXR sensors send the user as name", "/v0/sensors/s?version=1",
			`{"name":"dev","timestamp":1773998824.123,"sessionid":"1773998824_d","part":1,"data":[{"name":"c3d.fps.avg","data":[[1773998825,72]]}]}`, true},
		{"visionOS gaze with float part and timestamp", "/v0/gaze/s?version=1",
			`{"userid":"u","timestamp":1773998824.5,"sessionid":"1773998824_d","part":1.0,"formatversion":"1.0","hmdtype":"Vision Pro","interval":0.1,"properties":{},"data":[{"time":1773998824.6,"p":[0,1,0],"r":[0,0,0,1],"g":[0,1,1],"f":[0,0,0]}]}`, true},
		{"numeric formatversion", "/v0/events/s?version=1",
			`{"userid":"u","timestamp":1773998824,"sessionid":"1773998824_d","part":1,"formatversion":1,"data":[{"name":"c3d.sessionStart","time":1773998824,"point":[0,0,0],"dynamicId":"obj"}]}`, true},
		{"dynamics with integer ids", "/v0/dynamics/s?version=1",
			`{"userid":"u","timestamp":1773998824,"sessionid":"1773998824_d","part":1,"manifest":{"1":{"name":"Cube","mesh":"cube"}},"data":[{"id":1,"time":1773998825,"p":[0,0,0],"r":[0,0,0,1],"properties":[{"enabled":true}]}]}`, true},
		{"events without data", "/v0/events/s?version=1", `{"timestamp":1,"sessionid":"s"}`, false},
		{"rotation with three numbers", "/v0/gaze/s?version=1", `{"timestamp":1,"sessionid":"s","data":[{"time":1,"p":[0,0,0],"r":[0,0,0]}]}`, false},
		{"fractional part", "/v0/gaze/s?version=1", `{"timestamp":1,"sessionid":"s","part":1.5}`, false},
	}
	for _, c := range cases {
		reqErr, _ := exchange(t, r, "POST", c.path, c.body, 200, []byte(`{"status":"ok","received":true}`))
		if (reqErr == nil) != c.ok {
			t.Errorf("%s: accepted=%v, want %v (%v)", c.name, reqErr == nil, c.ok, reqErr)
		}
	}
}
