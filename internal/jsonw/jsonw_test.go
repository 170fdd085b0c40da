package jsonw

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"
)

func encode(t *testing.T, v any, html bool) string {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(html)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return string(bytes.TrimSuffix(buf.Bytes(), []byte{'\n'}))
}

func TestStringMatchesEncodingJSON(t *testing.T) {
	for _, s := range []string{"", "plain", `q"uote`, `back\slash`, "tab\tnl\n", "<a&b>", "é ü 日本", "\u2028\u2029", "bad\xffutf8", "\x00\x1f\x7f"} {
		for _, html := range []bool{false, true} {
			if got, want := string(String(nil, s, html)), encode(t, s, html); got != want {
				t.Errorf("String(%q, html=%v) = %s, want %s", s, html, got, want)
			}
		}
	}
}

func TestFloatMatchesEncodingJSON(t *testing.T) {
	for _, f := range []float64{0, -0.0, 1, -1.5, 0.1, 1e-6, 1e-7, 123456789.125, 1e20, 1e21, 1.5e-300, math.MaxFloat64, math.SmallestNonzeroFloat64, -2.353} {
		if got, want := string(Float(nil, f)), encode(t, f, false); got != want {
			t.Errorf("Float(%v) = %s, want %s", f, got, want)
		}
	}
	if got := string(Float(nil, math.NaN())); got != "null" {
		t.Errorf("Float(NaN) = %s, want null", got)
	}
}
