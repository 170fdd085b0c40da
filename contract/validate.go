package contract

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// validator checks responses against the spec.
type validator struct {
	doc    *openapi3.T
	router routers.Router
	err    error // the router could not be built: every response is a failure
}

func newValidator(doc *openapi3.T) *validator {
	v := &validator{doc: doc}
	if doc == nil {
		v.err = fmt.Errorf("no spec to validate against")
		return v
	}
	v.router, v.err = gorillamux.NewRouter(doc)
	return v
}

// route finds the operation of a request (method and URL path only).
func (v *validator) route(method, path string) (*routers.Route, map[string]string, error) {
	if v.err != nil {
		return nil, nil, v.err
	}
	req, err := http.NewRequest(method, "http://target"+path, nil)
	if err != nil {
		return nil, nil, err
	}
	return v.router.FindRoute(req)
}

// validate checks res and notes failures and drift on s. It returns the
// operationId. A 501 means the target does not implement the operation.
// Error bodies (4xx/5xx) that do not match their schema are drift, not
// failure: the vendor's error body is undocumented and clients rely on the
// status alone (api.md §2.3).
func (rs *runState) validate(s *Session, val *validator, req *http.Request, res *Response) string {
	route, params, err := val.route(req.Method, req.URL.RequestURI())
	if err != nil {
		s.noteDrift("%s %s: no operation of the spec matches (%v)", res.Method, pathOnly(res.Path), err)
		return ""
	}
	op := route.Operation.OperationID
	if res.Status == http.StatusNotImplemented {
		s.fail("target does not implement %s (501)", op)
		return op
	}
	doc := route.Operation.Responses.Status(res.Status)
	if doc == nil {
		doc = route.Operation.Responses.Default()
	}
	if doc == nil || doc.Value == nil {
		s.noteDrift("%s answered %d, a status the spec does not document", op, res.Status)
		return op
	}
	ct := res.Header.Get("Content-Type")
	mt, _, _ := mime.ParseMediaType(ct)
	content := doc.Value.Content
	if len(content) == 0 || (len(res.Body) == 0 && res.Status == http.StatusNoContent) {
		return op
	}
	media := content.Get(mt)
	if media == nil {
		if res.Status >= 400 {
			s.noteDrift("%s %d: Content-Type %q is not documented", op, res.Status, ct)
		} else {
			s.fail("%s %d: Content-Type %q is not documented (want %s)", op, res.Status, ct, strings.Join(keys(content), " or "))
		}
		return op
	}
	if !isJSON(mt) {
		return op
	}
	opts := &openapi3filter.Options{IncludeResponseStatus: true, AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}
	vreq := req.Clone(context.Background())
	vreq.Body = http.NoBody
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: vreq, PathParams: params, Route: route, Options: opts},
		Status:                 res.Status,
		Header:                 res.Header,
		Body:                   io.NopCloser(bytes.NewReader(res.Body)),
		Options:                opts,
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		msg := fmt.Sprintf("%s %d: response does not match the spec: %s", op, res.Status, describeSchemaError(err))
		if res.Status >= 400 {
			s.noteDrift("%s", msg)
		} else {
			s.fail("%s", msg)
		}
		return op
	}
	if media.Schema != nil && media.Schema.Value != nil {
		if body, err := decodeLoose(res.Body); err == nil {
			for _, f := range walk(media.Schema.Value, body) {
				if f.Kind == "missing" && res.Status < 400 {
					s.fail("%s %d: at %s: %s (the spec says every answer carries it)", op, res.Status, f.Pointer, f.Detail)
					continue
				}
				s.noteDrift("%s %d: %s", op, res.Status, f)
			}
		}
	}
	return op
}

func isJSON(mt string) bool { return mt == "application/json" || strings.HasSuffix(mt, "+json") }

func keys(c openapi3.Content) []string {
	out := make([]string, 0, len(c))
	for k := range c {
		out = append(out, k)
	}
	return out
}

func pathOnly(p string) string {
	path, _, _ := strings.Cut(p, "?")
	return path
}
