package mock_test

import (
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/c3dmock/c3dmock/spec"
)

// TestEveryOperationReachable is the generated contract suite of issue 6: for
// every operation of both documents it builds one request the way an OpenAPI
// contract tester does (path parameters, query parameters that have one and the
// JSON request body all taken from the spec's examples, with the credential
// the operation's x-c3d-scope / x-c3d-role or security asks for) and asserts
// that the operation answers one of its documented 2xx statuses with a body
// valid against the spec (newDataServers validates every response of both
// hosts). Each operation runs against a fresh server (~50 ms), so deletes and
// reads of the same resource do not depend on an order.
//
// The spec's examples name the default world (project 4460, organization 12,
// scene 2c2f0603-…, version 7012, objective 268 / version 829, question set
// assessment_end_survey:1, …), so a contract tester pointed at c3dmock with a
// demo key reaches every operation unchanged. What the examples cannot say:
//   - a session id: sessions are generated relative to --now, so the mock
//     itself resolves the spec's example session (specSession) to a live one
//     of version 7012 (mock.ExampleSessionID); requests carry it unchanged;
//   - a resource the default world lacks (an LMS configuration, a review): the
//     spec's OpenAPI links name the operation that creates it, and the request
//     takes the parameter from that operation's response, as stateful testers
//     (Schemathesis) do;
//   - binary and multipart bodies: reachBodies.
func TestEveryOperationReachable(t *testing.T) {
	for _, name := range []string{spec.Public, spec.DataCollector} {
		doc := loadDoc(t, name)
		for _, op := range spec.Operations(doc) {
			t.Run(op.ID, func(t *testing.T) {
				t.Parallel()
				reach(t, name, doc, op)
			})
		}
	}
}

// specSession is the spec's example session id (public.yaml parameter
// sessionId); wherever it appears in a generated request it is replaced by a
// session of the generated world that visited version 7012.
const specSession = "1773998824_6826c6d546130967474184c118bfbc90"

// reachBodies generates the bodies that are not JSON (binary and multipart
// uploads), which a contract tester fills from the schema's format: binary.
var reachBodies = map[string]func(t testing.TB) (body, contentType string){
	"uploadMedia": func(t testing.TB) (string, string) { return string(encodePNG(t)), "image/png" },
	"importReviews": func(t testing.TB) (string, string) {
		return multipartReviews(t, "sdkSessionId,rating,review\n"+specSession+",5,great\n"), multipartType
	},
	"postAudio": func(t testing.TB) (string, string) {
		return string(wavBytes), "application/octet-stream"
	},
	"createScene": func(t testing.TB) (string, string) {
		return multipartBody(t,
			[4]string{"scene.bin", "scene.bin", "application/octet-stream", "\x00\x01\x02\x03"},
			[4]string{"scene.gltf", "scene.gltf", "application/octet-stream", gltfDoc},
			[4]string{"screenshot.png", "screenshot.png", "image/png", pngBytes},
			[4]string{"settings.json", "settings.json", "application/json", `{"scale":1,"sceneName":"Reach","sdkVersion":"cli-bash-v1.1.0"}`})
	},
	"createSceneVersion": func(t testing.TB) (string, string) {
		return multipartBody(t,
			[4]string{"file", "scene.gltf", "", gltfDoc},
			[4]string{"file", "settings.json", "", `{"scale":2,"sceneName":"Reach","sdkVersion":"2.3.1"}`},
			[4]string{"screenshot", "screenshot.png", "image/png", pngBytes})
	},
	"updateSceneFiles": func(t testing.TB) (string, string) {
		return multipartBody(t, [4]string{"file", "wall.png", "image/png", pngBytes})
	},
	"uploadSceneScreenshot": func(t testing.TB) (string, string) {
		return multipartBody(t, [4]string{"screenshot", "screenshot.png", "image/png", pngBytes})
	},
	"uploadObjectMesh": func(t testing.TB) (string, string) {
		return multipartBody(t,
			[4]string{"cvr_object_thumbnail.png", "cvr_object_thumbnail.png", "image/png", pngBytes},
			[4]string{"lever.gltf", "lever.gltf", "", gltfDoc},
			[4]string{"lever.bin", "lever.bin", "", "\x00"})
	},
}

