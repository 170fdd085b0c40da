package analytics

import (
	"fmt"
	"path"
	"strings"

	"github.com/c3dmock/c3dmock/fixtures"
)

// rowPred decides whether a row passes a session filter.
type rowPred func(x *evalCtx, r row) bool

// eventPred decides whether an event of a row passes an event filter.
type eventPred func(x *evalCtx, r row, e *fixtures.Event) bool

// valueTest is a compiled leaf operator applied to a field value; ok is
// false when the field is absent.
type valueTest func(v any, ok bool) bool

// compiler numbers the session properties a query reads, so evaluation
// finds each one's column by slot.
type compiler struct{ props int }

// rowFilter compiles one entry of sessionFilters. A leaf on an event field
// means "the session has at least one event where it holds" (MK-SQ §2).
func (c *compiler) rowFilter(f FilterSpec, at string) (rowPred, error) {
	op := strings.ToLower(f.Op)
	if kids, ok := compound(op); ok {
		preds := make([]rowPred, 0, len(f.Children))
		for i, ch := range f.Children {
			p, err := c.rowFilter(ch, fmt.Sprintf("%s/children/%d", at, i))
			if err != nil {
				return nil, err
			}
			preds = append(preds, p)
		}
		return combine(kids, preds), nil
	}
	a, test, err := c.leaf(f, at)
	if err != nil {
		return nil, err
	}
	if a.event {
		return func(x *evalCtx, r row) bool {
			return r.anyEvent(func(e *fixtures.Event) bool { return test(a.ev(r, e)) })
		}, nil
	}
	if a.prop != "" {
		c.props++
		a.col = c.props
		return func(x *evalCtx, r row) bool { return test(x.property(r, a)) }, nil
	}
	return func(_ *evalCtx, r row) bool { return test(a.sess(r)) }, nil
}

// eventFilter compiles one entry of eventFilters: event fields test the
// event, session fields its parent session.
func (c *compiler) eventFilter(f FilterSpec, at string) (eventPred, error) {
	op := strings.ToLower(f.Op)
	if kids, ok := compound(op); ok {
		preds := make([]eventPred, 0, len(f.Children))
		for i, ch := range f.Children {
			p, err := c.eventFilter(ch, fmt.Sprintf("%s/children/%d", at, i))
			if err != nil {
				return nil, err
			}
			preds = append(preds, p)
		}
		return func(x *evalCtx, r row, e *fixtures.Event) bool {
			return combine(kids, wrapEvent(preds, e))(x, r)
		}, nil
	}
	a, test, err := c.leaf(f, at)
	if err != nil {
		return nil, err
	}
	if a.event {
		return func(_ *evalCtx, r row, e *fixtures.Event) bool { return test(a.ev(r, e)) }, nil
	}
	return func(_ *evalCtx, r row, _ *fixtures.Event) bool { return test(a.sess(r)) }, nil
}

func wrapEvent(preds []eventPred, e *fixtures.Event) []rowPred {
	out := make([]rowPred, len(preds))
	for i, p := range preds {
		out[i] = func(x *evalCtx, r row) bool { return p(x, r, e) }
	}
	return out
}

// compound reports whether op joins children, and how.
func compound(op string) (string, bool) {
	switch op {
	case "and", "or", "none":
		return op, true
	}
	return "", false
}

func combine(kind string, preds []rowPred) rowPred {
	switch kind {
	case "or":
		return func(x *evalCtx, r row) bool {
			for _, p := range preds {
				if p(x, r) {
					return true
				}
			}
			return false
		}
	case "none":
		return func(x *evalCtx, r row) bool {
			for _, p := range preds {
				if p(x, r) {
					return false
				}
			}
			return true
		}
	}
	return func(x *evalCtx, r row) bool {
		for _, p := range preds {
			if !p(x, r) {
				return false
			}
		}
		return true
	}
}

// leaf compiles a leaf filter's field and operator.
func (c *compiler) leaf(f FilterSpec, at string) (accessor, valueTest, error) {
	a, err := resolveField(f.Field, at+"/field")
	if err != nil {
		return a, nil, err
	}
	test, err := compileTest(f, a, at)
	return a, test, err
}

