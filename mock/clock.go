package mock

import (
	"net/http"
	"sync"
	"time"

	"github.com/c3dmock/c3dmock/mock/apierr"
)

// Clock is a sandbox's time: the server's clock (Config.Now) moved by an
// offset, or frozen at an instant. Everything that reads the time of a
// sandbox reads it here: key expiry, cookie sessions and login throttling,
// audit and creation times, ingest timestamps taken as "now", and the Data
// Collector's cvr-request-time. PUT /__c3dmock/clock sets it.
type Clock struct {
	base func() time.Time

	mu     sync.Mutex
	offset time.Duration // added to base while running
	frozen bool
	at     time.Time // the frozen instant
}

func newClock(base func() time.Time) *Clock { return &Clock{base: base} }

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.frozen {
		return c.at
	}
	return c.base().Add(c.offset)
}

// Set moves the clock to t; a frozen clock stays frozen there.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.frozen {
		c.at = t
		return
	}
	c.offset = t.Sub(c.base())
}

// Advance moves the clock by d (negative: back).
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.frozen {
		c.at = c.at.Add(d)
		return
	}
	c.offset += d
}

// Freeze stops the clock at its current time (true) or lets it run on from
// there (false).
func (c *Clock) Freeze(frozen bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if frozen == c.frozen {
		return
	}
	if frozen {
		c.at = c.base().Add(c.offset)
	} else {
		c.offset = c.at.Sub(c.base())
	}
	c.frozen = frozen
}

// Frozen reports whether the clock is stopped.
func (c *Clock) Frozen() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.frozen
}

// Reset puts the clock back on the server's time, running.
func (c *Clock) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset, c.frozen = 0, false
}

// clockView is the body of GET and PUT /__c3dmock/clock.
type clockView struct {
	Now    string `json:"now"`
	Frozen bool   `json:"frozen"`
}

func (s *Server) clockView() clockView {
	return clockView{Now: s.clock.Now().UTC().Format(time.RFC3339Nano), Frozen: s.clock.Frozen()}
}

func (s *Server) getClock(w http.ResponseWriter, r *http.Request) error {
	return writeJSON(w, http.StatusOK, s.clockView())
}

// setClock takes exactly one of {"now": RFC 3339}, {"advance": "36h"} (a
// Go duration: h, m, s, ms; 91 days is "2184h") or {"frozen": bool}.
func (s *Server) setClock(w http.ResponseWriter, r *http.Request) error {
	if err := s.applyClock(r); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s.clockView())
}

func (s *Server) applyClock(r *http.Request) error {
	var in struct {
		Now     *string `json:"now"`
		Advance *string `json:"advance"`
		Frozen  *bool   `json:"frozen"`
	}
	// spec/control.yaml (ClockChange) has made sure of exactly one known
	// field, a date-time now and a duration-shaped advance.
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	switch {
	case in.Now != nil:
		t, err := time.Parse(time.RFC3339Nano, *in.Now)
		if err != nil {
			return &apierr.Error{Code: apierr.CodeInvalid, Message: "now must be an RFC 3339 time such as 2026-12-05T10:00:00Z: " + err.Error(), Field: "/now", Rule: "format", Expected: "date-time"}
		}
		s.clock.Set(t)
	case in.Advance != nil:
		d, err := time.ParseDuration(*in.Advance)
		if err != nil {
			return &apierr.Error{Code: apierr.CodeInvalid, Message: `advance must be a Go duration such as "36h" or "90m" (days: hours, "2184h" is 91 days): ` + err.Error(), Field: "/advance", Rule: "format", Expected: "duration"}
		}
		s.clock.Advance(d)
	case in.Frozen != nil:
		s.clock.Freeze(*in.Frozen)
	}
	return nil
}