func reach(t *testing.T, docName string, doc *openapi3.T, op spec.Operation) {
	data, public := newDataServers(t, 0)
	ts := public
	if docName == spec.DataCollector {
		ts = data
	}
	rq := reachRequest(t, doc, op, public, linkedValues(t, doc, op, ts, public))
	res := do(t, ts, rq)
	if op.Dead {
		if res.status != http.StatusNotFound {
			t.Errorf("%s %s is a dead vendor route: %d, want 404", op.Method, rq.path, res.status)
		}
		return
	}
	documented := successStatuses(op.Op)
	if len(documented) == 0 {
		t.Fatalf("%s documents no 2xx response", op.ID)
	}
	if !slices.Contains(documented, res.status) {
		t.Errorf("%s %s (auth %q, body %.200s)\n→ %d, want one of the documented %v: %.400s", op.Method, rq.path, rq.auth, rq.body, res.status, documented, res.body)
	}
}

func successStatuses(op *openapi3.Operation) []int {
	var l []int
	for code := range op.Responses.Map() {
		var n int
		if _, err := fmt.Sscanf(code, "%d", &n); err == nil && n >= 200 && n < 300 {
			l = append(l, n)
		}
	}
	return l
}

// linkedValues follows the spec's OpenAPI links, as a stateful contract
// tester does: a parameter that names a resource the default world lacks
// (an LMS configuration) is taken from the response of the operation whose
// link targets op (createLmsConfiguration → $response.body#/id).
func linkedValues(t *testing.T, doc *openapi3.T, op spec.Operation, ts, public *httptest.Server) map[string]string {
	for _, from := range spec.Operations(doc) {
		for _, code := range successStatuses(from.Op) {
			r := from.Op.Responses.Status(code)
			if r == nil || r.Value == nil {
				continue
			}
			for _, l := range r.Value.Links {
				if l.Value == nil || l.Value.OperationID != op.ID {
					continue
				}
				res := do(t, ts, reachRequest(t, doc, from, public, nil))
				if res.status != code {
					t.Fatalf("link from %s: %d, want %d: %s", from.ID, res.status, code, res.body)
				}
				var body any
				if err := json.Unmarshal(res.body, &body); err != nil {
					t.Fatalf("link from %s: %v", from.ID, err)
				}
				out := map[string]string{}
				for name, expr := range l.Value.Parameters {
					ptr, ok := strings.CutPrefix(fmt.Sprint(expr), "$response.body#/")
					if !ok {
						continue
					}
					v := body
					for _, k := range strings.Split(ptr, "/") {
						switch c := v.(type) {
						case map[string]any:
							v = c[k]
						case []any:
							var i int
							if _, err := fmt.Sscan(k, &i); err != nil || i >= len(c) {
								t.Fatalf("link from %s: %s: no element %s in %s", from.ID, expr, k, res.body)
							}
							v = c[i]
						}
					}
					if v == nil {
						t.Fatalf("link from %s: %s is empty in %s", from.ID, expr, res.body)
					}
					if f, isNum := v.(float64); isNum {
						v = int64(f)
					}
					out[name] = fmt.Sprint(v)
				}
				return out
			}
		}
	}
	return nil
}