// compileTest builds the operator of a leaf (api.md §7.3). Semantics, as the
// vendor documents them (MK-SQ §2): eq null = the field is present, neq null
// = absent. neq and notIn are the negation of eq and in, so absent fields
// pass them; every other operator needs the field present and of a
// comparable type (a type mismatch never matches).
func compileTest(f FilterSpec, a accessor, at string) (valueTest, error) {
	op := strings.ToLower(f.Op)
	needValue := func() (any, error) {
		if len(f.Value) == 0 {
			return nil, invalid(at+"/value", "required", "a value", "%s: op %q needs a value", at, f.Op)
		}
		return decodeValue(f.Value), nil
	}
	switch op {
	case "eq", "neq":
		v, err := needValue()
		if err != nil {
			return nil, err
		}
		var t valueTest
		if v == nil {
			t = func(_ any, ok bool) bool { return ok }
		} else {
			if err := scalar(v, at+"/value"); err != nil {
				return nil, err
			}
			t = func(got any, ok bool) bool { return ok && equal(got, v) }
		}
		if op == "neq" {
			return negate(t), nil
		}
		return t, nil
	case "gt", "gte", "lt", "lte":
		v, err := needValue()
		if err != nil {
			return nil, err
		}
		if err := scalar(v, at+"/value"); err != nil || v == nil {
			return nil, invalid(at+"/value", "type", "a number or string", "%s: op %q needs a number or string value", at, f.Op)
		}
		return func(got any, ok bool) bool {
			if !ok {
				return false
			}
			c, comparable := compare(got, v)
			if !comparable {
				return false
			}
			switch op {
			case "gt":
				return c > 0
			case "gte":
				return c >= 0
			case "lt":
				return c < 0
			}
			return c <= 0
		}, nil
	case "in", "notin":
		if f.Values == nil {
			return nil, invalid(at+"/values", "required", "an array of values", "%s: op %q takes values, an array", at, f.Op)
		}
		vals := f.Values
		t := func(got any, ok bool) bool {
			if !ok {
				return false
			}
			for _, v := range vals {
				if equal(got, v) {
					return true
				}
			}
			return false
		}
		if op == "notin" {
			return negate(t), nil
		}
		return t, nil
	case "range", "outsiderange":
		if f.Min == nil && f.Max == nil {
			return nil, invalid(at+"/min", "required", "min and/or max", "%s: op %q needs min and/or max", at, f.Op)
		}
		lo, hi := f.Min, f.Max
		inside := op == "range"
		return func(got any, ok bool) bool {
			n, isNum := numberOf(got)
			if !ok || !isNum {
				return false
			}
			below, above := lo != nil && n < *lo, hi != nil && n > *hi
			if inside {
				return !below && !above
			}
			return below || above
		}, nil
	case "wildcard":
		v, err := needValue()
		if err != nil {
			return nil, err
		}
		pattern, isStr := v.(string)
		if !isStr {
			return nil, invalid(at+"/value", "type", "a string pattern", "%s: wildcard needs a string pattern such as \"*Quest*\"", at)
		}
		pattern = strings.ToLower(pattern)
		if _, err := path.Match(pattern, ""); err != nil {
			return nil, invalid(at+"/value", "pattern", "a * and ? pattern", "%s: bad wildcard pattern: %v", at, err)
		}
		return func(got any, ok bool) bool {
			s, isStr := got.(string)
			if !ok || !isStr {
				return false
			}
			m, _ := path.Match(pattern, strings.ToLower(s))
			return m
		}, nil
	}
	if _, ok := compound(op); ok {
		return nil, invalid(at+"/children", "required", "children", "%s: op %q joins children", at, f.Op)
	}
	return nil, invalid(at+"/op", "enum", "eq, neq, gt, gte, lt, lte, in, notIn, range, outsideRange, wildcard, and, or, none", "%s: unknown op %q", at, f.Op)
}

func negate(t valueTest) valueTest { return func(v any, ok bool) bool { return !t(v, ok) } }

func scalar(v any, at string) error {
	switch v.(type) {
	case nil, string, bool, float64:
		return nil
	}
	return invalid(at, "type", "a string, number, boolean or null", "%s must be a string, number, boolean or null", at)
}

// equal compares a stored value with a filter value of the same type.
func equal(got, want any) bool {
	switch g := got.(type) {
	case string:
		w, ok := want.(string)
		return ok && g == w
	case bool:
		w, ok := want.(bool)
		return ok && g == w
	}
	gn, ok1 := numberOf(got)
	wn, ok2 := numberOf(want)
	return ok1 && ok2 && gn == wn
}

// compare orders numbers numerically and strings lexically; other pairs
// are not comparable.
func compare(got, want any) (int, bool) {
	if g, ok := got.(string); ok {
		w, ok := want.(string)
		if !ok {
			return 0, false
		}
		return strings.Compare(g, w), true
	}
	gn, ok1 := numberOf(got)
	wn, ok2 := numberOf(want)
	if !ok1 || !ok2 {
		return 0, false
	}
	switch {
	case gn < wn:
		return -1, true
	case gn > wn:
		return 1, true
	}
	return 0, true
}
