package mock

import (
	"context"

	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/c3dmock/c3dmock/mock/apierr"
)

// requestInfo is filled in by the pipeline and read by logRequests.
type requestInfo struct {
	operationID  string
	reason       string // the client-facing reason of a 4xx/5xx
	cause        error
	codeIsStatus bool // error bodies carry the HTTP status as code (Config.ErrorCode "status")

	// For the journal (journal.go).
	step     string        // the pipeline step reached (pipeline.go): the one that refused a refused request
	err      *apierr.Error // the error written, if any
	credKind string        // the credential's kind, never its secret
	keyID    int64
	fault    string // the fault rule that fired (faults.go)
}

type infoKey struct{}

func infoFrom(ctx context.Context) *requestInfo {
	info, _ := ctx.Value(infoKey{}).(*requestInfo)
	return info
}

// statusRecorder remembers the status for the log line.
type statusRecorder struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (s *statusRecorder) WriteHeader(code int) {
	if !s.wrote {
		s.status, s.wrote = code, true
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if !s.wrote {
		s.status, s.wrote = http.StatusOK, true
	}
	return s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// logRequests writes one structured line per request. Credentials are never
// logged: only method, path, operation, status, duration and the 4xx reason.
func logRequests(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		info := &requestInfo{}
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r.WithContext(context.WithValue(r.Context(), infoKey{}, info)))
		attrs := []slog.Attr{
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", rec.status),
			slog.Duration("duration", time.Since(start)),
		}
		if info.operationID != "" {
			attrs = append(attrs, slog.String("operationId", info.operationID))
		}
		level := slog.LevelInfo
		if rec.status >= 400 {
			attrs = append(attrs, slog.String("reason", info.reason))
		}
		switch {
		case rec.status == http.StatusInsufficientStorage:
			level = slog.LevelWarn // the stored-data budget is spent: the operator's call, not a c3dmock bug
		case rec.status >= 500 && rec.status != http.StatusNotImplemented:
			level = slog.LevelError
			if info.cause != nil {
				attrs = append(attrs, slog.String("cause", info.cause.Error()))
			}
		}
		log.LogAttrs(r.Context(), level, "request", attrs...)
	})
}

// errorCodeAsStatus makes error bodies carry the integer HTTP status as
// their code (Config.ErrorCode "status").
func errorCodeAsStatus(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if info := infoFrom(r.Context()); info != nil {
			info.codeIsStatus = true
		}
		next.ServeHTTP(w, r)
	})
}

// recoverPanic turns a handler panic into a logged 500: a mock defect, never the client's.
func recoverPanic(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				log.Error("panic", slog.String("path", r.URL.Path), slog.Any("panic", v), slog.String("stack", string(debug.Stack())))
				writeError(w, infoFrom(r.Context()), fmt.Errorf("panic: %v", v))
			}
		}()
		next.ServeHTTP(w, r)
	})
}