// reachRequest generates op's request from the spec: parameters from values
// (from links) else their examples, the body from reachBodies else its example. public serves the cookie login.
func reachRequest(t *testing.T, doc *openapi3.T, op spec.Operation, public *httptest.Server, values map[string]string) request {
	// Parameters: the operation's, then its path item's, each from the
	// override table, the parameter's example or its schema's example.
	params := openapi3.Parameters{}
	params = append(params, op.Op.Parameters...)
	params = append(params, doc.Paths.Value(op.Path).Parameters...)
	seen := map[string]bool{}
	path := op.Path
	query := url.Values{}
	for _, ref := range params {
		p := ref.Value
		if p == nil || seen[p.In+":"+p.Name] {
			continue
		}
		seen[p.In+":"+p.Name] = true
		if p.In != "path" && p.In != "query" {
			continue
		}
		if p.In == "query" && !p.Required && p.Example == nil && (p.Schema == nil || p.Schema.Value == nil || p.Schema.Value.Example == nil) {
			continue // optional query parameters are sent when they have an example, as example-driven testers do
		}
		v, ok := values[p.Name]
		if !ok {
			ex := p.Example
			if ex == nil && p.Schema != nil && p.Schema.Value != nil {
				ex = p.Schema.Value.Example
			}
			if ex == nil {
				t.Fatalf("%s: %s parameter %q has no example (neither the parameter nor its schema) and no link", op.ID, p.In, p.Name)
			}
			v = fmt.Sprint(ex)
			if f, isNum := ex.(float64); isNum {
				v = fmt.Sprint(int64(f))
			}
		}
		if p.In == "path" {
			path = strings.ReplaceAll(path, "{"+p.Name+"}", url.PathEscape(v))
		} else {
			query.Set(p.Name, v)
		}
	}
	if strings.Contains(path, "{") {
		t.Fatalf("path %s: a path parameter is not declared", path)
	}
	if len(query) > 0 {
		path += "?" + query.Encode()
	}

	// Body: a generated binary or multipart one, else the example of the
	// JSON media type.
	var body, ct string
	if rb := op.Op.RequestBody; rb != nil && rb.Value != nil {
		switch gen := reachBodies[op.ID]; {
		case gen != nil:
			body, ct = gen(t)
			if mt, _, err := mime.ParseMediaType(ct); err != nil || rb.Value.Content.Get(mt) == nil {
				t.Fatalf("%s: generated body of type %s, which the spec does not document: %v", op.ID, ct, mediaTypes(rb.Value.Content))
			}
		default:
			mt := rb.Value.Content.Get("application/json")
			if mt == nil {
				t.Fatalf("%s: request body has no application/json media type and no override: %v", op.ID, mediaTypes(rb.Value.Content))
			}
			ex := mt.Example
			if ex == nil && len(mt.Examples) > 0 {
				names := make([]string, 0, len(mt.Examples))
				for n := range mt.Examples {
					names = append(names, n)
				}
				sort.Strings(names)
				if e := mt.Examples[names[0]]; e != nil && e.Value != nil {
					ex = e.Value.Value
				}
			}
			if ex == nil && mt.Schema != nil && mt.Schema.Value != nil {
				ex = mt.Schema.Value.Example
			}
			if ex == nil {
				if rb.Value.Required {
					t.Fatalf("%s: required request body has no example", op.ID)
				}
			} else {
				b, err := json.Marshal(ex)
				if err != nil {
					t.Fatal(err)
				}
				body, ct = string(b), "application/json"
			}
		}
	}

	rq := request{method: op.Method, path: path, body: body, contentType: ct}
	switch {
	case op.Op.Security != nil && len(*op.Op.Security) > 0 && (*op.Op.Security)[0]["developerKey"] != nil:
		rq.auth = keyDeveloper
	case op.Op.Security != nil && len(*op.Op.Security) > 0 && (*op.Op.Security)[0]["applicationKey"] != nil:
		rq.auth = keyApp
	case op.Scope == "none":
	case op.Scope == "domain":
		rq.auth = keyDomain
	case op.Scope == "user" || op.Role == "admin":
		cookie, csrf := loginAs(t, public, "admin@demo.example")
		rq.cookie = cookie
		rq.header = map[string]string{"c3d-csrf": csrf}
	default:
		rq.auth = keyReadWrite
	}
	return rq
}

func mediaTypes(c openapi3.Content) []string {
	var l []string
	for k := range c {
		l = append(l, k)
	}
	sort.Strings(l)
	return l
}
