package analytics

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/c3dmock/c3dmock/mock/apierr"
	"github.com/c3dmock/c3dmock/mock/store"
)

// sessionQuery is the request body shared by the datasets/sessions family
// (api.md §6.6, §7.1). Fields absent from a route's schema stay zero.
type SessionQuery struct {
	SessionType             string                `json:"sessionType"`
	EntityFilters           entityFilters         `json:"entityFilters"`
	SessionFilters          []FilterSpec          `json:"sessionFilters"`
	EventFilters            []FilterSpec          `json:"eventFilters"`
	SeparableEventFilters   []FilterSpec          `json:"separableEventFilters"`
	UserFilters             []userFilterSpec      `json:"userFilters"`
	ObjectiveFilters        []objectiveFilterSpec `json:"objectiveFilters"`
	Page                    *int                  `json:"page"`
	Limit                   *int                  `json:"limit"`
	Sort                    string                `json:"sort"`
	OrderBy                 *fieldRef             `json:"orderBy"`
	IncludeEvents           bool                  `json:"includeEvents"`
	IncludeAllObjectiveData bool                  `json:"includeAllObjectiveData"`
}

// entityFilters names the query's project, scene and version. It is never
// decoded from the body: the pipeline resolves and checks those locations
// (x-c3d-targets) and the handler fills it from the request's Targets.
type entityFilters struct {
	ProjectID int64  `json:"-"`
	SceneID   string `json:"-"`
	VersionID *int64 `json:"-"`
}

// entityFiltersOf is the checked project, scene and version of a request.
func EntityFiltersOf(tg *store.Targets) entityFilters {
	ef := entityFilters{ProjectID: tg.ProjectID, SceneID: tg.Scene}
	if tg.Version != 0 {
		v := tg.Version
		ef.VersionID = &v
	}
	return ef
}

// fieldRef names a built-in field (fieldName) or a property (nested or
// unnested field name plus path), api.md §7.2.
type fieldRef struct {
	FieldName         string `json:"fieldName"`
	NestedFieldName   string `json:"nestedFieldName"`
	UnnestedFieldName string `json:"unnestedFieldName"`
	FieldParent       string `json:"fieldParent"`
	Path              string `json:"path"`
}

// filterSpec is a leaf {field, op, value|values|min|max} or a compound
// {op: and|or|none, children}. Value stays raw so that an explicit null
// (presence test) differs from an absent value.
type FilterSpec struct {
	Field    *fieldRef       `json:"field"`
	Op       string          `json:"op"`
	Value    json.RawMessage `json:"value"`
	Values   []any           `json:"values"`
	Min      *float64        `json:"min"`
	Max      *float64        `json:"max"`
	Children []FilterSpec    `json:"children"`
}

type userFilterSpec struct {
	Field string   `json:"field"`
	Op    string   `json:"op"`
	Value *float64 `json:"value"`
	Min   *float64 `json:"min"`
	Max   *float64 `json:"max"`
}

type objectiveFilterSpec struct {
	ObjectiveVersionID int64    `json:"objectiveVersionId"`
	Type               string   `json:"type"`
	Step               *int     `json:"step"`
	Op                 string   `json:"op"`
	Value              *float64 `json:"value"`
}

// plan is a compiled session query: which rows to scan and the predicates a
// row must pass. Built by compileQuery, evaluated by world.match.
type plan struct {
	projectID int64
	scene     bool
	sceneID   string // scene mode: "" = every scene of versionID
	versionID int64  // scene mode: 0 = every version of sceneID
	lo, hi    int64  // bounds on the row date implied by top-level filters

	session    []rowPred
	events     []eventPred // one event must pass them all
	users      []userPred
	objectives []rowPred
}

// invalid builds the 400 for a malformed part of a query body.
func invalid(field, rule, expected, format string, args ...any) *apierr.Error {
	return &apierr.Error{Code: apierr.CodeInvalid, Message: fmt.Sprintf(format, args...), Field: field, Rule: rule, Expected: expected}
}

