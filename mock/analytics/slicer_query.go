package analytics

import (
	"fmt"
	"slices"
	"sort"

	"github.com/c3dmock/c3dmock/fixtures/propstore"

	"github.com/c3dmock/c3dmock/fixtures"
)

// Slice runs a slicerQueries request. Its sessionCount is, by construction,
// the count paginatedListQueries gives for the same filters: both run the
// same plan over the same rows.
func (e *Engine) Slice(q *SlicerRequest) (map[string]any, error) {
	p, err := compileQuery(&q.SessionQuery)
	if err != nil {
		return nil, err
	}
	aggs := q.Aggregations
	if q.Aggregation != nil {
		aggs = append(slices.Clone(aggs), *q.Aggregation)
	}
	compiled := make([][]operation, len(aggs))
	for i, a := range aggs {
		at := fmt.Sprintf("/aggregations/%d", i)
		if q.Aggregation != nil && i == len(aggs)-1 {
			at = "/aggregation"
		}
		if compiled[i], err = compileAggregation(a, at); err != nil {
			return nil, err
		}
	}
	w := e.st.View()
	defer w.Close()
	rows, err := match(w, p)
	if err != nil {
		return nil, err
	}
	x := &evalCtx{w: w, idx: w.Index()}
	out := map[string]any{}
	for i, a := range aggs {
		byOp := map[string]any{}
		for j := range compiled[i] {
			op := &compiled[i][j]
			byOp[op.name] = op.render(op.run(x, p, rows))
		}
		out[a.Name] = byOp
	}
	return map[string]any{"aggregations": out}, nil
}

// propertyNames is the body of slicerPropertyNameQueries and
// propertyNameQueries: the property names present in the matching sessions
// (and their events), by value type, sorted.
type propertyNames struct {
	TextualSessionProp   []string `json:"textualSessionProp"`
	NumericalSessionProp []string `json:"numericalSessionProp"`
	BooleanSessionProp   []string `json:"booleanSessionProp"`
	TextualEventProp     []string `json:"textualEventProp"`
	NumericalEventProp   []string `json:"numericalEventProp"`
	BooleanEventProp     []string `json:"booleanEventProp"`
}

// PropertyNames lists the property names of the matching rows.
func (e *Engine) PropertyNames(q *SessionQuery) (propertyNames, error) {
	p, err := compileQuery(q)
	if err != nil {
		return propertyNames{}, err
	}
	w := e.st.View()
	defer w.Close()
	rows, err := match(w, p)
	if err != nil {
		return propertyNames{}, err
	}
	sets := [6]map[string]bool{{}, {}, {}, {}, {}, {}}
	// Names and types depend only on a set's layout, and a world has few.
	seen := [2]map[propstore.Layout]bool{{}, {}}
	classify := func(props propstore.Props, base int) {
		l := props.Layout()
		if seen[base/3][l] {
			return
		}
		seen[base/3][l] = true
		for k, t := range props.Types() {
			switch t {
			case "string":
				sets[base][k] = true
			case "number":
				sets[base+1][k] = true
			case "boolean":
				sets[base+2][k] = true
			}
		}
	}
	for _, r := range rows {
		classify(r.s.Properties, 0)
		for i := range r.s.Events {
			if e := &r.s.Events[i]; r.eventInRow(e) {
				classify(e.Properties, 3)
			}
		}
	}
	lists := [6][]string{}
	for i, s := range sets {
		lists[i] = make([]string, 0, len(s))
		for k := range s {
			lists[i] = append(lists[i], k)
		}
		sort.Strings(lists[i])
	}
	return propertyNames{lists[0], lists[1], lists[2], lists[3], lists[4], lists[5]}, nil
}

// fieldValuesQuery is the body of slicerFieldValuesQueries.
type FieldValuesQuery struct {
	SessionQuery
	Field    *fieldRef `json:"field"`
	MaxTerms *int      `json:"maxTerms"`
}

// FieldValues lists the distinct values of a field over the matching rows
// (or their events), most frequent first, at most maxTerms (default 256).
func (e *Engine) FieldValues(q *FieldValuesQuery) ([]any, error) {
	p, err := compileQuery(&q.SessionQuery)
	if err != nil {
		return nil, err
	}
	a, err := resolveField(q.Field, "/field")
	if err != nil {
		return nil, err
	}
	maxTerms := 256
	if q.MaxTerms != nil {
		maxTerms = *q.MaxTerms
	}
	w := e.st.View()
	defer w.Close()
	rows, err := match(w, p)
	if err != nil {
		return nil, err
	}
	x := &evalCtx{w: w, idx: w.Index()}
	freq := map[bkey]int{}
	vals := map[bkey]any{}
	add := func(v any, ok bool) {
		if k, isKey := keyOf(v); ok && isKey {
			freq[k]++
			vals[k] = v
		}
	}
	for _, r := range rows {
		if !a.event {
			add(a.sess(r))
			continue
		}
		for i := range r.s.Events {
			if e := &r.s.Events[i]; r.eventInRow(e) && x.eventPasses(p, r, e) {
				add(a.ev(r, e))
			}
		}
	}
	d := &dimension{kind: "terms", maxTerms: maxTerms}
	out := []any{}
	for _, k := range axis(d, freq) {
		out = append(out, vals[k])
	}
	return out, nil
}

// slicerOptions is the static metadata of GET slicerOptions (api.md AN1),
// drawn from the vendor's field registry.
func SlicerOptions() (map[string]any, error) {
	reg, err := fixtures.LoadFields()
	if err != nil {
		return nil, err
	}
	fields := func(defs map[string]fixtures.FieldDef, parent string) []map[string]any {
		names := make([]string, 0, len(defs))
		for n := range defs {
			names = append(names, n)
		}
		sort.Strings(names)
		out := make([]map[string]any, 0, len(names))
		for _, n := range names {
			d := defs[n]
			f := map[string]any{"fieldName": n, "fieldParent": parent, "valueType": d.Type, "description": d.Description, "nullable": d.Nullable}
			if d.DisplayName != "" {
				f["displayName"] = d.DisplayName
			}
			if d.Unit != "" {
				f["unit"] = d.Unit
			}
			if d.SceneSessionOnly {
				f["sceneSessionOnly"] = true
			}
			out = append(out, f)
		}
		return out
	}
	return map[string]any{
		"valueTypes":     []string{"numerical", "integral", "timestamp", "textual", "boolean"},
		"aggregationOps": []string{"sessionCount", "eventCount", "min", "max", "average", "sum", "Groups", "CustomGroups"},
		"sessionFields":  fields(reg.SessionFields, "session"),
		"eventFields":    fields(reg.EventFields, "event"),
	}, nil
}
