package store

import (
	"fmt"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/c3dmock/c3dmock/mock/apierr"
)

// The stored-data budget: what clients store at run time (Data Collector
// batches and ExitPoll answers, uploaded scene and object files, media) is
// counted in bytes, and a request that would take the total past the budget
// is refused with 507 before anything is stored. Deleting (a media item, a
// project) gives the bytes back; POST /__c3dmock/reset gives everything back.
// The seeded world is not counted: it is bounded by --sessions.

// DefaultStoreBudget is the default stored-data budget (Config.StoreBudget).
const DefaultStoreBudget = 512 << 20

// Default cookie session limits (Config.CookieIdleTimeout, CookieLifetime,
// CookieSessionsPerUser).
const (
	DefaultCookieIdleTimeout     = 2 * time.Hour
	DefaultCookieLifetime        = 24 * time.Hour
	DefaultCookieSessionsPerUser = 20
)

// storeLimits are the server-wide limits the store enforces.
type storeLimits struct {
	budget         int64         // bytes; <= 0: no limit
	cookieIdle     time.Duration // a cookie session unused this long ends
	cookieLifetime time.Duration // a cookie session ends this long after login, used or not
	cookiesPerUser int           // live cookie sessions per user; a new login ends the oldest
}

// Limits bound what a store keeps. A zero field takes its default
// (DefaultStoreBudget and the cookie defaults).
type Limits struct {
	Budget         int64         // bytes of stored data; < 0: no limit
	CookieIdle     time.Duration // a cookie session unused this long ends
	CookieLifetime time.Duration // a cookie session ends this long after login, used or not
	CookiesPerUser int           // live cookie sessions per user; a new login ends the oldest
}

func defaultLimits() storeLimits { return limitsOf(Limits{}) }

func limitsOf(l Limits) storeLimits {
	return storeLimits{
		budget:         orDefault(l.Budget, DefaultStoreBudget),
		cookieIdle:     orDefault(l.CookieIdle, DefaultCookieIdleTimeout),
		cookieLifetime: orDefault(l.CookieLifetime, DefaultCookieLifetime),
		cookiesPerUser: orDefault(l.CookiesPerUser, DefaultCookieSessionsPerUser),
	}
}

// Configure sets the store's clock (for cookie sessions and login
// throttling) and its limits. Call it before the store serves requests.
// Stores given the same budget (sandboxes of one server) share it; nil: the
// store's own budget of l.Budget bytes.
func (st *Store) Configure(clock func() time.Time, l Limits, shared *Budget) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.clock, st.lim = clock, limitsOf(l)
	if shared == nil {
		shared = NewBudget(st.lim.budget)
	}
	st.budget.used.Add(-st.w.stored) // what this world holds moves to the new budget
	shared.used.Add(st.w.stored)
	st.budget, st.w.budget = shared, shared
}

// Budget is a stored-data budget that several stores may share: the bytes
// all of them hold, against one limit (--store-budget). Stores check it
// before a write, under their own lock, so concurrent writers in different
// stores may overshoot it by one request each.
type Budget struct {
	limit int64 // <= 0: no limit
	used  atomic.Int64
}

// NewBudget returns a budget of limit bytes (<= 0: no limit).
func NewBudget(limit int64) *Budget { return &Budget{limit: limit} }

// NewBudgetFor returns the budget l asks for: l.Budget, 0 meaning
// DefaultStoreBudget, as Configure reads it.
func NewBudgetFor(l Limits) *Budget { return NewBudget(limitsOf(l).budget) }

// Used is the bytes held against the budget.
func (b *Budget) Used() int64 { return b.used.Load() }

// Limit is the budget's limit in bytes (<= 0: none).
func (b *Budget) Limit() int64 { return b.limit }

// Take holds n bytes that are not a store's data (a sandbox's own world)
// against the budget, or refuses with 507 when they do not fit.
func (b *Budget) Take(n int64, what string) error {
	if err := b.fits(n, what); err != nil {
		return err
	}
	b.used.Add(n)
	return nil
}

// Release gives back n bytes taken with Take.
func (b *Budget) Release(n int64) { b.used.Add(-n) }