// compileQuery checks the parts of a query the schema cannot and compiles
// its filters. Scene mode (the vendor's default) needs a scene or version.
func compileQuery(q *SessionQuery) (*plan, error) {
	p := &plan{projectID: q.EntityFilters.ProjectID, lo: minInt64, hi: maxInt64}
	switch q.SessionType {
	case "project":
	case "", "scene":
		p.scene = true
		p.sceneID = q.EntityFilters.SceneID
		if q.EntityFilters.VersionID != nil {
			p.versionID = *q.EntityFilters.VersionID
		}
		if p.sceneID == "" && p.versionID == 0 {
			return nil, invalid("/entityFilters/versionId", "required", "entityFilters.sceneId or entityFilters.versionId",
				"scene sessions (sessionType %q, the default) need entityFilters.versionId or entityFilters.sceneId; send sessionType \"project\" for project sessions", q.SessionType)
		}
	default:
		return nil, invalid("/sessionType", "enum", "project or scene", "sessionType must be project or scene")
	}
	if !p.scene && (q.EntityFilters.SceneID != "" || q.EntityFilters.VersionID != nil) {
		f := "/entityFilters/sceneId"
		if q.EntityFilters.SceneID == "" {
			f = "/entityFilters/versionId"
		}
		return nil, invalid(f, "sessionType", "sessionType scene", "%s is only valid for scene sessions (sessionType \"scene\")", strings.TrimPrefix(f, "/entityFilters/"))
	}
	c := &compiler{}
	for i, f := range q.SessionFilters {
		pr, err := c.rowFilter(f, fmt.Sprintf("/sessionFilters/%d", i))
		if err != nil {
			return nil, err
		}
		if !p.narrow(f) {
			p.session = append(p.session, pr)
		}
	}
	for i, f := range append(append([]FilterSpec(nil), q.EventFilters...), q.SeparableEventFilters...) {
		name := fmt.Sprintf("/eventFilters/%d", i)
		if i >= len(q.EventFilters) {
			name = fmt.Sprintf("/separableEventFilters/%d", i-len(q.EventFilters))
		}
		ep, err := c.eventFilter(f, name)
		if err != nil {
			return nil, err
		}
		p.events = append(p.events, ep)
	}
	for i, f := range q.UserFilters {
		up, err := compileUserFilter(f, fmt.Sprintf("/userFilters/%d", i))
		if err != nil {
			return nil, err
		}
		p.users = append(p.users, up)
	}
	for i, f := range q.ObjectiveFilters {
		op, err := compileObjectiveFilter(f, fmt.Sprintf("/objectiveFilters/%d", i))
		if err != nil {
			return nil, err
		}
		p.objectives = append(p.objectives, op)
	}
	return p, nil
}

const (
	minInt64 = -1 << 63
	maxInt64 = 1<<63 - 1
)

// narrow tightens the scan bounds with a top-level filter on the row date, so
// that date ranges binary-search the index instead of scanning it. It
// reports whether the bounds now express the filter exactly (gte, lte and
// range on whole milliseconds); otherwise the filter's predicate must run.
func (p *plan) narrow(f FilterSpec) bool {
	if f.Field == nil || f.Field.FieldName != "date" || f.Field.NestedFieldName != "" || f.Field.UnnestedFieldName != "" ||
		(f.Field.FieldParent != "" && f.Field.FieldParent != "session") {
		return false
	}
	whole := func(v float64) bool { return v == float64(int64(v)) }
	v, isNum := numberOf(decodeValue(f.Value))
	switch op := strings.ToLower(f.Op); op {
	case "gte", "gt":
		if isNum {
			p.lo = max(p.lo, floorMs(v))
			return op == "gte" && whole(v)
		}
	case "lte", "lt":
		if isNum {
			p.hi = min(p.hi, ceilMs(v))
			return op == "lte" && whole(v)
		}
	case "range":
		if f.Min != nil {
			p.lo = max(p.lo, floorMs(*f.Min))
		}
		if f.Max != nil {
			p.hi = min(p.hi, ceilMs(*f.Max))
		}
		return (f.Min != nil || f.Max != nil) && (f.Min == nil || whole(*f.Min)) && (f.Max == nil || whole(*f.Max))
	}
	return false
}

func floorMs(v float64) int64 {
	if v < -9e18 {
		return minInt64
	}
	if v > 9e18 {
		return maxInt64
	}
	n := int64(v)
	if float64(n) > v {
		n--
	}
	return n
}

func ceilMs(v float64) int64 {
	if v > 9e18 {
		return maxInt64
	}
	if v < -9e18 {
		return minInt64
	}
	n := int64(v)
	if float64(n) < v {
		n++
	}
	return n
}

// decodeValue turns a raw filter value into nil, bool, string, float64,
// or []any/map for values no operator accepts.
func decodeValue(raw json.RawMessage) any {
	if len(raw) == 0 {
		return nil
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil
	}
	return v
}
