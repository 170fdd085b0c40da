package analytics

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// bkey is one bucket of a slice-by: a number (histograms, dates, numeric
// terms), a string or a boolean.
type bkey struct {
	kind byte // 'n', 's', 'b'
	num  float64
	str  string
}

func keyOf(v any) (bkey, bool) {
	switch x := v.(type) {
	case string:
		return bkey{kind: 's', str: x}, true
	case bool:
		if x {
			return bkey{kind: 'b', num: 1}, true
		}
		return bkey{kind: 'b'}, true
	}
	if n, ok := numberOf(v); ok {
		return bkey{kind: 'n', num: n}, true
	}
	return bkey{}, false
}

// dimension is a compiled slice-by (api.md §7.4), or the implicit dimension
// of a Groups/CustomGroups operation.
type dimension struct {
	name     string
	acc      accessor
	kind     string // date, hist, terms, custom
	interval float64
	unit     string
	every    int
	offset   int
	loc      *time.Location
	maxTerms int
	groups   []customGroup
}

type customGroup struct {
	label    string
	values   []any
	min, max *float64
}

// sliceBySpec is one entry of an aggregation's sliceBys.
type sliceBySpec struct {
	Name            string    `json:"name"`
	Field           *fieldRef `json:"field"`
	TimeUnit        string    `json:"timeUnit"`
	TimeValue       *int      `json:"timeValue"`
	DayOfWeekOffset *int      `json:"dayOfWeekOffset"`
	TimeZone        string    `json:"timeZone"`
	MaxTerms        *int      `json:"maxTerms"`
	Interval        *float64  `json:"interval"`
}

func compileSliceBy(s sliceBySpec, at string) (dimension, error) {
	a, err := resolveField(s.Field, at+"/field")
	if err != nil {
		return dimension{}, err
	}
	d := dimension{name: s.Name, acc: a, kind: "terms", maxTerms: 256}
	switch {
	case s.TimeUnit != "":
		if !a.numeric() {
			return d, invalid(at+"/field", "type", "a timestamp field", "%s: a date histogram needs a timestamp field", at)
		}
		d.kind, d.unit, d.every, d.loc = "date", s.TimeUnit, 1, time.UTC
		if s.TimeValue != nil {
			if *s.TimeValue < 1 {
				return d, invalid(at+"/timeValue", "minimum", ">= 1", "%s: timeValue must be >= 1", at)
			}
			d.every = *s.TimeValue
		}
		if s.DayOfWeekOffset != nil {
			if s.TimeUnit != "week" {
				return d, invalid(at+"/dayOfWeekOffset", "timeUnit", "timeUnit week", "%s: dayOfWeekOffset is only allowed with timeUnit week", at)
			}
			d.offset = *s.DayOfWeekOffset
		}
		if s.TimeZone != "" {
			loc, err := time.LoadLocation(s.TimeZone)
			if err != nil {
				return d, invalid(at+"/timeZone", "timeZone", "an IANA time zone such as America/Vancouver", "%s: unknown time zone %q", at, s.TimeZone)
			}
			d.loc = loc
		}
	case s.Interval != nil:
		if *s.Interval <= 0 || !a.numeric() {
			return d, invalid(at+"/interval", "minimum", "> 0 on a numeric field", "%s: a histogram needs interval > 0 on a numeric field", at)
		}
		d.kind, d.interval = "hist", *s.Interval
	case s.MaxTerms != nil:
		d.maxTerms = *s.MaxTerms
	}
	return d, nil
}

// groupsDimension is the dimension a Groups (histogram) or CustomGroups
// operation adds.
func groupsDimension(op operationSpec, a accessor, at string) (dimension, error) {
	d := dimension{name: op.Name, acc: a}
	if op.Type == "Groups" {
		if op.Interval == nil || *op.Interval <= 0 || !a.numeric() {
			return d, invalid(at+"/interval", "minimum", "> 0 on a numeric field", "%s: Groups needs interval > 0 on a numeric field", at)
		}
		d.kind, d.interval = "hist", *op.Interval
		return d, nil
	}
	if len(op.Groups) == 0 {
		return d, invalid(at+"/groups", "required", "groups", "%s: CustomGroups needs groups", at)
	}
	d.kind = "custom"
	for i, g := range op.Groups {
		cg := customGroup{}
		switch x := g.(type) {
		case []any:
			cg.values = x
		case map[string]any:
			cg.label, _ = x["name"].(string)
			if l, ok := x["label"].(string); ok {
				cg.label = l
			}
			cg.values, _ = x["values"].([]any)
			if n, ok := numberOf(x["min"]); ok {
				cg.min = ptr(n)
			}
			if n, ok := numberOf(x["max"]); ok {
				cg.max = ptr(n)
			}
		default:
			cg.values = []any{x}
		}
		if cg.label == "" {
			parts := make([]string, 0, len(cg.values))
			for _, v := range cg.values {
				parts = append(parts, fmt.Sprint(v))
			}
			cg.label = strings.Join(parts, ",")
			if cg.label == "" {
				cg.label = "group" + strconv.Itoa(i)
			}
		}
		d.groups = append(d.groups, cg)
	}
	return d, nil
}

