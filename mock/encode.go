package mock

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"

	"github.com/c3dmock/c3dmock/mock/apierr"
)

// writeJSON is the only place that encodes JSON responses. HTML escaping is off
// so strings come back byte for byte as stored.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

// writeBytes serves a file or export with its own content type.
func writeBytes(w http.ResponseWriter, status int, contentType string, b []byte) error {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, err := w.Write(b)
	return err
}

// noContent answers 204.
func noContent(w http.ResponseWriter) error {
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// decodeJSON decodes a body that the pipeline has already validated against the
// spec. Numbers in untyped places stay json.Number so int64 IDs survive.
func decodeJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.UseNumber()
	if err := dec.Decode(v); err != nil && err != io.EOF {
		return &apierr.Error{Code: apierr.CodeInvalid, Message: "request body: " + err.Error(), Field: "/", Rule: "type", Err: err}
	}
	return nil
}
