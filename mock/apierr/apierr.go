package apierr

import (
	"fmt"
	"net/http"
	"time"
)

// Code classifies a failure. The vendor's error body is not documented, so the
// values are c3dmock's own; clients of the vendor API rely on the status only.
type Code string

// The error codes, one status each (Code.Status).
const (
	CodeInvalid          Code = "invalid_request"
	CodeUnauthorized     Code = "unauthorized"
	CodeKeyExpired       Code = "key_expired"
	CodeForbidden        Code = "forbidden"
	CodeNotFound         Code = "not_found"
	CodeMethodNotAllowed Code = "method_not_allowed"
	CodeConflict         Code = "conflict"
	CodeTooLarge         Code = "request_too_large"
	CodeUnsupportedMedia Code = "unsupported_media_type"
	CodeInternal         Code = "internal_error"
	CodeNotImplemented   Code = "not_implemented"
	CodeTooManyRequests  Code = "too_many_requests"    // login throttling; carries Retry-After
	CodeStoreFull        Code = "insufficient_storage" // the stored-data budget is spent; not a c3dmock bug
)

var statusOf = map[Code]int{
	CodeInvalid:          http.StatusBadRequest,
	CodeUnauthorized:     http.StatusUnauthorized,
	CodeKeyExpired:       http.StatusUnauthorized,
	CodeForbidden:        http.StatusForbidden,
	CodeNotFound:         http.StatusNotFound,
	CodeMethodNotAllowed: http.StatusMethodNotAllowed,
	CodeConflict:         http.StatusConflict,
	CodeTooLarge:         http.StatusRequestEntityTooLarge,
	CodeUnsupportedMedia: http.StatusUnsupportedMediaType,
	CodeInternal:         http.StatusInternalServerError,
	CodeNotImplemented:   http.StatusNotImplemented,
	CodeTooManyRequests:  http.StatusTooManyRequests,
	CodeStoreFull:        http.StatusInsufficientStorage,
}

// Error is a failure whose Message, Field, Rule, Expected and Nearest may be
// shown to the client. Err is the cause and is only logged.
type Error struct {
	Code     Code
	Message  string
	Field    string // JSON pointer (body) or "query:name"/"path:name"/"header:name"
	Rule     string // the schema keyword or pipeline rule that failed
	Expected string
	Nearest  []OperationRef
	Err      error
	// RetryAfter, when positive, is sent as the Retry-After header in
	// whole seconds, rounded up.
	RetryAfter time.Duration
}

// OperationRef names an operation of the spec, for 404/405 hints.
type OperationRef struct {
	Method      string `json:"method"`
	Path        string `json:"path"`
	OperationID string `json:"operationId"`
}

func (e *Error) Error() string { return string(e.Code) + ": " + e.Message }

func (e *Error) Unwrap() error { return e.Err }

func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Status is the HTTP status of a code; 500 for a code without one.
func (c Code) Status() int {
	if s, ok := statusOf[c]; ok {
		return s
	}
	return http.StatusInternalServerError
}
