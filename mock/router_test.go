package mock

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/c3dmock/c3dmock/spec"
)

// TestRouterMatchesGorillaMux: the compiled router answers exactly what
// kin-openapi's gorillamux router answers, for every operation of both
// documents (with literal values where other templates have literals) and
// for paths that match nothing or match with another method.
func TestRouterMatchesGorillaMux(t *testing.T) {
	for _, name := range []string{spec.Public, spec.DataCollector} {
		doc, err := spec.Load(context.Background(), name)
		if err != nil {
			t.Fatal(err)
		}
		gm, err := gorillamux.NewRouter(doc)
		if err != nil {
			t.Fatal(err)
		}
		ours := newRouter(doc)
		var paths []string
		for _, op := range spec.Operations(doc) {
			for _, fill := range []string{"4460", "whoami", "session", "all", "x%20y", "files"} {
				p := op.Path
				for strings.Contains(p, "{") {
					i, j := strings.Index(p, "{"), strings.Index(p, "}")
					p = p[:i] + fill + p[j+1:]
				}
				paths = append(paths, p, p+"/", p+"/extra")
			}
		}
		paths = append(paths, "/", "", "/v0", "/v0/", "//v0/projects/4460", "/v0/projects//objectives", "/v0/projects/4460/objectives/", "/nope")
		for _, p := range paths {
			for _, method := range []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"} {
				req, err := http.NewRequest(method, "http://127.0.0.1"+p, nil)
				if err != nil {
					continue
				}
				wantRoute, wantParams, wantErr := gm.FindRoute(req)
				if r, params, err, ok := slashTolerant(gm, method, p); ok {
					wantRoute, wantParams, wantErr = r, params, err
				}
				gotRoute, gotParams, gotErr := ours.FindRoute(req)
				switch {
				case wantErr != nil || gotErr != nil:
					if !sameRouteError(wantErr, gotErr) {
						t.Errorf("%s %s %s: gorillamux %v, ours %v", name, method, p, wantErr, gotErr)
					}
				case wantRoute.Path != gotRoute.Path || wantRoute.Method != gotRoute.Method || wantRoute.Operation != gotRoute.Operation || wantRoute.PathItem != gotRoute.PathItem:
					t.Errorf("%s %s %s: gorillamux %s %s, ours %s %s", name, method, p, wantRoute.Method, wantRoute.Path, gotRoute.Method, gotRoute.Path)
				case len(wantParams) != len(gotParams):
					t.Errorf("%s %s %s: params %v, ours %v", name, method, p, wantParams, gotParams)
				default:
					for k, v := range wantParams {
						if gotParams[k] != v {
							t.Errorf("%s %s %s: param %s = %q, ours %q", name, method, p, k, v, gotParams[k])
						}
					}
				}
			}
		}
	}
}

func sameRouteError(a, b error) bool {
	return (a == nil) == (b == nil) && errors.Is(a, routers.ErrMethodNotAllowed) == errors.Is(b, routers.ErrMethodNotAllowed)
}

// slashTolerant is what the router answers, unlike gorillamux, for a path
// with a trailing slash whose path without it has an operation marked
// x-c3d-trailing-slash: that operation, or "method not allowed" for the
// other methods. ok is false for every other request.
func slashTolerant(gm routers.Router, method, p string) (*routers.Route, map[string]string, error, bool) {
	trimmed, found := strings.CutSuffix(p, "/")
	if !found || trimmed == "" || strings.HasSuffix(trimmed, "/") {
		return nil, nil, nil, false
	}
	marked := false
	for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"} {
		req, err := http.NewRequest(m, "http://127.0.0.1"+trimmed, nil)
		if err != nil {
			return nil, nil, nil, false
		}
		r, params, err := gm.FindRoute(req)
		if err != nil {
			continue
		}
		if slash, _ := r.Operation.Extensions[spec.ExtTrailingSlash].(bool); slash {
			if m == method {
				return r, params, nil, true
			}
			marked = true
		}
	}
	if marked {
		return nil, nil, routers.ErrMethodNotAllowed, true
	}
	return nil, nil, nil, false
}
