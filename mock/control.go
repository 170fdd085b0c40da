package mock

import (
	"crypto/subtle"
	"net/http"

	"github.com/c3dmock/c3dmock/mock/apierr"
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

// control guards a control endpoint. Reads (GET, HEAD) pass without the
// control header; with a control token every request needs the token, so
// on a shared instance nobody without it can reset the world or read what
// it recorded.
func (s *Server) control(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if tok := s.cfg.ControlToken; tok != "" {
			got := r.Header.Get(ControlTokenHeader)
			if subtle.ConstantTimeCompare([]byte(got), []byte(tok)) != 1 {
				msg := "this c3dmock runs with --control-token: control endpoints need the header " + ControlTokenHeader + ": <token>"
				if got != "" {
					msg = "the " + ControlTokenHeader + " header does not match --control-token"
				}
				writeError(w, infoFrom(r.Context()), &apierr.Error{Code: apierr.CodeUnauthorized, Message: msg,
					Field: "header:" + ControlTokenHeader, Rule: "controlToken", Expected: "the token given to serve --control-token"})
				return
			}
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead && r.Header.Get(ControlHeader) != "1" {
			writeError(w, infoFrom(r.Context()), &apierr.Error{Code: apierr.CodeForbidden,
				Message: r.Method + " " + r.URL.Path + " changes state: send the header " + ControlHeader + ": 1 " +
					"(a web page cannot send it cross-site, so no page you open can fire this endpoint)",
				Field: "header:" + ControlHeader, Rule: "controlHeader", Expected: "1"})
			return
		}
		next(w, r)
	}
}

// refusePreflight answers CORS preflights to the control endpoints with 403
// and no Access-Control-Allow-* headers: the browser then never sends the
// cross-site request (the Data Collector's open CORS stops short of them).
func refusePreflight(w http.ResponseWriter, r *http.Request) {
	writeError(w, infoFrom(r.Context()), &apierr.Error{Code: apierr.CodeForbidden,
		Message: "control endpoints do not answer cross-origin (CORS) requests: call them from curl, a test or a script, not a web page",
		Field:   "header:Origin", Rule: "controlCORS"})
}
