package main

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// byteSize is a pflag.Value for sizes: a byte count, or a number with a unit
// (KiB, MiB, GiB, TiB, or KB, MB, GB, TB in powers of ten; case-insensitive,
// a space allowed), or "off" (stored as -1: no limit).
type byteSize int64

var sizeUnits = map[string]float64{
	"": 1, "b": 1,
	"kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30, "tib": 1 << 40,
	"k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40,
	"kb": 1e3, "mb": 1e6, "gb": 1e9, "tb": 1e12,
}

func (s *byteSize) Set(v string) error {
	v = strings.TrimSpace(v)
	if strings.EqualFold(v, "off") {
		*s = -1
		return nil
	}
	i := strings.IndexFunc(v, func(r rune) bool { return (r < '0' || r > '9') && r != '.' })
	num, unit := v, ""
	if i >= 0 {
		num, unit = v[:i], strings.ToLower(strings.TrimSpace(v[i:]))
	}
	mul, ok := sizeUnits[unit]
	n, err := strconv.ParseFloat(num, 64)
	if !ok || err != nil || num == "" {
		return errors.New(`want a size such as 512MiB, 1GiB or 1048576 (bytes), or "off"`)
	}
	b := n * mul
	if b < 1 || b > math.MaxInt64/2 {
		return fmt.Errorf(`size %q is out of range (at least 1 byte; "off" for no limit)`, v)
	}
	*s = byteSize(b)
	return nil
}

func (s *byteSize) String() string {
	n := int64(*s)
	switch {
	case n < 0:
		return "off"
	case n >= 1<<30 && n%(1<<30) == 0:
		return strconv.FormatInt(n>>30, 10) + "GiB"
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + "MiB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return strconv.FormatInt(n>>10, 10) + "KiB"
	}
	return strconv.FormatInt(n, 10)
}

func (s *byteSize) Type() string { return "size" }
