// Package apierr is c3dmock's error model: a Code (one HTTP status each) and
// an Error whose message, field and rule may be shown to the client. The
// store, the query engine and the HTTP side all return these; only the HTTP
// side (mock/errors.go) renders them.
package apierr