func (b *Budget) fits(n int64, what string) error {
	used := b.used.Load()
	if b.limit <= 0 || n <= 0 || used+n <= b.limit {
		return nil
	}
	return &apierr.Error{Code: apierr.CodeStoreFull, Rule: "storeBudget", Expected: "at most " + formatBytes(b.limit) + " stored",
		Message: fmt.Sprintf("stored-data budget spent: %s of --store-budget %s is in use and %s would store %s more; "+
			"delete data (media, projects, sandboxes) or POST /__c3dmock/reset, or restart c3dmock with a larger --store-budget (mock.Config.StoreBudget); reads still work",
			formatBytes(used), formatBytes(b.limit), what, formatBytes(n))}
}

// What a stored item costs besides its payload bytes: Go headers, map and
// slice slots, the strings that name it. Estimates, deliberately generous.
const (
	costRawBatch   = 160  // RawBatch and its slot in the session's list
	costNewSession = 1024 // a fixtures.Session, its slot and index entries
	costEvent      = 64   // fixtures.Event (48 bytes) and slice slack
	costSensor     = 64   // one sensor aggregate
	costProperty   = 16   // a property in the interned arena, beyond its bytes in the batch
	costAnswer     = 32   // one ExitPoll answer value and its hash
	costFile       = 128  // an UploadedFile and its map slot
	costMedia      = 512  // a media item, its points of interest
)

// reserve refuses a write that would store n more bytes past the budget.
// Callers hold mu and call charge with the same n once the write is done.
func (st *Store) reserve(n int64) error { return st.budget.fits(n, "this request") }

// charge counts n stored bytes (negative: released), in the world and in
// its budget. Callers hold mu.
func (w *world) charge(n int64) {
	w.stored += n
	w.budget.used.Add(n)
}

// StoredBytes is how much this store's world holds against the budget.
func (st *Store) StoredBytes() int64 {
	st.mu.RLock()
	defer st.mu.RUnlock()
	return st.w.stored
}

// Close gives everything the store holds back to its budget; the store must
// not be used afterwards (a deleted or evicted sandbox).
func (st *Store) Close() {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.w.charge(-st.w.stored)
}

// recount adds up the cost of everything the budget covers from the items
// themselves. It must always equal w.stored (tests check it).
func (w *world) recount() int64 {
	var n int64
	for _, c := range w.ingest.cost {
		n += c
	}
	for _, files := range w.uploads.files {
		for p, f := range files {
			n += fileCost(p, f)
		}
	}
	for _, c := range w.media.cost {
		n += c
	}
	for _, wr := range w.writes {
		n += writeCost(wr)
	}
	return n
}

// ingestCost is what storing one batch costs: the stored copy of its body
// (its capacity: the allocator rounds it up), plus what it adds to its session.
func ingestCost(stream string, b *ingestBatch, kept []byte, newSession bool) int64 {
	n := int64(cap(kept)) + costRawBatch
	if newSession {
		n += costNewSession
	}
	switch stream {
	case StreamGaze:
		n += int64(len(b.Properties)) * costProperty
	case StreamEvents:
		for _, d := range b.Data {
			n += costEvent + int64(len(d.Properties))
		}
	case StreamSensors:
		n += int64(len(b.Data)) * costSensor
	}
	return n
}

func answersCost(values []any, newSession bool) int64 {
	n := int64(len(values)) * costAnswer
	for _, v := range values {
		if s, ok := v.(string); ok {
			n += int64(len(s))
		}
	}
	if newSession {
		n += costNewSession
	}
	return n
}

// fileCost counts the capacity of an upload's bytes, which io.ReadAll may
// leave larger than the file: that is what memory holds.
func fileCost(path string, f UploadedFile) int64 {
	return int64(cap(f.Data)+len(f.Name)+len(f.ContentType)+len(path)) + costFile
}

func mediaCost(data []byte, name, description string) int64 {
	return int64(cap(data)+len(name)+len(description)) + costMedia
}

// formatBytes renders a byte count for messages: 512 MiB, 1.5 GiB, 300 bytes.
func formatBytes(n int64) string {
	units := []struct {
		name string
		size int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}}
	for _, u := range units {
		if n >= u.size {
			v := float64(n) / float64(u.size)
			if n%u.size == 0 {
				return strconv.FormatInt(n/u.size, 10) + " " + u.name
			}
			return strconv.FormatFloat(v, 'f', 1, 64) + " " + u.name
		}
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

// orDefault is def for zero; any other value is kept (negative: no limit).
func orDefault[T int | int64 | time.Duration](v, def T) T {
	if v == 0 {
		return def
	}
	return v
}
