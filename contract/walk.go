package contract

import (
	"encoding/json"
	"fmt"
	"math"
	"net/mail"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
)

// Finding is something a response holds that its schema does not describe.
type Finding struct {
	Kind    string `json:"kind"`    // field | enum | format | type | status | missing
	Pointer string `json:"pointer"` // JSON pointer into the body; array indexes as "*"
	Detail  string `json:"detail"`
}

func (f Finding) String() string {
	p := f.Pointer
	if p == "" {
		p = "/"
	}
	return fmt.Sprintf("%s %s: %s", f.Kind, p, f.Detail)
}

// decodeLoose decodes JSON with float64 numbers, as kin-openapi expects.
func decodeLoose(data []byte) (any, error) {
	var v any
	err := json.Unmarshal(data, &v)
	return v, err
}

// walk compares v with schema s and lists undocumented object fields (where
// the schema lists properties and does not allow others), values outside an
// enum, format mismatches and type mismatches. Findings are sorted and unique.
func walk(s *openapi3.Schema, v any) []Finding {
	seen := map[Finding]bool{}
	walkInto(s, v, "", seen)
	out := make([]Finding, 0, len(seen))
	for f := range seen {
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
}

func walkInto(s *openapi3.Schema, v any, ptr string, out map[Finding]bool) {
	if s == nil || v == nil {
		return
	}
	if alt := pickAlternative(s, v); alt != nil {
		walkInto(alt, v, ptr, out)
	}
	switch t := v.(type) {
	case map[string]any:
		for _, f := range mustHave(s) {
			if _, ok := t[f.name]; !ok {
				out[Finding{Kind: "missing", Pointer: ptr + "/" + escapePointer(f.name), Detail: f.why}] = true
			}
		}
		props, extra := propertiesOf(s)
		if len(props) == 0 && extra == nil {
			return
		}
		for k, e := range t {
			child := ptr + "/" + escapePointer(k)
			switch {
			case props[k] != nil:
				walkInto(props[k], e, child, out)
			case extra != nil:
				walkInto(extra, e, child, out)
			case !allowsExtra(s) && len(props) > 0:
				out[Finding{Kind: "field", Pointer: child, Detail: "not in the spec"}] = true
			}
		}
	case []any:
		if s.Items != nil && s.Items.Value != nil {
			for _, e := range t {
				walkInto(s.Items.Value, e, ptr+"/*", out)
			}
		}
	default:
		leaf(s, t, ptr, out)
	}
}

// pickAlternative returns the oneOf/anyOf branch that v matches (or the first).
func pickAlternative(s *openapi3.Schema, v any) *openapi3.Schema {
	alts := append(append(openapi3.SchemaRefs{}, s.OneOf...), s.AnyOf...)
	for _, a := range alts {
		if a.Value != nil && a.Value.VisitJSON(v) == nil {
			return a.Value
		}
	}
	if len(alts) > 0 {
		return alts[0].Value
	}
	return nil
}

// propertiesOf merges the properties of s and its allOf parts; extra is the
// additionalProperties schema, if one is given.
func propertiesOf(s *openapi3.Schema) (map[string]*openapi3.Schema, *openapi3.Schema) {
	props := map[string]*openapi3.Schema{}
	var extra *openapi3.Schema
	var visit func(*openapi3.Schema)
	visit = func(s *openapi3.Schema) {
		for k, p := range s.Properties {
			if p != nil && p.Value != nil {
				props[k] = p.Value
			}
		}
		if ap := s.AdditionalProperties.Schema; ap != nil && ap.Value != nil {
			extra = ap.Value
		}
		for _, a := range s.AllOf {
			if a.Value != nil {
				visit(a.Value)
			}
		}
	}
	visit(s)
	return props, extra
}

func allowsExtra(s *openapi3.Schema) bool {
	if h := s.AdditionalProperties.Has; h != nil && *h {
		return true
	}
	for _, a := range s.AllOf {
		if a.Value != nil && allowsExtra(a.Value) {
			return true
		}
	}
	return false
}

func leaf(s *openapi3.Schema, v any, ptr string, out map[Finding]bool) {
	if s.Type != nil && len(*s.Type) > 0 && !typeMatches(*s.Type, v) {
		out[Finding{Kind: "type", Pointer: ptr, Detail: fmt.Sprintf("%s, spec says %s", kindOf(v), strings.Join(*s.Type, " or "))}] = true
		return
	}
	if len(s.Enum) > 0 && !inEnum(s.Enum, v) {
		out[Finding{Kind: "enum", Pointer: ptr, Detail: fmt.Sprintf("value %v is not one of %v", v, s.Enum)}] = true
	}
	if s.Format != "" && !formatMatches(s.Format, v) {
		out[Finding{Kind: "format", Pointer: ptr, Detail: fmt.Sprintf("value %v is not a %s", v, s.Format)}] = true
	}
}

func typeMatches(types []string, v any) bool {
	for _, t := range types {
		switch t {
		case "string":
			if _, ok := v.(string); ok {
				return true
			}
		case "number":
			if _, ok := v.(float64); ok {
				return true
			}
		case "integer":
			if f, ok := v.(float64); ok && f == math.Trunc(f) {
				return true
			}
		case "boolean":
			if _, ok := v.(bool); ok {
				return true
			}
		case "object", "array", "null":
			return true // containers and null are handled by the walker and the validator
		}
	}
	return false
}

func inEnum(enum []any, v any) bool {
	for _, e := range enum {
		if fmt.Sprint(e) == fmt.Sprint(v) {
			return true
		}
	}
	return false
}

var uuidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

func formatMatches(format string, v any) bool {
	switch x := v.(type) {
	case string:
		switch format {
		case "date-time":
			_, err := time.Parse(time.RFC3339Nano, x)
			return err == nil
		case "date":
			_, err := time.Parse("2006-01-02", x)
			return err == nil
		case "uuid":
			return uuidRE.MatchString(x)
		case "email":
			_, err := mail.ParseAddress(x)
			return err == nil
		}
	case float64:
		switch format {
		case "int32":
			return x == math.Trunc(x) && x >= math.MinInt32 && x <= math.MaxInt32
		case "int64":
			return x == math.Trunc(x)
		}
	}
	return true
}

func kindOf(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case float64, json.Number:
		return "a number"
	}
	return fmt.Sprintf("%T", v)
}

func escapePointer(k string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(k)
}

// ExtAlways, on an object schema, lists fields every full answer of the
// vendor carries although trimmed client fixtures may leave them out: the
// contract runner fails an answer without them, the request validator of
// the mock does not.
const ExtAlways = "x-c3d-always"

type mustField struct{ name, why string }

// mustHave lists the fields an object of schema s must carry: required ones
// and those named by x-c3d-always (of s and its allOf parts).
func mustHave(s *openapi3.Schema) []mustField {
	var out []mustField
	seen := map[string]bool{}
	var visit func(*openapi3.Schema)
	visit = func(s *openapi3.Schema) {
		for _, r := range s.Required {
			if !seen[r] {
				seen[r] = true
				out = append(out, mustField{r, "a required field is missing"})
			}
		}
		if l, ok := s.Extensions[ExtAlways].([]any); ok {
			for _, e := range l {
				if n, ok := e.(string); ok && !seen[n] {
					seen[n] = true
					out = append(out, mustField{n, "a field every answer carries (" + ExtAlways + ") is missing"})
				}
			}
		}
		for _, a := range s.AllOf {
			if a.Value != nil {
				visit(a.Value)
			}
		}
	}
	visit(s)
	return out
}
