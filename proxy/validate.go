package proxy

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/c3dmock/c3dmock/contract/redact"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
)

// Violation is one way a request or response departs from the spec.
type Violation struct {
	API         API    `json:"api"`
	OperationID string `json:"operationId,omitempty"` // "" when no operation matched
	Method      string `json:"method"`
	Path        string `json:"path"`             // as sent, query left out, secrets redacted
	Direction   string `json:"direction"`        // request | response
	Status      int    `json:"status,omitempty"` // of the response
	// In is where: body, query, path, header, cookie, status, content-type or route.
	In       string `json:"in"`
	Pointer  string `json:"pointer"` // JSON pointer into In ("" = the whole of it)
	Keyword  string `json:"keyword"` // the rule: type, required, enum, maximum, status, …
	Expected string `json:"expected"`
	Got      string `json:"got"`
}

// String is the one line printed for the violation.
func (v Violation) String() string {
	var b strings.Builder
	b.WriteString(v.Operation())
	if v.OperationID != "" {
		fmt.Fprintf(&b, " (%s %s)", v.Method, v.Path)
	}
	b.WriteString(" " + v.Direction)
	if v.Status != 0 {
		fmt.Fprintf(&b, " %d", v.Status)
	}
	if v.In != v.Keyword {
		b.WriteString(" " + v.In)
	}
	if v.Pointer != "" {
		b.WriteString(" " + v.Pointer)
	}
	fmt.Fprintf(&b, ": %s: expected %s, got %s", v.Keyword, v.Expected, v.Got)
	return b.String()
}

// Operation is the operationId, or the method and path when none matched.
func (v Violation) Operation() string {
	if v.OperationID != "" {
		return v.OperationID
	}
	return v.Method + " " + v.Path
}

// key groups repeats: array indexes do not make a violation new.
func (v Violation) key() string {
	k := v
	k.Path, k.Got = "", ""
	k.Pointer = arrayIndex.ReplaceAllString(v.Pointer, "/*")
	if v.OperationID == "" {
		k.Path = v.Path
	}
	b, _ := json.Marshal(k)
	return string(b)
}

var arrayIndex = regexp.MustCompile(`/[0-9]+(/|$)`)

var validationOptions = openapi3filter.Options{
	MultiError:          true,
	SkipSettingDefaults: true,
	AuthenticationFunc:  openapi3filter.NoopAuthenticationFunc, // the upstream judges credentials
}

// validateRequest finds the operation of r and checks its parameters and body.
func (p *Proxy) validateRequest(x *exchange, r *http.Request) {
	if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
		return // a browser's CORS preflight, not an operation of the API
	}
	vreq, err := http.NewRequestWithContext(context.Background(), r.Method, "http://upstream"+x.uri, bytes.NewReader(x.reqBody))
	if err != nil {
		p.report(x, Violation{Direction: "request", In: "route", Keyword: "path", Expected: "a valid request target", Got: strconv.Quote(clip(x.uri, 80))})
		return
	}
	vreq.Header = r.Header.Clone()
	route, params, err := x.api.router.FindRoute(vreq)
	if err != nil {
		p.report(x, Violation{Direction: "request", In: "route", Keyword: "operation",
			Expected: "an operation of the " + string(x.api.api) + " document", Got: "none"})
		return
	}
	x.route, x.params, x.op, x.template = route, params, route.Operation.OperationID, route.Path
	opts := validationOptions
	opts.ExcludeRequestBody = x.reqLarge
	in := &openapi3filter.RequestValidationInput{Request: vreq, PathParams: params, Route: route, Options: &opts}
	if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
		for _, v := range p.violations("request", err) {
			p.report(x, v)
		}
	}
}

