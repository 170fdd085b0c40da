package store

import (
	"crypto/rand"
	mathrand "math/rand/v2"
	"time"
	"unicode/utf8"
)

// What a snapshot needs from the store. A sandbox's state is its seeded
// world plus the write requests it has served since the fork; the mock
// records each successful write here (RecordWrite) and a snapshot replays
// them, in order and at their recorded times, into a fresh fork. The secrets
// the store makes (cookies, key secrets, UUIDs) come from the world's own
// generator, seeded from a random secret that the snapshot carries, so a
// replay makes the very same values: a restored sandbox is the original.

// Write is one successful write request a sandbox served.
type Write struct {
	Time       time.Time         `json:"time"` // the sandbox's clock
	Host       string            `json:"host"` // "public" or "datacollector"
	Method     string            `json:"method"`
	Path       string            `json:"path"`
	Query      string            `json:"query,omitempty"`
	Header     map[string]string `json:"headers,omitempty"`
	Body       string            `json:"body,omitempty"`       // a UTF-8 body
	BodyBase64 []byte            `json:"bodyBase64,omitempty"` // any other body
}

// SetBody keeps body in the field that fits it.
func (wr *Write) SetBody(body []byte) {
	if utf8.Valid(body) {
		wr.Body = string(body)
		return
	}
	wr.BodyBase64 = body
}

// Bytes is the request body.
func (wr Write) Bytes() []byte {
	if wr.BodyBase64 != nil {
		return wr.BodyBase64
	}
	return []byte(wr.Body)
}

// costWrite is what a recorded write costs besides its body.
const costWrite = 256

// RecordWrite adds a write to the world's log. It counts against the
// stored-data budget like the data it wrote.
func (st *Store) RecordWrite(wr Write) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.w.writes = append(st.w.writes, wr)
	st.w.charge(writeCost(wr))
}

func writeCost(wr Write) int64 {
	n := int64(costWrite + len(wr.Path) + len(wr.Query) + len(wr.Body) + len(wr.BodyBase64))
	for k, v := range wr.Header {
		n += int64(len(k) + len(v))
	}
	return n
}

// Writes is the world's log of writes since its fork, oldest first.
func (st *Store) Writes() []Write {
	st.mu.RLock()
	defer st.mu.RUnlock()
	return append([]Write(nil), st.w.writes...)
}

// Secret is the seed of the world's generator of secrets.
func (st *Store) Secret() [32]byte {
	st.mu.RLock()
	defer st.mu.RUnlock()
	return st.w.secret
}

// ResetWith replaces the world with a fresh fork whose generator of secrets
// starts from secret (a snapshot's).
func (st *Store) ResetWith(secret [32]byte) error { return st.resetWith(nil, &secret) }

// Adopt replaces this store's world with other's (a world rebuilt from a
// snapshot); other must not be used afterwards. Both share one budget.
func (st *Store) Adopt(other *Store) {
	other.mu.Lock()
	w := other.w
	other.w = nil
	other.mu.Unlock()
	st.mu.Lock()
	defer st.mu.Unlock()
	st.w.charge(-st.w.stored)
	st.w = w
}

// seedSecrets gives a new world its generator of secrets: from secret, or
// from crypto/rand when it is nil.
func (w *world) seedSecrets(secret *[32]byte) {
	if secret != nil {
		w.secret = *secret
	} else if _, err := rand.Read(w.secret[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	w.rand = mathrand.NewChaCha8(w.secret)
}

// Draws counts the IDs and secrets the world has handed out. A request that
// changes it changed the world even if its operation only reads (a login, a
// project's first dashboard), so the mock records it for snapshots too.
func (st *Store) Draws() int64 {
	st.mu.RLock()
	defer st.mu.RUnlock()
	return st.w.draws
}
