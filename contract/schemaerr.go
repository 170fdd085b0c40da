package contract

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
)

// describeSchemaError turns a kin-openapi validation error into lines a
// person can act on: the JSON pointer into the body, the schema keyword that
// failed, what the spec expects and what came back, never the whole schema.
func describeSchemaError(err error) string {
	var serrs []*openapi3.SchemaError
	collectSchemaErrors(err, &serrs)
	if len(serrs) == 0 {
		var re *openapi3filter.ResponseError
		if errors.As(err, &re) && re.Err != nil {
			return plain(re.Err.Error())
		}
		return plain(err.Error())
	}
	var parts []string
	for i, se := range serrs {
		if i == 3 {
			parts = append(parts, fmt.Sprintf("and %d more", len(serrs)-3))
			break
		}
		parts = append(parts, describeOne(se))
	}
	return strings.Join(parts, "; ")
}

func collectSchemaErrors(err error, out *[]*openapi3.SchemaError) {
	var me openapi3.MultiError
	if errors.As(err, &me) {
		for _, e := range me {
			collectSchemaErrors(e, out)
		}
		return
	}
	var se *openapi3.SchemaError
	if errors.As(err, &se) {
		// oneOf/anyOf wrap the errors of each alternative; report the first.
		if se.Origin != nil {
			var inner []*openapi3.SchemaError
			collectSchemaErrors(se.Origin, &inner)
			if len(inner) > 0 {
				for _, in := range inner {
					in2 := *in
					*out = append(*out, &in2)
				}
				return
			}
		}
		*out = append(*out, se)
	}
}

var quotedProp = regexp.MustCompile(`property "([^"]+)"`)

func describeOne(se *openapi3.SchemaError) string {
	ptr := "/" + strings.Join(se.JSONPointer(), "/")
	kw := se.SchemaField
	if kw == "" {
		kw = "schema"
	}
	s := se.Schema
	expected, got := "", preview(se.Value)
	switch kw {
	case "required":
		if m := quotedProp.FindStringSubmatch(se.Reason); m != nil {
			ptr = strings.TrimSuffix(ptr, "/") + "/" + m[1]
			expected, got = "the field to be present", "it is missing"
		}
	case "type":
		if s != nil && s.Type != nil {
			expected = strings.Join(s.Type.Slice(), " or ")
			if s.Nullable {
				expected += " or null"
			}
		}
		got = kindOf(se.Value) + " " + got
	case "enum":
		if s != nil {
			expected = "one of " + preview(s.Enum)
		}
	case "minimum", "exclusiveMinimum":
		if s != nil && s.Min != nil {
			expected = fmt.Sprintf(">= %g", *s.Min)
		}
	case "maximum", "exclusiveMaximum":
		if s != nil && s.Max != nil {
			expected = fmt.Sprintf("<= %g", *s.Max)
		}
	case "format":
		if s != nil {
			expected = "format " + s.Format
		}
	case "pattern":
		if s != nil {
			expected = "pattern " + s.Pattern
		}
	case "minLength", "maxLength", "minItems", "maxItems":
		expected = plain(se.Reason)
	case "additionalProperties":
		expected = "no undocumented fields"
	}
	msg := fmt.Sprintf("at %s: keyword %s", ptr, kw)
	if expected != "" {
		msg += ": expected " + expected + ", got " + got
	} else if se.Reason != "" {
		msg += ": " + plain(se.Reason) + " (got " + got + ")"
	}
	return msg
}

// preview renders a value as short JSON; null for nothing, never Go syntax.
func preview(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return kindOf(v)
	}
	return clip(string(b), 80)
}

// plain strips Go-isms from messages meant for people.
func plain(s string) string {
	s = strings.ReplaceAll(s, "<nil>", "null")
	if i := strings.Index(s, "\nSchema:"); i >= 0 {
		s = s[:i]
	}
	return clip(oneLine(s), 300)
}
