package mock

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"

	"github.com/c3dmock/c3dmock/mock/apierr"
)

// bodyError classifies a failure to read the request body. A body fails to
// arrive only through the client or the network (a body shorter than its
// Content-Length, bad chunked framing, a connection closed or stalled
// mid-body), never through c3dmock, so every such failure is a 400 naming the
// framing rule; a body over the limit stays the 413 asError makes of
// *http.MaxBytesError. Only c3dmock's own bugs are 5xx.
func bodyError(r *http.Request, err error) error {
	var tooBig *http.MaxBytesError
	var ours *apierr.Error
	if errors.As(err, &tooBig) || errors.As(err, &ours) {
		return err
	}
	e := &apierr.Error{Code: apierr.CodeInvalid, Field: "/", Rule: "framing", Err: err}
	chunked := slices.Contains(r.TransferEncoding, "chunked")
	var ne net.Error
	switch {
	case errors.As(err, &ne) && ne.Timeout():
		e.Message = "the request body did not arrive within the server's read timeout"
		e.Expected = "the whole body within --read-timeout"
	case chunked && errors.Is(err, io.ErrUnexpectedEOF):
		e.Message = "the chunked request body ended before its last (zero-length) chunk: the body is cut short or the connection closed mid-body"
		e.Expected = "chunked transfer coding ending with a zero-length chunk (RFC 9112 §7.1)"
	case chunked:
		e.Message = "malformed chunked request body: " + err.Error()
		e.Expected = "chunked transfer coding (RFC 9112 §7.1)"
	case errors.Is(err, io.ErrUnexpectedEOF) && r.ContentLength > 0:
		e.Message = fmt.Sprintf("the request body ended before its Content-Length of %d bytes: the body is short or the connection closed mid-body", r.ContentLength)
		e.Expected = fmt.Sprintf("%d body bytes, as Content-Length says", r.ContentLength)
	default:
		e.Message = "the request body could not be read: " + err.Error()
	}
	return e
}
