package analytics

import (
	"fmt"

	"github.com/c3dmock/c3dmock/fixtures"
)

// slicerRequest is the body of slicerQueries (api.md §7): a session query
// plus aggregations. The singular "aggregation" of vendor examples is
// accepted too.
type SlicerRequest struct {
	SessionQuery
	Aggregations []aggregationSpec `json:"aggregations"`
	Aggregation  *aggregationSpec  `json:"aggregation"`
}

type aggregationSpec struct {
	Name       string          `json:"name"`
	OutputType string          `json:"outputType"`
	Operations []operationSpec `json:"operations"`
	SliceBys   []sliceBySpec   `json:"sliceBys"`
}

type operationSpec struct {
	Name     string    `json:"name"`
	Type     string    `json:"type"`
	Field    *fieldRef `json:"field"`
	Interval *float64  `json:"interval"`
	Groups   []any     `json:"groups"`
}

// cell accumulates one bucket of one operation.
type cell struct {
	n             int
	sum, min, max float64
}

func (c *cell) add(v float64) {
	if c.n == 0 || v < c.min {
		c.min = v
	}
	if c.n == 0 || v > c.max {
		c.max = v
	}
	c.n++
	c.sum += v
}

// operation is a compiled operation with its dimensions (y first, x last).
type operation struct {
	name, typ string
	field     *accessor
	dims      []dimension
	output    string
}

// value renders a cell: counts and sums of nothing are 0, the other
// statistics of nothing null.
func (o *operation) value(c *cell) any {
	switch o.typ {
	case "sessionCount", "eventCount", "Groups", "CustomGroups":
		if c == nil {
			return 0
		}
		return c.n
	case "sum":
		if c == nil {
			return 0.0
		}
		return c.sum
	}
	if c == nil || c.n == 0 {
		return nil
	}
	switch o.typ {
	case "min":
		return c.min
	case "max":
		return c.max
	}
	return c.sum / float64(c.n)
}

// eventUnit reports whether the operation counts or measures events.
func (o *operation) eventUnit() bool {
	return o.typ == "eventCount" || (o.field != nil && o.field.event)
}

func compileAggregation(a aggregationSpec, at string) ([]operation, error) {
	switch a.OutputType {
	case "", "legacy", "json0_keyed", "json0_list", "json0_key_y":
	default:
		return nil, invalid(at+"/outputType", "enum", "legacy, json0_keyed, json0_list or json0_key_y", "%s: unknown outputType %q", at, a.OutputType)
	}
	if len(a.Operations) == 0 {
		return nil, invalid(at+"/operations", "minItems", "at least one operation", "%s: an aggregation needs operations", at)
	}
	var dims []dimension
	for i, s := range a.SliceBys {
		d, err := compileSliceBy(s, fmt.Sprintf("%s/sliceBys/%d", at, i))
		if err != nil {
			return nil, err
		}
		dims = append(dims, d)
	}
	var ops []operation
	for i, s := range a.Operations {
		oat := fmt.Sprintf("%s/operations/%d", at, i)
		op := operation{name: s.Name, typ: s.Type, dims: dims, output: a.OutputType}
		switch s.Type {
		case "sessionCount", "eventCount":
		case "min", "max", "average", "sum", "Groups", "CustomGroups":
			f, err := resolveField(s.Field, oat+"/field")
			if err != nil {
				return nil, err
			}
			if s.Type != "CustomGroups" && !f.numeric() {
				return nil, invalid(oat+"/field", "type", "a numerical, integral or timestamp field", "%s: %s needs a numeric field, %s is %s", oat, s.Type, fieldLabel(s.Field), f.kind)
			}
			if s.Type == "Groups" || s.Type == "CustomGroups" {
				g, err := groupsDimension(s, f, oat)
				if err != nil {
					return nil, err
				}
				op.dims = append(append([]dimension(nil), dims...), g)
				if len(op.dims) > 2 {
					return nil, invalid(oat+"/type", "dimensions", "at most 2 dimensions", "%s: %s adds a dimension; with %d slice-bys that is more than 2", oat, s.Type, len(dims))
				}
			} else {
				op.field = &f
			}
		default:
			return nil, invalid(oat+"/type", "enum", "sessionCount, eventCount, min, max, average, sum, Groups, CustomGroups", "%s: unknown operation type %q", oat, s.Type)
		}
		ops = append(ops, op)
	}
	return ops, nil
}

// grid is an operation's cells by bucket (x is the last dimension).
type grid struct {
	cells map[[2]bkey]*cell
	freq  [2]map[bkey]int // units per bucket, per dimension
}

// run aggregates one operation over the matching rows.
func (o *operation) run(x *evalCtx, p *plan, rows []row) *grid {
	g := &grid{cells: map[[2]bkey]*cell{}, freq: [2]map[bkey]int{{}, {}}}
	eventOK := func(r row, e *fixtures.Event) bool { return x.eventPasses(p, r, e) }
	for _, r := range rows {
		if !o.eventUnit() {
			v, measure := 0.0, true
			if o.field != nil {
				got, ok := o.field.sess(r)
				v, measure = numberOf(got)
				measure = measure && ok
			}
			if measure {
				o.place(g, r, nil, v, eventOK)
			}
			continue
		}
		for i := range r.s.Events {
			e := &r.s.Events[i]
			if !r.eventInRow(e) || !eventOK(r, e) {
				continue
			}
			v, measure := 0.0, true
			if o.field != nil {
				got, ok := o.read(r, e)
				v, measure = numberOf(got)
				measure = measure && ok
			}
			if measure {
				o.place(g, r, e, v, eventOK)
			}
		}
	}
	return g
}

func (o *operation) read(r row, e *fixtures.Event) (any, bool) {
	if o.field.event {
		return o.field.ev(r, e)
	}
	return o.field.sess(r)
}

// place adds a unit (a row, or an event of it) to every bucket combination
// it falls in. A row sliced by an event field falls in the bucket of each
// of its matching events.
func (o *operation) place(g *grid, r row, e *fixtures.Event, v float64, eventOK func(row, *fixtures.Event) bool) {
	keys := [2][]bkey{{{}}, {{}}}
	for i, d := range o.dims {
		var ks []bkey
		seen := map[bkey]bool{}
		addVal := func(val any, ok bool) {
			if !ok {
				return
			}
			for _, k := range d.bucket(val) {
				if !seen[k] {
					seen[k] = true
					ks = append(ks, k)
				}
			}
		}
		switch {
		case !d.acc.event:
			addVal(d.acc.sess(r))
		case e != nil:
			addVal(d.acc.ev(r, e))
		default:
			for j := range r.s.Events {
				if ev := &r.s.Events[j]; r.eventInRow(ev) && eventOK(r, ev) {
					addVal(d.acc.ev(r, ev))
				}
			}
		}
		if len(ks) == 0 {
			return
		}
		keys[i] = ks
	}
	for _, k0 := range keys[0] {
		for _, k1 := range keys[1] {
			c := g.cells[[2]bkey{k0, k1}]
			if c == nil {
				c = &cell{}
				g.cells[[2]bkey{k0, k1}] = c
			}
			c.add(v)
		}
	}
	for i := range o.dims {
		for _, k := range keys[i] {
			g.freq[i][k]++
		}
	}
}
