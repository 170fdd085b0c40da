package analytics

import (
	"encoding/json"
	"strings"

	"github.com/c3dmock/c3dmock/fixtures/propstore"

	"github.com/c3dmock/c3dmock/fixtures"
)

// accessor reads one field (api.md §7.2) from a row or from an event. Values
// come back as float64, string or bool; ok is false when the field is absent
// (or, for a typed property, holds a value of another type).
type accessor struct {
	event bool
	kind  string // numerical, integral, timestamp, textual, boolean
	sess  func(r row) (any, bool)
	ev    func(r row, e *fixtures.Event) (any, bool)
	prop  string // session property path, for the column cache
	col   int    // 1-based slot of the property in evalCtx.cols
}

func (a accessor) numeric() bool {
	return a.kind == "numerical" || a.kind == "integral" || a.kind == "timestamp"
}

func num(v int64) (any, bool) { return float64(v), true }

func text(s string) (any, bool) { return s, s != "" }

// sessionFields are the built-in session fields of slicer_fields.yaml.
var sessionFields = map[string]accessor{
	"date":              {kind: "timestamp", sess: func(r row) (any, bool) { return num(r.start()) }},
	"duration":          {kind: "integral", sess: func(r row) (any, bool) { return num(r.duration()) }},
	"participantId":     {kind: "textual", sess: func(r row) (any, bool) { return text(r.s.ParticipantID) }},
	"sessionId":         {kind: "textual", sess: func(r row) (any, bool) { return text(r.s.SessionID) }},
	"organizationId":    {kind: "integral", sess: func(r row) (any, bool) { return num(int64(r.s.OrganizationID)) }},
	"projectId":         {kind: "integral", sess: func(r row) (any, bool) { return num(int64(r.s.ProjectID)) }},
	"userSessionNumber": {kind: "integral", sess: func(r row) (any, bool) { return num(int64(r.s.UserSessionNumber)) }},
	"hmd":               {kind: "textual", sess: func(r row) (any, bool) { return text(r.s.HMD.String()) }},
	"gazeInterval":      {kind: "numerical", sess: func(r row) (any, bool) { return float64(r.s.GazeInterval), true }},
	"hasDynamics":       {kind: "boolean", sess: func(r row) (any, bool) { return r.s.HasDynamic, true }},
	"hasFixations":      {kind: "boolean", sess: func(r row) (any, bool) { return r.s.HasFixation, true }},
	"hasGazes":          {kind: "boolean", sess: func(r row) (any, bool) { return r.s.HasGaze, true }},
	"hasSensors":        {kind: "boolean", sess: func(r row) (any, bool) { return r.s.HasSensor, true }},
	"hasEvents":         {kind: "boolean", sess: func(r row) (any, bool) { return r.s.HasEvent, true }},
	"sceneId": {kind: "textual", sess: func(r row) (any, bool) {
		if !r.scene() {
			return nil, false
		}
		return text(r.visit().SceneID)
	}},
	"versionId": {kind: "integral", sess: func(r row) (any, bool) {
		if !r.scene() {
			return nil, false
		}
		return num(r.versionID())
	}},
	// The yaw histograms power dashboard widgets; the mock stores none.
	"hmdYawHistogram10degrees":        {kind: "numerical", sess: func(row) (any, bool) { return nil, false }},
	"hmdVirtualYawHistogram10degrees": {kind: "numerical", sess: func(row) (any, bool) { return nil, false }},
}

func evNum(f func(e *fixtures.Event) float64) func(row, *fixtures.Event) (any, bool) {
	return func(_ row, e *fixtures.Event) (any, bool) { return f(e), true }
}

func sinceStart(r row, e *fixtures.Event) (any, bool) {
	return float64(int64(e.Time) - int64(r.s.Start)), true
}

// eventFields are the built-in event fields of slicer_fields.yaml.
var eventFields = map[string]accessor{
	"eventName":                  {event: true, kind: "textual", ev: func(_ row, e *fixtures.Event) (any, bool) { return text(e.Name.String()) }},
	"date":                       {event: true, kind: "timestamp", ev: evNum(func(e *fixtures.Event) float64 { return float64(e.Time) })},
	"objectId":                   {event: true, kind: "textual", ev: func(_ row, e *fixtures.Event) (any, bool) { return text(e.Object.String()) }},
	"sessionRelativeDateTotal":   {event: true, kind: "timestamp", ev: sinceStart},
	"sessionRelativeDateGapless": {event: true, kind: "timestamp", ev: sinceStart},
	"xCoord":                     {event: true, kind: "numerical", ev: evNum(func(e *fixtures.Event) float64 { return e.X() })},
	"yCoord":                     {event: true, kind: "numerical", ev: evNum(func(e *fixtures.Event) float64 { return e.Y() })},
	"zCoord":                     {event: true, kind: "numerical", ev: evNum(func(e *fixtures.Event) float64 { return e.Z() })},
}

