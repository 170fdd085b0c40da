package analytics

import (
	"slices"
	"strconv"
	"strings"
)

// maxFilledBuckets caps histogram gap filling, so a tiny interval over a
// wide range cannot exhaust memory.
const maxFilledBuckets = 10000

// axis orders the buckets of one dimension: histograms and dates ascending
// with their gaps filled, terms by frequency (at most maxTerms), custom
// groups as requested.
func axis(d *dimension, freq map[bkey]int) []bkey {
	var out []bkey
	switch d.kind {
	case "custom":
		for _, g := range d.groups {
			out = append(out, bkey{kind: 's', str: g.label})
		}
		return out
	case "date", "hist":
		for k := range freq {
			out = append(out, k)
		}
		slices.SortFunc(out, func(a, b bkey) int { return cmpFloat(a.num, b.num) })
		if len(out) < 2 {
			return out
		}
		filled := []bkey{out[0]}
		for k := d.next(out[0]); k.num <= out[len(out)-1].num && len(filled) < maxFilledBuckets; k = d.next(k) {
			filled = append(filled, k)
		}
		return filled
	}
	for k := range freq {
		out = append(out, k)
	}
	slices.SortFunc(out, func(a, b bkey) int {
		if freq[a] != freq[b] {
			return freq[b] - freq[a]
		}
		return strings.Compare(keyString(d, a), keyString(d, b))
	})
	if d.maxTerms > 0 && len(out) > d.maxTerms {
		out = out[:d.maxTerms]
	}
	return out
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// xValue is a bucket as the x of list outputs: epoch ms for dates, numbers
// for histograms, the term itself otherwise.
func xValue(d *dimension, k bkey) any {
	switch {
	case d.kind == "date":
		return int64(k.num)
	case k.kind == 'n':
		return k.num
	case k.kind == 'b':
		return k.num == 1
	}
	return k.str
}

// keyString is a bucket as an object key: histogram buckets render like
// "600000.0" (MK-OT), dates as epoch ms.
func keyString(d *dimension, k bkey) string {
	switch {
	case d.kind == "date":
		return strconv.FormatInt(int64(k.num), 10)
	case d.kind == "hist":
		s := strconv.FormatFloat(k.num, 'f', -1, 64)
		if !strings.ContainsAny(s, ".eE") {
			s += ".0"
		}
		return s
	case k.kind == 'n':
		return strconv.FormatFloat(k.num, 'f', -1, 64)
	case k.kind == 'b':
		return strconv.FormatBool(k.num == 1)
	}
	return k.str
}

// render shapes an operation's grid in its output type (api.md §7.5).
func (o *operation) render(g *grid) map[string]any {
	legacy := o.output == "" || o.output == "legacy"
	switch len(o.dims) {
	case 0:
		v := o.value(g.cells[[2]bkey{}])
		if legacy {
			return map[string]any{"dimensionless": true, "label": o.name, "value": v}
		}
		return map[string]any{"value": v, "warnings": []any{}}
	case 1:
		d := &o.dims[0]
		xs := axis(d, g.freq[0])
		if legacy {
			vals := make([]any, 0, len(xs))
			for _, x := range xs {
				vals = append(vals, map[string]any{"x": xValue(d, x), "y": []any{o.value(g.cells[[2]bkey{x, {}}])}})
			}
			return map[string]any{"dimensionless": false, "xIsTimeseries": d.kind == "date", "labels": []string{o.name}, "values": vals}
		}
		if o.output == "json0_keyed" {
			vals := make(map[string]any, len(xs))
			for _, x := range xs {
				vals[keyString(d, x)] = o.value(g.cells[[2]bkey{x, {}}])
			}
			return map[string]any{"values": vals, "warnings": []any{}}
		}
		vals := make([]any, 0, len(xs))
		for _, x := range xs {
			vals = append(vals, map[string]any{"x": xValue(d, x), "value": o.value(g.cells[[2]bkey{x, {}}])})
		}
		return map[string]any{"values": vals, "warnings": []any{}}
	}
	yd, xd := &o.dims[0], &o.dims[1]
	ys, xs := axis(yd, g.freq[0]), axis(xd, g.freq[1])
	at := func(x, y bkey) any { return o.value(g.cells[[2]bkey{y, x}]) }
	switch o.output {
	case "json0_keyed":
		vals := make(map[string]any, len(xs))
		for _, x := range xs {
			inner := make(map[string]any, len(ys))
			for _, y := range ys {
				inner[keyString(yd, y)] = at(x, y)
			}
			vals[keyString(xd, x)] = inner
		}
		return map[string]any{"values": vals, "warnings": []any{}}
	case "json0_list":
		vals := []any{}
		for _, x := range xs {
			for _, y := range ys {
				if c := g.cells[[2]bkey{y, x}]; c != nil && c.n > 0 {
					vals = append(vals, map[string]any{"x": xValue(xd, x), "y": xValue(yd, y), "value": o.value(c)})
				}
			}
		}
		return map[string]any{"values": vals, "warnings": []any{}}
	case "json0_key_y":
		vals := make([]any, 0, len(xs))
		for _, x := range xs {
			inner := make(map[string]any, len(ys))
			for _, y := range ys {
				inner[keyString(yd, y)] = at(x, y)
			}
			vals = append(vals, map[string]any{"x": xValue(xd, x), "values": inner})
		}
		return map[string]any{"values": vals, "warnings": []any{}}
	}
	labels := make([]string, 0, len(ys))
	for _, y := range ys {
		labels = append(labels, keyString(yd, y))
	}
	vals := make([]any, 0, len(xs))
	for _, x := range xs {
		row := make([]any, 0, len(ys))
		for _, y := range ys {
			row = append(row, at(x, y))
		}
		vals = append(vals, map[string]any{"x": xValue(xd, x), "y": row})
	}
	return map[string]any{"dimensionless": false, "xIsTimeseries": xd.kind == "date", "labels": labels, "values": vals}
}
