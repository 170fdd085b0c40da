package mock

import (
	"bytes"
	"context"
	"crypto/subtle"
	"io"
	"net/http"
	"sync"

	"github.com/c3dmock/c3dmock/mock/apierr"
	"github.com/c3dmock/c3dmock/spec"
	"github.com/getkin/kin-openapi/openapi3"
)

// The headers that guard the /__c3dmock control endpoints (README: "Control
// endpoints").
const (
	// ControlHeader must be "1" on every state-changing control request
	// (POST /__c3dmock/reset). A browser sends a custom header cross-site
	// only after a CORS preflight, and c3dmock refuses every preflight to
	// /__c3dmock, so a web page cannot reset a local mock.
	ControlHeader = "C3dmock-Control"
	// ControlTokenHeader carries Config.ControlToken (serve --control-token),
	// when one is set, on every control request but the health check.
	ControlTokenHeader = "C3dmock-Control-Token"
)

// controlFunc handles one control operation after the control pipeline
// has accepted the request; sb is the sandbox the request selects (the
// default sandbox for operations that are not per sandbox). Like apiFunc it
// reports failure by returning an error.
type controlFunc func(sb *Server, w http.ResponseWriter, r *http.Request) error

// controlRoutes maps each operationId of spec/control.yaml to its handler.
func controlRoutes() map[string]controlFunc {
	return map[string]controlFunc{
		"healthz":          (*Server).healthz,
		"reset":            (*Server).reset,
		"listReportEmails": (*Server).reportEmails,
		"listSandboxes":    (*Server).listSandboxes,
		"deleteSandbox":    (*Server).deleteSandbox,
		"getClock":         (*Server).getClock,
		"setClock":         (*Server).setClock,
		"getSnapshot":      (*Server).getSnapshot,
		"putSnapshot":      (*Server).putSnapshot,
		"saveSnapshot":     (*Server).saveSnapshot,
		"listRequests":     (*Server).listRequests,
		"clearRequests":    (*Server).clearRequests,
		"verify":           (*Server).verify,
		"getReport":        (*Server).getReport,
		"createFault":      (*Server).createFault,
		"listFaults":       (*Server).listFaults,
		"deleteFault":      (*Server).deleteFault,
		"clearFaults":      (*Server).clearFaults,
	}
}

// ControlOperations reports the control operationIds that have a handler.
func ControlOperations() map[string]bool {
	out := map[string]bool{}
	for id := range controlRoutes() {
		out[id] = true
	}
	return out
}

// controlDoc is spec/control.yaml, loaded once per process.
var controlDoc = sync.OnceValues(func() (*openapi3.T, error) { return spec.Load(context.Background(), spec.Control) })

// newControlHost builds the control host from its document.
func newControlHost() (*host, map[string]controlFunc, error) {
	doc, err := controlDoc()
	if err != nil {
		return nil, nil, err
	}
	routes := controlRoutes()
	validate := make(map[string]apiFunc, len(routes))
	for id := range routes {
		validate[id] = nil
	}
	h, err := newHost("control", doc, validate)
	return h, routes, err
}

// serveControl is the pipeline of the control endpoints: the vendor
// pipeline's routing, body and validation steps with the control guard in
// place of credentials, and the one error writer.
//
//  1. find      route from spec/control.yaml            404 / 405 naming the nearest operations
//  2. guard     C3dmock-Control-Token (with --control-token; not on healthz), 401
//     C3dmock-Control: 1 on every method but GET and HEAD   403
//  3. media     Content-Type against the operation      415; body over the limit 413
//  4. validate  kin-openapi request validation          400
//  5. sandbox   C3dmock-Sandbox for per-sandbox operations 400 bad name, 507 no room
//  6. handler
func (s *Server) serveControl(w http.ResponseWriter, r *http.Request) {
	info := infoFrom(r.Context())
	if err := s.controlPipeline(w, r, info); err != nil {
		writeError(w, info, err)
	}
}

func (s *Server) controlPipeline(w http.ResponseWriter, r *http.Request, info *requestInfo) error {
	h := s.control
	route, params, err := h.find(r)
	if err != nil {
		return err
	}
	op := h.ops[route.Operation.OperationID]
	if info != nil {
		info.operationID = op.ID
	}
	if err := s.guardControl(r, op); err != nil {
		return err
	}
	body, err := readBody(w, r, op, s.cfg.MaxBodyBytes)
	if err != nil {
		return err
	}
	if err := validate(r, route, params, body); err != nil {
		return err
	}
	for name, v := range params {
		r.SetPathValue(name, v)
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	sb := s
	if perSandbox(op) {
		if sb, err = s.sandboxOf(r); err != nil {
			return err
		}
	}
	return s.controlOps[op.ID](sb, w, r)
}

// perSandbox reports whether an operation acts on the selected sandbox: it
// takes the C3dmock-Sandbox header.
func perSandbox(op spec.Operation) bool {
	for _, p := range op.Op.Parameters {
		if p.Value != nil && p.Value.In == openapi3.ParameterInHeader && http.CanonicalHeaderKey(p.Value.Name) == SandboxHeader {
			return true
		}
	}
	return false
}

// guardControl applies the control token and the control header. Reads
// (GET, HEAD) pass without the control header; with a control token every
// request but the health check needs the token, so on a shared instance
// nobody without it can reset the world or read what it recorded.
func (s *Server) guardControl(r *http.Request, op spec.Operation) error {
	if tok := s.cfg.ControlToken; tok != "" && op.Op.Extensions[spec.ExtControl] != "open" {
		got := r.Header.Get(ControlTokenHeader)
		if subtle.ConstantTimeCompare([]byte(got), []byte(tok)) != 1 {
			msg := "this c3dmock runs with --control-token: control endpoints need the header " + ControlTokenHeader + ": <token>"
			if got != "" {
				msg = "the " + ControlTokenHeader + " header does not match --control-token"
			}
			return &apierr.Error{Code: apierr.CodeUnauthorized, Message: msg,
				Field: "header:" + ControlTokenHeader, Rule: "controlToken", Expected: "the token given to serve --control-token"}
		}
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead && r.Header.Get(ControlHeader) != "1" {
		return &apierr.Error{Code: apierr.CodeForbidden,
			Message: r.Method + " " + r.URL.Path + " changes state: send the header " + ControlHeader + ": 1 " +
				"(a web page cannot send it cross-site, so no page you open can fire this endpoint)",
			Field: "header:" + ControlHeader, Rule: "controlHeader", Expected: "1"}
	}
	return nil
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	return writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// reset gives the sandbox a fresh fork of its world and a clock back on
// the server's time.
func (s *Server) reset(w http.ResponseWriter, r *http.Request) error {
	if err := s.store.Reset(); err != nil {
		return err
	}
	s.clock.Reset()
	return writeJSON(w, http.StatusOK, map[string]string{"status": "reset"})
}

// reportEmails lists the session report emails the API was asked to send
// (none is sent), oldest first.
func (s *Server) reportEmails(w http.ResponseWriter, r *http.Request) error {
	return writeJSON(w, http.StatusOK, s.store.ReportEmails())
}

// refusePreflight answers CORS preflights to the control endpoints with 403
// and no Access-Control-Allow-* headers: the browser then never sends the
// cross-site request (the Data Collector's open CORS stops short of them).
func refusePreflight(w http.ResponseWriter, r *http.Request) {
	writeError(w, infoFrom(r.Context()), &apierr.Error{Code: apierr.CodeForbidden,
		Message: "control endpoints do not answer cross-origin (CORS) requests: call them from curl, a test or a script, not a web page",
		Field:   "header:Origin", Rule: "controlCORS"})
}