// propertyKinds maps the six property field names to value kind and parent.
var propertyKinds = map[string]struct {
	kind  string
	event bool
}{
	"textualSessionProp":   {"textual", false},
	"numericalSessionProp": {"numerical", false},
	"booleanSessionProp":   {"boolean", false},
	"textualEventProp":     {"textual", true},
	"numericalEventProp":   {"numerical", true},
	"booleanEventProp":     {"boolean", true},
}

// resolveField compiles a field reference. at is the JSON pointer of the
// reference in the request, for 400s.
func resolveField(f *fieldRef, at string) (accessor, error) {
	if f == nil {
		return accessor{}, invalid(at, "required", "a field reference", "%s: a leaf filter needs a field", at)
	}
	prop := f.NestedFieldName
	if prop == "" {
		prop = f.UnnestedFieldName
	}
	switch {
	case prop != "":
		pk, ok := propertyKinds[prop]
		if !ok {
			return accessor{}, invalid(at+"/nestedFieldName", "enum", "textualSessionProp, numericalSessionProp, booleanSessionProp, textualEventProp, numericalEventProp or booleanEventProp", "%s: unknown property field %q", at, prop)
		}
		if f.Path == "" {
			return accessor{}, invalid(at+"/path", "required", "a property name", "%s: %s needs a path (the property name)", at, prop)
		}
		if (f.FieldParent == "event") != pk.event && f.FieldParent != "" {
			return accessor{}, invalid(at+"/fieldParent", "fieldParent", parentOf(pk.event), "%s: %s belongs to fieldParent %q, not %q", at, prop, parentOf(pk.event), f.FieldParent)
		}
		return propertyAccessor(pk.kind, pk.event, f.Path), nil
	case f.FieldName != "":
		table, parent := sessionFields, "session"
		if f.FieldParent == "event" {
			table, parent = eventFields, "event"
		} else if f.FieldParent != "" && f.FieldParent != "session" {
			return accessor{}, invalid(at+"/fieldParent", "enum", "session or event", "%s: fieldParent must be session or event", at)
		}
		a, ok := table[f.FieldName]
		if !ok {
			return accessor{}, invalid(at+"/fieldName", "field", "a built-in "+parent+" field", "%s: %q is not a built-in %s field (see GET /v0/datasets/sessions/slicerOptions)", at, f.FieldName, parent)
		}
		return a, nil
	}
	return accessor{}, invalid(at, "required", "fieldName, nestedFieldName or unnestedFieldName", "%s: the field reference names no field", at)
}

func parentOf(event bool) string {
	if event {
		return "event"
	}
	return "session"
}

// propertyAccessor reads a typed property. Each property lives in exactly one
// of the vendor's three typed nested fields, so a textual lookup of a
// numeric property finds nothing.
func propertyAccessor(kind string, event bool, path string) accessor {
	typed := func(p propstore.Props) (any, bool) {
		v, ok := p.Get(path)
		if !ok {
			return nil, false
		}
		switch kind {
		case "textual":
			s, isStr := v.(string)
			return s, isStr
		case "boolean":
			b, isBool := v.(bool)
			return b, isBool
		default:
			return numberOf(v)
		}
	}
	a := accessor{event: event, kind: kind}
	if !event {
		a.prop = path
	}
	if event {
		a.ev = func(_ row, e *fixtures.Event) (any, bool) { return typed(e.Properties) }
	} else {
		a.sess = func(r row) (any, bool) { return typed(r.s.Properties) }
	}
	return a
}

// numberOf converts the numeric types that stored data and decoded requests
// use to float64.
func numberOf(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case float32:
		return float64(n), true
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	case int32:
		return float64(n), true
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	}
	return 0, false
}

// fieldLabel names a field reference for messages and output labels.
func fieldLabel(f *fieldRef) string {
	if f == nil {
		return ""
	}
	if f.Path != "" {
		return f.Path
	}
	return strings.TrimSpace(f.FieldParent + " " + f.FieldName)
}
