package mock

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/c3dmock/c3dmock/mock/apierr"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
)

// errorBody is the JSON every error response carries on both hosts (spec:
// components/schemas/Error). Status is the HTTP status as a number, for
// clients that want an integer; Code is the string name unless the server
// runs with ErrorCode "status" (Config.ErrorCode), where Code is that integer
// - the vendor's C++ SDK of 2017-2022 reads code as one - and the name moves
// to Error.
type errorBody struct {
	Code        any                   `json:"code"`
	Error       apierr.Code           `json:"error,omitempty"`
	Message     string                `json:"message"`
	Status      int                   `json:"status"`
	Field       string                `json:"field,omitempty"`
	Rule        string                `json:"rule,omitempty"`
	Expected    string                `json:"expected,omitempty"`
	OperationID string                `json:"operationId,omitempty"`
	Nearest     []apierr.OperationRef `json:"nearest,omitempty"`
}

// asError turns any error into an *Error: ours as they are, kin-openapi's
// request errors into 400s that name the field, everything else into 500.
func asError(err error) *apierr.Error {
	var e *apierr.Error
	if errors.As(err, &e) {
		return e
	}
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return &apierr.Error{Code: apierr.CodeTooLarge, Message: fmt.Sprintf("request body is larger than %d bytes", tooBig.Limit), Rule: "maxBodyBytes", Err: err}
	}
	var reqErr *openapi3filter.RequestError
	if errors.As(err, &reqErr) {
		return fromRequestError(reqErr)
	}
	return &apierr.Error{Code: apierr.CodeInternal, Message: "internal error", Err: err}
}

func fromRequestError(re *openapi3filter.RequestError) *apierr.Error {
	e := &apierr.Error{Code: apierr.CodeInvalid, Err: re}
	if p := re.Parameter; p != nil {
		e.Field = p.In + ":" + p.Name
	} else if re.RequestBody != nil {
		e.Field = "/"
	}
	var se *openapi3.SchemaError
	var pe *openapi3filter.ParseError
	switch {
	case errors.As(re.Err, &se):
		if re.RequestBody != nil {
			e.Field = "/" + strings.Join(se.JSONPointer(), "/")
		} else if ptr := se.JSONPointer(); len(ptr) > 0 {
			e.Field += "/" + strings.Join(ptr, "/")
		}
		e.Rule = se.SchemaField
		e.Expected = expectedOf(se)
		e.Message = fmt.Sprintf("%s: %s", fieldName(e.Field), se.Reason)
		if alts := requiredAlternatives(se); len(alts) > 0 {
			// anyOf/oneOf of required-only branches: "one of these properties"
			e.Message = fmt.Sprintf("%s: needs %s", fieldName(e.Field), strings.Join(alts, " or "))
			e.Field = strings.TrimSuffix(e.Field, "/") + "/" + alts[0]
			e.Rule, e.Expected = "required", "one of the properties "+strings.Join(alts, ", ")
		}
	case errors.As(re.Err, &pe):
		e.Rule = "parse"
		e.Message = fmt.Sprintf("%s: %s", fieldName(e.Field), pe.Error())
		if re.RequestBody != nil {
			e.Expected = "a valid JSON document"
			e.Message = "request body is not valid JSON: " + pe.Error()
		}
	default:
		e.Rule = "required"
		e.Message = re.Error()
		if re.Err == nil && re.Reason != "" {
			e.Message = fmt.Sprintf("%s: %s", fieldName(e.Field), re.Reason)
		}
	}
	return e
}

// requiredAlternatives returns the property names of an anyOf/oneOf whose
// branches only require one property each ({anyOf: [{required: [a]}, {required: [b]}]});
// nil for any other schema error.
func requiredAlternatives(se *openapi3.SchemaError) []string {
	s := se.Schema
	if s == nil {
		return nil
	}
	var branches openapi3.SchemaRefs
	switch se.SchemaField {
	case "anyOf":
		branches = s.AnyOf
	case "oneOf":
		branches = s.OneOf
	default:
		return nil
	}
	var names []string
	for _, b := range branches {
		v := b.Value
		if v == nil || len(v.Required) != 1 || v.Type != nil || len(v.Properties) > 0 {
			return nil
		}
		names = append(names, v.Required[0])
	}
	return names
}

func fieldName(f string) string {
	switch f {
	case "", "/":
		return "request body"
	}
	return f
}

func expectedOf(se *openapi3.SchemaError) string {
	s := se.Schema
	if s == nil {
		return ""
	}
	switch se.SchemaField {
	case "type", "nullable":
		if s.Type != nil && len(*s.Type) > 0 {
			exp := strings.Join(*s.Type, " or ")
			if s.Format != "" {
				exp += " (" + s.Format + ")"
			}
			return exp
		}
	case "enum":
		vals := make([]string, 0, len(s.Enum))
		for _, v := range s.Enum {
			vals = append(vals, fmt.Sprint(v))
		}
		return "one of " + strings.Join(vals, ", ")
	case "required":
		return "required properties " + strings.Join(s.Required, ", ")
	case "minimum":
		if s.Min != nil {
			return fmt.Sprintf(">= %v", *s.Min)
		}
	case "maximum":
		if s.Max != nil {
			return fmt.Sprintf("<= %v", *s.Max)
		}
	case "pattern":
		return "matching " + s.Pattern
	case "additionalProperties":
		return "no properties other than those documented"
	}
	return se.SchemaField
}

// writeError is the only place that renders errors. Internal errors are logged
// with their cause; the client sees a fixed message and a Mock-Error header.
func writeError(w http.ResponseWriter, info *requestInfo, err error) {
	e := asError(err)
	status := e.Code.Status()
	body := errorBody{Code: e.Code, Message: e.Message, Status: status, Field: e.Field, Rule: e.Rule, Expected: e.Expected, Nearest: e.Nearest}
	if info != nil {
		if info.codeIsStatus {
			body.Code, body.Error = status, e.Code
		}
		body.OperationID = info.operationID
		info.reason = e.Message
		info.cause = e.Err
		info.err = e
	}
	if e.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.FormatInt(int64((e.RetryAfter+time.Second-1)/time.Second), 10))
	}
	switch e.Code {
	case apierr.CodeInternal:
		w.Header().Set("Mock-Error", "true")
	case apierr.CodeMethodNotAllowed:
		methods := make([]string, 0, len(e.Nearest))
		for _, n := range e.Nearest {
			methods = append(methods, n.Method)
		}
		w.Header().Set("Allow", strings.Join(methods, ", "))
	}
	writeJSON(w, status, body)
}
