package main

import "testing"

func TestByteSize(t *testing.T) {
	for in, want := range map[string]int64{
		"512MiB": 512 << 20, "1GiB": 1 << 30, "1 gib": 1 << 30, "1048576": 1 << 20, "64KiB": 64 << 10,
		"1.5GiB": 3 << 29, "100MB": 100e6, "2g": 2 << 30, "300B": 300, "off": -1, "OFF": -1,
	} {
		var s byteSize
		if err := s.Set(in); err != nil || int64(s) != want {
			t.Errorf("Set(%q) = %d, %v; want %d", in, int64(s), err, want)
		}
	}
	for _, in := range []string{"", "lots", "0", "-5MiB", "12 parsecs", "MiB", "1e3"} {
		var s byteSize
		if err := s.Set(in); err == nil {
			t.Errorf("Set(%q) = %d, want an error", in, int64(s))
		}
	}
	for in, want := range map[int64]string{512 << 20: "512MiB", 1 << 30: "1GiB", 1000: "1000", -1: "off"} {
		s := byteSize(in)
		if got := s.String(); got != want {
			t.Errorf("String(%d) = %q, want %q", in, got, want)
		}
	}
}

func TestServingMemoryLimit(t *testing.T) {
	noEnv := func(string) string { return "" }
	if got, ok := servingMemoryLimit(512<<20, noEnv); !ok || got < 640<<20 {
		t.Errorf("512 MiB budget: limit %d, %v; want at least the budget and a quarter", got, ok)
	}
	if _, ok := servingMemoryLimit(-1, noEnv); ok {
		t.Error("--store-budget off set a memory limit")
	}
	if _, ok := servingMemoryLimit(512<<20, func(k string) string { return map[string]string{"GOMEMLIMIT": "1GiB"}[k] }); ok {
		t.Error("an explicit GOMEMLIMIT was overridden")
	}
}
