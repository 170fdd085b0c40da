package mock

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/c3dmock/c3dmock/mock/access"
	"github.com/c3dmock/c3dmock/mock/apierr"
	"github.com/c3dmock/c3dmock/mock/store"

	"github.com/c3dmock/c3dmock/spec"
)

type targetsKey struct{}

// targetsOf returns the checked targets of a request that went through the pipeline.
func targetsOf(r *http.Request) *store.Targets {
	if t, ok := r.Context().Value(targetsKey{}).(*store.Targets); ok {
		return t
	}
	return &store.Targets{}
}

func withTargets(ctx context.Context, t *store.Targets) context.Context {
	return context.WithValue(ctx, targetsKey{}, t)
}

// resolveTargets reads every declared location of op from the request and
// resolves each value: 404 when it names nothing, then allow's answer (403
// outside the credential's scope), then 400 when locations that must name one
// target disagree (404 when both are path parameters: the child is not under
// its parent). params are the path parameters of the route.
func (s *Server) resolveTargets(op spec.Operation, r *http.Request, params map[string]string, body []byte, allow func(access.Target) error) (*store.Targets, error) {
	out := &store.Targets{}
	if len(op.Targets) == 0 {
		return out, nil
	}
	values, err := readLocations(op.Targets, r, params, body)
	if err != nil {
		return nil, err
	}
	return s.store.ResolveTargets(op, values, allow)
}

// readLocations collects the raw values of every location, in declaration order.
func readLocations(locs []spec.TargetLocation, r *http.Request, params map[string]string, body []byte) ([]store.Located, error) {
	var doc any
	var decoded bool
	var out []store.Located
	query := r.URL.Query()
	for _, l := range locs {
		var raws []string
		switch l.In {
		case spec.InPath:
			if v, ok := params[l.Name]; ok {
				raws = []string{v}
			}
		case spec.InQuery:
			for _, v := range query[l.Name] {
				for _, f := range strings.Split(v, ",") {
					if f = strings.TrimSpace(f); f != "" {
						raws = append(raws, f)
					}
				}
			}
		case spec.InBody:
			if !decoded {
				decoded = true
				doc = decodeTargetBody(r, body)
			}
			raws = pointerValues(doc, strings.Split(strings.TrimPrefix(l.Name, "/"), "/"))
		}
		if len(raws) > 1 && !l.Many {
			return nil, &apierr.Error{Code: apierr.CodeInvalid, Field: l.Field(), Rule: "oneTarget",
				Message: fmt.Sprintf("%s names %d %ss (%s); this operation acts on one", l.Field(), len(raws), l.Kind, strings.Join(raws, ", "))}
		}
		for _, v := range raws {
			out = append(out, store.Located{Loc: l, Raw: v})
		}
	}
	return out, nil
}

// decodeTargetBody decodes a JSON body for pointer lookups; other bodies name no targets.
func decodeTargetBody(r *http.Request, body []byte) any {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if len(body) == 0 || !(mt == "application/json" || strings.HasSuffix(mt, "+json")) {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var doc any
	if dec.Decode(&doc) != nil {
		return nil
	}
	return doc
}

// pointerValues returns the scalar values at a JSON pointer whose "*" tokens
// walk every element of an array. null and absent members name nothing.
func pointerValues(doc any, tokens []string) []string {
	if len(tokens) == 0 {
		switch v := doc.(type) {
		case json.Number:
			return []string{v.String()}
		case string:
			return []string{strings.TrimSpace(v)}
		case nil:
			return nil
		default: // objects, arrays, booleans: the schema rejects these where an ID belongs
			return []string{fmt.Sprint(v)}
		}
	}
	tok := strings.ReplaceAll(strings.ReplaceAll(tokens[0], "~1", "/"), "~0", "~")
	switch v := doc.(type) {
	case map[string]any:
		return pointerValues(v[tok], tokens[1:])
	case []any:
		if tok != "*" {
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(v) {
				return nil
			}
			return pointerValues(v[i], tokens[1:])
		}
		var out []string
		for _, e := range v {
			out = append(out, pointerValues(e, tokens[1:])...)
		}
		return out
	}
	return nil
}