// validateResponse checks the status, content type, headers and body.
func (p *Proxy) validateResponse(x *exchange, res *http.Response, body []byte, large bool) {
	p.countExchange(x, large)
	if x.route == nil {
		return // the request matched no operation: already reported
	}
	route, params := x.route, x.params
	op := route.Operation
	resp := op.Responses.Status(res.StatusCode)
	if resp == nil {
		resp = op.Responses.Default()
	}
	if resp == nil || resp.Value == nil {
		p.report(x, Violation{Direction: "response", Status: res.StatusCode, In: "status", Keyword: "status",
			Expected: "one of " + strings.Join(statuses(op), ", "), Got: strconv.Itoa(res.StatusCode)})
		return
	}
	content := resp.Value.Content
	ct := res.Header.Get("Content-Type")
	mt, _, _ := mime.ParseMediaType(ct)
	if len(content) > 0 && len(body) > 0 && content.Get(ct) == nil {
		p.report(x, Violation{Direction: "response", Status: res.StatusCode, In: "content-type", Keyword: "content-type",
			Expected: strings.Join(mediaTypes(content), " or "), Got: quoteOrNone(ct)})
		return
	}
	opts := validationOptions
	opts.ExcludeResponseBody = large || !(mt == "application/json" || strings.HasSuffix(mt, "+json")) || len(content) == 0
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: mustRequest(x), PathParams: params, Route: route, Options: &opts},
		Status:                 res.StatusCode,
		Header:                 res.Header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options:                &opts,
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		for _, v := range p.violations("response", err) {
			v.Status = res.StatusCode
			p.report(x, v)
		}
	}
}

func mustRequest(x *exchange) *http.Request {
	r, err := http.NewRequestWithContext(context.Background(), x.method, "http://upstream"+x.uri, http.NoBody)
	if err != nil {
		r, _ = http.NewRequest(x.method, "http://upstream/", http.NoBody)
	}
	r.Header = x.reqHeader
	return r
}

func statuses(op *openapi3.Operation) []string {
	var out []string
	for code := range op.Responses.Map() {
		out = append(out, code)
	}
	sort.Strings(out)
	return out
}