// bucket maps a field value to its bucket(s).
func (d *dimension) bucket(v any) []bkey {
	switch d.kind {
	case "date":
		n, ok := numberOf(v)
		if !ok {
			return nil
		}
		return []bkey{{kind: 'n', num: float64(d.dateStart(int64(n)))}}
	case "hist":
		n, ok := numberOf(v)
		if !ok {
			return nil
		}
		return []bkey{{kind: 'n', num: math.Floor(n/d.interval) * d.interval}}
	case "custom":
		var out []bkey
		for _, g := range d.groups {
			if g.matches(v) {
				out = append(out, bkey{kind: 's', str: g.label})
			}
		}
		return out
	}
	k, ok := keyOf(v)
	if !ok {
		return nil
	}
	return []bkey{k}
}

func (g customGroup) matches(v any) bool {
	for _, w := range g.values {
		if equal(v, w) {
			return true
		}
	}
	n, ok := numberOf(v)
	return ok && (g.min != nil || g.max != nil) && (g.min == nil || n >= *g.min) && (g.max == nil || n < *g.max)
}

// dateStart is the start (epoch ms) of the date bucket holding ms.
func (d *dimension) dateStart(ms int64) int64 {
	t := time.UnixMilli(ms).In(d.loc)
	y, m, day := t.Date()
	switch d.unit {
	case "week":
		start := time.Date(y, m, day, 0, 0, 0, 0, d.loc)
		back := (int(start.Weekday()) - d.offset%7 + 7) % 7
		start = start.AddDate(0, 0, -back)
		weeks := int(math.Floor(float64(start.Unix()-weekZero(d).Unix()) / (7 * 86400)))
		return start.AddDate(0, 0, -7*mod(weeks, d.every)).UnixMilli()
	case "month", "quarter":
		months := 1
		if d.unit == "quarter" {
			months = 3
		}
		n := months * d.every
		idx := int(y)*12 + int(m) - 1
		idx -= mod(idx, n)
		return time.Date(idx/12, time.Month(idx%12+1), 1, 0, 0, 0, 0, d.loc).UnixMilli()
	case "year":
		return time.Date(y-mod(y, d.every), 1, 1, 0, 0, 0, 0, d.loc).UnixMilli()
	}
	days := int(math.Floor(float64(time.Date(y, m, day, 0, 0, 0, 0, time.UTC).Unix()) / 86400))
	days -= mod(days, d.every)
	u := time.Unix(int64(days)*86400, 0).UTC()
	return time.Date(u.Year(), u.Month(), u.Day(), 0, 0, 0, 0, d.loc).UnixMilli()
}

// weekZero anchors multi-week buckets: the first week start on or after 1970-01-01.
func weekZero(d *dimension) time.Time {
	t := time.Date(1970, 1, 1, 0, 0, 0, 0, d.loc)
	for int(t.Weekday()) != d.offset%7 {
		t = t.AddDate(0, 0, 1)
	}
	return t
}

func mod(a, n int) int { return ((a % n) + n) % n }

// next returns the bucket after k, for filling histogram gaps.
func (d *dimension) next(k bkey) bkey {
	if d.kind == "hist" {
		return bkey{kind: 'n', num: k.num + d.interval}
	}
	t := time.UnixMilli(int64(k.num)).In(d.loc)
	switch d.unit {
	case "week":
		t = t.AddDate(0, 0, 7*d.every)
	case "month":
		t = t.AddDate(0, d.every, 0)
	case "quarter":
		t = t.AddDate(0, 3*d.every, 0)
	case "year":
		t = t.AddDate(d.every, 0, 0)
	default:
		t = t.AddDate(0, 0, d.every)
	}
	return bkey{kind: 'n', num: float64(t.UnixMilli())}
}
