// Package jsonw appends JSON values to byte slices, producing the bytes
// encoding/json produces for the same Go values. The response writers that
// bypass encoding/json for speed use it, so their output stays identical.
package jsonw

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
)

// String appends s as a JSON string, the way an encoding/json Encoder with
// SetEscapeHTML(html) writes it. Printable ASCII is copied directly;
// anything that needs escaping is left to encoding/json.
func String(b []byte, s string, html bool) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || (html && (c == '<' || c == '>' || c == '&')) {
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(html)
			_ = enc.Encode(s) // a string always encodes
			return append(b, bytes.TrimSuffix(buf.Bytes(), []byte{'\n'})...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// Float appends f as encoding/json formats a float64 (ES6 number form).
// NaN and infinities, which encoding/json refuses, are written as null.
func Float(b []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(b, "null"...)
	}
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		n := len(b)
		if n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

// Int appends n.
func Int(b []byte, n int64) []byte { return strconv.AppendInt(b, n, 10) }

// Bool appends true or false.
func Bool(b []byte, v bool) []byte { return strconv.AppendBool(b, v) }

// Key appends a comma (unless first) and "name": for a field whose name
// needs no escaping.
func Key(b []byte, name string, first bool) []byte {
	if !first {
		b = append(b, ',')
	}
	b = append(b, '"')
	b = append(b, name...)
	return append(b, '"', ':')
}