func mediaTypes(c openapi3.Content) []string {
	out := make([]string, 0, len(c))
	for k := range c {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func quoteOrNone(s string) string {
	if s == "" {
		return "none"
	}
	return strconv.Quote(s)
}

// violations turns a kin-openapi validation error into violations that name
// where, the rule, and expected versus got.
func (p *Proxy) violations(dir string, err error) []Violation {
	var out []Violation
	var walk func(in, base string, err error)
	add := func(v Violation) {
		v.Direction = dir
		out = append(out, v)
	}
	walk = func(in, base string, err error) {
		var me openapi3.MultiError
		var reqErr *openapi3filter.RequestError
		var resErr *openapi3filter.ResponseError
		var se *openapi3.SchemaError
		var pe *openapi3filter.ParseError
		switch {
		case errors.As(err, &me) && isMulti(err):
			for _, e := range me {
				walk(in, base, e)
			}
		case errors.As(err, &reqErr) && reqErr == err:
			in, base = "body", ""
			if reqErr.Parameter != nil {
				in, base = reqErr.Parameter.In, "/"+escapePointer(reqErr.Parameter.Name)
			}
			switch {
			case reqErr.Parameter != nil && errors.As(reqErr.Err, &pe) && pe.Kind != openapi3filter.KindUnsupportedFormat:
				// a parameter that does not parse as its schema's type: "version=two"
				v := Violation{In: in, Pointer: base, Keyword: "type", Expected: "a value of the parameter's type", Got: "unparsable input"}
				if ps := reqErr.Parameter.Schema; ps != nil && ps.Value != nil {
					v.Expected = typeName(ps.Value)
				}
				if pe.Value != nil {
					v.Got = p.redacted(describe(pe.Value))
				}
				add(v)
			case errors.Is(reqErr.Err, openapi3filter.ErrInvalidRequired):
				add(Violation{In: in, Pointer: base, Keyword: "required", Expected: "present", Got: "missing"})
			case errors.Is(reqErr.Err, openapi3filter.ErrInvalidEmptyValue):
				add(Violation{In: in, Pointer: base, Keyword: "allowEmptyValue", Expected: "a value", Got: "empty"})
			case reqErr.RequestBody != nil && reqErr.Err == nil && strings.HasPrefix(reqErr.Reason, "header Content-Type"):
				got, _ := strings.CutPrefix(reqErr.Reason, "header Content-Type has unexpected value ")
				add(Violation{In: "content-type", Keyword: "content-type", Expected: strings.Join(mediaTypes(reqErr.RequestBody.Content), " or "), Got: nonEmptyQuoted(got)})
			case reqErr.Err != nil:
				walk(in, base, reqErr.Err)
			default:
				add(Violation{In: in, Pointer: base, Keyword: "invalid", Expected: "a valid value", Got: p.redacted(reqErr.Reason)})
			}
		case errors.As(err, &resErr) && resErr == err:
			in, base = "body", ""
			if name, ok := quotedAfter(resErr.Reason, "response header "); ok {
				in, base = "header", "/"+escapePointer(name)
				if resErr.Err == nil {
					add(Violation{In: in, Pointer: base, Keyword: "required", Expected: "present", Got: "missing"})
					return
				}
			}
			if resErr.Err == nil {
				add(Violation{In: in, Keyword: "invalid", Expected: "a valid response", Got: p.redacted(resErr.Reason)})
				return
			}
			walk(in, base, resErr.Err)
		case errors.As(err, &se):
			add(p.schemaViolation(in, base, se))
		case errors.As(err, &pe):
			if pe.Kind == openapi3filter.KindUnsupportedFormat {
				return // a media type kin-openapi cannot decode (images, archives): not validated
			}
			ptr := base
			for _, s := range pe.Path() {
				ptr += "/" + escapePointer(fmt.Sprint(s))
			}
			reason := pe.Reason
			if reason == "" && pe.Cause != nil {
				reason = pe.Cause.Error()
			}
			got := "unparsable input"
			if pe.Value != nil {
				got = describe(pe.Value)
			}
			add(Violation{In: in, Pointer: ptr, Keyword: "format", Expected: p.redacted(nonEmpty(reason, "a parsable value")), Got: p.redacted(got)})
		default:
			add(Violation{In: in, Pointer: base, Keyword: "invalid", Expected: "a valid value", Got: p.redacted(err.Error())})
		}
	}
	walk("body", "", err)
	return out
}

// isMulti reports whether err itself is a MultiError (errors.As also finds one inside).
func isMulti(err error) bool {
	_, ok := err.(openapi3.MultiError)
	return ok
}

func (p *Proxy) redacted(s string) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return oneLine(clip(p.red.String(s), 200))
}

func quotedAfter(s, prefix string) (string, bool) {
	rest, ok := strings.CutPrefix(s, prefix)
	if !ok {
		return "", false
	}
	name, err := strconv.QuotedPrefix(rest)
	if err != nil {
		return "", false
	}
	name, _ = strconv.Unquote(name)
	return name, true
}

func nonEmptyQuoted(s string) string {
	if s == "" || s == `""` {
		return "none"
	}
	return s
}

func nonEmpty(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// schemaViolation describes a schema error without Go terms.
func (p *Proxy) schemaViolation(in, base string, se *openapi3.SchemaError) Violation {
	ptr := base
	segs := se.JSONPointer()
	for _, s := range segs {
		ptr += "/" + escapePointer(s)
	}
	secret := len(segs) > 0 && redact.IsSecretField(segs[len(segs)-1])
	v := Violation{In: in, Pointer: ptr, Keyword: se.SchemaField}
	s := se.Schema
	if s == nil {
		s = &openapi3.Schema{}
	}
	got := describe(se.Value)
	switch se.SchemaField {
	case "required":
		v.Expected, got = "present", "missing"
	case "type":
		v.Expected = typeName(s)
	case "nullable":
		v.Keyword, v.Expected, got = "type", typeName(s), "null"
	case "enum":
		v.Expected = "one of " + enumList(s.Enum)
	case "minimum", "exclusiveMinimum":
		v.Expected = bound("at least", s.Min, se.SchemaField == "exclusiveMinimum")
	case "maximum", "exclusiveMaximum":
		v.Expected = bound("at most", s.Max, se.SchemaField == "exclusiveMaximum")
	case "minLength":
		v.Expected = fmt.Sprintf("at least %d characters", s.MinLength)
		got = lengthOf(se.Value, "characters", got)
	case "maxLength":
		if s.MaxLength != nil {
			v.Expected = fmt.Sprintf("at most %d characters", *s.MaxLength)
		}
		got = lengthOf(se.Value, "characters", got)
	case "minItems":
		v.Expected = fmt.Sprintf("at least %d items", s.MinItems)
		got = lengthOf(se.Value, "items", got)
	case "maxItems":
		if s.MaxItems != nil {
			v.Expected = fmt.Sprintf("at most %d items", *s.MaxItems)
		}
		got = lengthOf(se.Value, "items", got)
	case "pattern":
		v.Expected = "a string matching " + s.Pattern
	case "format":
		v.Expected = "format " + s.Format
	case "properties", "additionalProperties":
		if name, ok := quotedAfter(se.Reason, "property "); ok && strings.HasSuffix(se.Reason, "is unsupported") {
			v.Keyword, v.Pointer = "additionalProperties", ptr+"/"+escapePointer(name)
			v.Expected, got = "no property "+strconv.Quote(name), "present"
			secret = redact.IsSecretField(name)
		}
	}
	if v.Keyword == "required" {
		secret = false
	}
	if v.Expected == "" {
		v.Expected = nonEmpty(se.Reason, "a value valid against the "+se.SchemaField+" rule")
	}
	if secret && got != "missing" && got != "present" {
		got = redact.Redacted
	}
	v.Expected, v.Got = p.redacted(v.Expected), p.redacted(got)
	return v
}

func escapePointer(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

func typeName(s *openapi3.Schema) string {
	var names []string
	if s.Type != nil {
		names = append(names, s.Type.Slice()...)
	}
	if len(names) == 0 {
		names = []string{"a value"}
	}
	out := strings.Join(names, " or ")
	if s.Format != "" {
		out += " (" + s.Format + ")"
	}
	if s.Nullable {
		out += " or null"
	}
	return out
}

func enumList(vals []any) string {
	parts := make([]string, 0, len(vals))
	for _, v := range vals {
		b, err := json.Marshal(v)
		if err != nil {
			continue
		}
		parts = append(parts, string(b))
	}
	return clip(strings.Join(parts, ", "), 160)
}

func bound(word string, v *float64, exclusive bool) string {
	if v == nil {
		return word + " the bound"
	}
	n := strconv.FormatFloat(*v, 'f', -1, 64)
	if exclusive {
		if word == "at least" {
			return "more than " + n
		}
		return "less than " + n
	}
	return word + " " + n
}

func lengthOf(v any, unit, def string) string {
	switch t := v.(type) {
	case string:
		return fmt.Sprintf("%d %s", len([]rune(t)), unit)
	case []any:
		return fmt.Sprintf("%d %s", len(t), unit)
	}
	return def
}

// describe names a JSON value's type and, for scalars, the value itself.
func describe(v any) string {
	switch t := v.(type) {
	case nil:
		return "null"
	case string:
		return "string " + strconv.Quote(clip(t, 60))
	case bool:
		return "boolean " + strconv.FormatBool(t)
	case float64:
		return "number " + strconv.FormatFloat(t, 'f', -1, 64)
	case json.Number:
		return "number " + t.String()
	case int, int64, int32, uint64:
		return fmt.Sprintf("number %d", t)
	case map[string]any:
		return fmt.Sprintf("an object with %d properties", len(t))
	case []any:
		return fmt.Sprintf("an array of %d items", len(t))
	}
	return "a value"
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

func pathOnly(uri string) string {
	p, _, _ := strings.Cut(uri, "?")
	return p
}
