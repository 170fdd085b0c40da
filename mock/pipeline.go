package mock

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime"
	"net/http"
	"sort"
	"strings"

	"github.com/c3dmock/c3dmock/mock/access"
	"github.com/c3dmock/c3dmock/mock/apierr"
	"github.com/c3dmock/c3dmock/mock/store"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/c3dmock/c3dmock/fixtures"
	"github.com/c3dmock/c3dmock/spec"
)

// serveAPI is the request pipeline. The order is the mock's most visible
// behaviour; pipeline_test.go pins it:
//
//  1. find      route from the spec                     404 unknown path, 405 wrong method
//  2. authn     credential → Principal                  401 (403 for a cookie without c3d-csrf)
//  3. access    write by a read-only key or observer    403
//  4. media     Content-Type against the operation      415; body over the limit 413
//  5. validate  kin-openapi request validation          400
//  6. dead      a route the vendor removed              404
//  7. authz     every x-c3d-targets location (target.go) 404 unknown target, 403 outside scope or below
//     the role, 400 when locations that must name one target disagree
//  8. handler   not built 501, else the operation's answer, given only the checked Targets
//
// The vendor authenticates before it parses bodies, so a read-only key is
// refused before its body is read; the target of a datasets/* query is only
// known once the body is valid, so scope comes last.
func (s *Server) serveAPI(h *host, w http.ResponseWriter, r *http.Request) {
	info := infoFrom(r.Context())
	if s.faults.any.Load() {
		w = &truncatable{ResponseWriter: w} // a truncate rule may cut the answer (faults.go)
	}
	if err := s.pipeline(h, w, r, info); err != nil && !errors.Is(err, errAborted) {
		writeError(w, info, err)
	}
}

// The pipeline's steps, as the journal names the one that refused a request.
const (
	stepFind     = "find"
	stepAuthn    = "authn"
	stepAccess   = "access"
	stepFault    = "fault"
	stepMedia    = "media"
	stepValidate = "validate"
	stepDead     = "dead"
	stepAuthz    = "authz"
	stepHandler  = "handler"
)

func (s *Server) pipeline(h *host, w http.ResponseWriter, r *http.Request, info *requestInfo) error {
	if info == nil {
		info = &requestInfo{}
	}
	info.step = stepFind
	route, params, err := h.find(r)
	if err != nil {
		return err
	}
	op := h.ops[route.Operation.OperationID]
	info.operationID = op.ID
	var p *access.Principal
	if op.Scope != "none" {
		info.step = stepAuthn
		if p, err = s.authenticate(r, h.creds[op.ID]); err != nil {
			return err
		}
		info.credKind, info.keyID = string(p.KeyKind), p.KeyID
		if p.Cookie {
			info.credKind = credentialCookie
		}
		// Own-account writes (x-c3d-scope: user) are open to observers too.
		info.step = stepAccess
		if op.Write() && op.Scope != "user" && !p.CanWriteAnywhere() {
			return apierr.Errorf(apierr.CodeForbidden, "%s changes state; this credential is read-only", op.ID)
		}
	}
	info.step = stepFault
	if err := s.applyFaults(w, r, h, op, info); err != nil {
		return err
	}
	info.step = stepMedia
	body, err := readBody(w, r, op, s.cfg.MaxBodyBytes)
	if err != nil {
		return err
	}
	info.step = stepValidate
	if err := validate(r, route, params, body); err != nil {
		return err
	}
	info.step = stepDead
	if op.Dead {
		return apierr.Errorf(apierr.CodeNotFound, "%s %s no longer exists at the vendor (it answers 404)", r.Method, r.URL.Path)
	}
	// Declared target parameters reach the handler only through Targets.
	declared := map[string]bool{}
	for _, l := range op.Targets {
		if l.In == spec.InPath {
			declared[l.Name] = true
		}
	}
	for name, v := range params {
		if !declared[name] {
			r.SetPathValue(name, v)
		}
	}
	ctx := r.Context()
	targets := &store.Targets{}
	info.step = stepAuthz
	if p != nil {
		allow := func(t access.Target) error { return p.Allows(t, op.Scope, op.Write(), fixtures.Role(op.Role)) }
		if targets, err = s.resolveTargets(op, r, params, body, allow); err != nil {
			return err
		}
		ctx = withPrincipal(ctx, p)
	}
	ctx = withTargets(ctx, targets)
	r = r.WithContext(ctx)
	r.Body = io.NopCloser(bytes.NewReader(body))
	info.step = stepHandler
	handle, ok := s.routes[h.name][op.ID]
	if !ok {
		return apierr.Errorf(apierr.CodeNotImplemented, "operation %s is described in the spec but c3dmock does not implement it yet", op.ID)
	}
	var draws int64
	if s.cfg.Snapshots {
		draws = s.store.Draws()
	}
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	if err := handle(rec, r); err != nil {
		return err
	}
	if s.cfg.Snapshots && rec.status < 300 && (op.Write() || s.store.Draws() != draws) {
		s.record(h, r, body) // for snapshots (snapshot.go)
	}
	s.audit(h, op, r, p, targets.Checked, rec.status)
	return nil
}

