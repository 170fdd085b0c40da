package analytics

import (
	"github.com/c3dmock/c3dmock/fixtures/propstore"
)

// The column cache (evalCtx.column) holds typed session property values by
// session position, so that filters on a property (the test/junk exclusions
// every client sends) read one slice instead of one property lookup per
// session: with 100000 sessions the lookups, each a few cache misses, cost
// more than the rest of a query. Columns live in the index's DerivedCache.
//
// Session properties are immutable values (ingest and session tags replace
// s.Properties), so an entry is valid while the session still holds the
// properties it was read from; otherwise the reader falls back to them.
type colKey struct {
	path, kind string
}

type propColumn struct {
	ids []propstore.PropsID // identity of the properties each value came from
	// A boolean property's column is one byte a session (flag*); any other
	// property's is the value and whether it is present.
	flags []uint8
	vals  []any
	ok    []bool
}

// The bytes of a boolean column.
const (
	flagAbsent uint8 = iota
	flagFalse
	flagTrue
	flagOther // present but not a boolean: read the session
)

// column returns the column of a property, building it on first use.
func (x *evalCtx) column(a accessor) *propColumn {
	return x.idx.Derived.Get(colKey{a.prop, a.kind}, func() any { return x.buildColumn(a) }).(*propColumn)
}

func (x *evalCtx) buildColumn(a accessor) *propColumn {
	n := len(x.w.Sessions)
	c := &propColumn{ids: make([]propstore.PropsID, n)}
	if a.kind == "boolean" {
		c.flags = make([]uint8, n)
	} else {
		c.vals, c.ok = make([]any, n), make([]bool, n)
	}
	for i := range x.w.Sessions {
		s := &x.w.Sessions[i]
		c.ids[i] = s.Properties.ID()
		v, ok := a.sess(row{s: s, v: -1})
		if c.flags == nil {
			c.vals[i], c.ok[i] = v, ok
			continue
		}
		switch b, isBool := v.(bool); {
		case !ok:
			c.flags[i] = flagAbsent
		case !isBool:
			c.flags[i] = flagOther
		case b:
			c.flags[i] = flagTrue
		default:
			c.flags[i] = flagFalse
		}
	}
	return c
}

// property reads a session property of a row through the column cache.
func (x *evalCtx) property(r row, a accessor) (any, bool) {
	if r.pos == 0 || x == nil || x.idx == nil || x.w == nil || int(r.pos) > len(x.w.Sessions) {
		return a.sess(r)
	}
	var c *propColumn
	if a.col > 0 {
		for len(x.cols) < a.col {
			x.cols = append(x.cols, nil)
		}
		if c = x.cols[a.col-1]; c == nil {
			c = x.column(a)
			x.cols[a.col-1] = c
		}
	} else {
		c = x.column(a)
	}
	i := r.pos - 1
	if int(i) >= len(c.ids) || c.ids[i] != r.s.Properties.ID() {
		return a.sess(r)
	}
	if c.flags == nil {
		return c.vals[i], c.ok[i]
	}
	switch c.flags[i] {
	case flagAbsent:
		return nil, false
	case flagFalse:
		return false, true
	case flagTrue:
		return true, true
	}
	return a.sess(r)
}