// find routes the request with the spec. Misses carry the nearest operations.
func (h *host) find(r *http.Request) (*routers.Route, map[string]string, error) {
	route, params, err := h.router.FindRoute(r)
	if err == nil {
		return route, params, nil
	}
	switch {
	case errors.Is(err, routers.ErrMethodNotAllowed):
		e := apierr.Errorf(apierr.CodeMethodNotAllowed, "%s is not allowed on %s", r.Method, r.URL.Path)
		e.Nearest = h.nearest(r.URL.Path, true)
		return nil, nil, e
	default:
		e := apierr.Errorf(apierr.CodeNotFound, "no operation matches %s %s", r.Method, r.URL.Path)
		e.Nearest = h.nearest(r.URL.Path, false)
		return nil, nil, e
	}
}

// nearest ranks the spec's operations by how many path segments they share
// with path. With sameShape only operations whose template matches are kept.
func (h *host) nearest(path string, sameShape bool) []apierr.OperationRef {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	type scored struct {
		ref   apierr.OperationRef
		score int
	}
	var all []scored
	for _, op := range h.ops {
		tpl := strings.Split(strings.Trim(op.Path, "/"), "/")
		score, exact := 0, len(tpl) == len(segs)
		for i := 0; i < min(len(tpl), len(segs)); i++ {
			switch {
			case tpl[i] == segs[i]:
				score += 3
			case strings.HasPrefix(tpl[i], "{"):
				score++
			default:
				exact = false
				if commonPrefix(tpl[i], segs[i]) >= 3 { // a typo: tagz for tags
					score += 2
				}
			}
		}
		score -= abs(len(tpl) - len(segs))
		if sameShape && !exact {
			continue
		}
		all = append(all, scored{apierr.OperationRef{Method: op.Method, Path: op.Path, OperationID: op.ID}, score})
	}
	sort.Slice(all, func(i, j int) bool {
		if all[i].score != all[j].score {
			return all[i].score > all[j].score
		}
		return all[i].ref.Path+all[i].ref.Method < all[j].ref.Path+all[j].ref.Method
	})
	var out []apierr.OperationRef
	for i := 0; i < len(all) && (sameShape || i < 3); i++ {
		if !sameShape && i > 0 && all[i].score < all[0].score {
			break
		}
		out = append(out, all[i].ref)
	}
	return out
}

func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// readBody enforces the Content-Type rules and the size limit and returns the body.
// A body on an operation that takes none is ignored, as the vendor does.
func readBody(w http.ResponseWriter, r *http.Request, op spec.Operation, limit int64) ([]byte, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, nil
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		return nil, bodyError(r, err)
	}
	rb := op.Op.RequestBody
	if len(data) == 0 || rb == nil || rb.Value == nil {
		return data, nil
	}
	expected := mediaTypes(rb.Value.Content)
	ct := r.Header.Get("Content-Type")
	mt, _, perr := mime.ParseMediaType(ct)
	if ct == "" || perr != nil || rb.Value.Content.Get(mt) == nil {
		got := ct
		if got == "" {
			got = "no Content-Type"
		}
		return nil, &apierr.Error{Code: apierr.CodeUnsupportedMedia, Message: op.ID + " takes " + strings.Join(expected, " or ") + ", not " + got,
			Field: "header:Content-Type", Rule: "mediaType", Expected: strings.Join(expected, ", ")}
	}
	return data, nil
}

func mediaTypes(c openapi3.Content) []string {
	out := make([]string, 0, len(c))
	for mt := range c {
		out = append(out, mt)
	}
	sort.Strings(out)
	return out
}

// validate runs kin-openapi's request validation. Security was settled by
// authenticate, so the AuthenticationFunc accepts. Defaults are not written
// into bodies: handlers see exactly what the client sent. Raw-file bodies
// (images, video) are checked by their handler, not decoded here.
func validate(r *http.Request, route *routers.Route, params map[string]string, body []byte) error {
	opts := &openapi3filter.Options{
		AuthenticationFunc:  func(context.Context, *openapi3filter.AuthenticationInput) error { return nil },
		SkipSettingDefaults: true,
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); len(body) > 0 && !structured(mt) {
		opts.ExcludeRequestBody = true
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	in := &openapi3filter.RequestValidationInput{Request: r, PathParams: params, Route: route, Options: opts}
	return openapi3filter.ValidateRequest(r.Context(), in)
}

// structured reports whether kin-openapi decodes the media type itself.
func structured(mt string) bool {
	return mt == "application/json" || strings.HasSuffix(mt, "+json") ||
		mt == "multipart/form-data" || mt == "application/x-www-form-urlencoded" || mt == "text/plain"
}
