package mock

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/c3dmock/c3dmock/mock/apierr"
	"github.com/c3dmock/c3dmock/mock/store"
)

// Snapshots (with Config.Snapshots, serve --snapshots or --state). A
// sandbox's state is its seeded world plus the requests that changed it
// since the fork; the pipeline records each one (recordedHeaders
// names what is kept of it) and a snapshot is that list with the seed
// parameters, the seed of the world's secrets and the clock. Restoring forks
// a fresh world with the same secrets and replays the writes through the
// pipeline at their recorded times, so every ID, key and cookie comes out as
// it was; only when every write succeeds again does the sandbox take the
// new world (a failed restore changes nothing). The format is c3dmock's own.

// SnapshotFormat names the snapshot document's format.
const SnapshotFormat = "c3dmock-snapshot/1"

// Snapshot is the document of GET and PUT /__c3dmock/snapshot and of
// serve --state.
type Snapshot struct {
	Format   string        `json:"format"`
	Seed     uint64        `json:"seed"`
	Sessions int           `json:"sessions"`
	WorldNow time.Time     `json:"worldNow"`        // the "now" the world was generated for (--now)
	World    string        `json:"world,omitempty"` // SHA-256 of the --world file, if any
	Secret   []byte        `json:"secret"`          // seeds the world's cookies, key secrets and UUIDs: keep the file private
	Clock    ClockState    `json:"clock"`
	Writes   []store.Write `json:"writes"`
}

// ClockState is a clock as a snapshot keeps it.
type ClockState struct {
	Offset string     `json:"offset"`           // a Go duration added to the server's clock
	Frozen *time.Time `json:"frozen,omitempty"` // the instant a stopped clock shows
}

func (c *Clock) state() ClockState {
	c.mu.Lock()
	defer c.mu.Unlock()
	st := ClockState{Offset: c.offset.String()}
	if c.frozen {
		at := c.at.UTC()
		st.Frozen = &at
	}
	return st
}

func (c *Clock) setState(st ClockState) error {
	d, err := time.ParseDuration(st.Offset)
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset, c.frozen = d, st.Frozen != nil
	if st.Frozen != nil {
		c.at = *st.Frozen
	}
	return nil
}

// recordedHeaders are the request headers a replay needs; the sandbox
// selector has been taken off the key and cookie by then.
var recordedHeaders = []string{"Authorization", "Content-Type", "Cookie", "C3d-Csrf"}

// record keeps a request that changed the sandbox's world.
func (s *Server) record(h *host, r *http.Request, body []byte) {
	wr := store.Write{Time: s.now().UTC(), Host: h.name, Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery}
	for _, k := range recordedHeaders {
		if v := r.Header.Get(k); v != "" {
			if wr.Header == nil {
				wr.Header = map[string]string{}
			}
			wr.Header[k] = v
		}
	}
	wr.SetBody(body)
	s.store.RecordWrite(wr)
}

// snapshot is the sandbox's state as a document.
func (s *Server) snapshot() Snapshot {
	secret := s.store.Secret()
	writes := s.store.Writes()
	if writes == nil {
		writes = []store.Write{}
	}
	return Snapshot{Format: SnapshotFormat, Seed: s.cfg.Seed, Sessions: s.cfg.Sessions, WorldNow: s.boxes.opts.Now.UTC(),
		World: s.worldHash(), Secret: secret[:], Clock: s.clock.state(), Writes: writes}
}

// restore replaces the sandbox's state with snap's.
func (s *Server) restore(snap Snapshot) error {
	if err := s.checkSnapshot(snap); err != nil {
		return err
	}
	st, err := store.NewStore(s.boxes.opts)
	if err != nil {
		return err
	}
	tmp := *s
	tmp.bindDetached(st)
	if err := st.ResetWith([32]byte(snap.Secret)); err != nil {
		return err
	}
	for i, wr := range snap.Writes {
		if err := tmp.replay(wr); err != nil {
			st.Close()
			return &apierr.Error{Code: apierr.CodeInvalid, Field: "/writes/" + strconv.Itoa(i), Rule: "replay",
				Message: fmt.Sprintf("write %d (%s %s) does not replay: %v", i, wr.Method, wr.Path, err)}
		}
	}
	if err := s.clock.setState(snap.Clock); err != nil {
		st.Close()
		return &apierr.Error{Code: apierr.CodeInvalid, Field: "/clock/offset", Rule: "format", Message: "clock offset: " + err.Error()}
	}
	s.store.Adopt(st)
	return nil
}

// checkSnapshot refuses a snapshot of another world: a sandbox forks this
// server's build, so the seed parameters must be this server's.
func (s *Server) checkSnapshot(snap Snapshot) error {
	bad := func(field, msg string) error {
		return &apierr.Error{Code: apierr.CodeInvalid, Field: field, Rule: "sameWorld", Message: msg}
	}
	switch {
	case snap.Format != SnapshotFormat:
		return &apierr.Error{Code: apierr.CodeInvalid, Field: "/format", Rule: "const", Expected: SnapshotFormat, Message: "format must be " + SnapshotFormat}
	case snap.Seed != s.cfg.Seed:
		return bad("/seed", fmt.Sprintf("the snapshot is of seed %d; this server runs seed %d (serve --seed %d)", snap.Seed, s.cfg.Seed, snap.Seed))
	case snap.Sessions != s.cfg.Sessions:
		return bad("/sessions", fmt.Sprintf("the snapshot is of %d sessions; this server runs %d (serve --sessions %d)", snap.Sessions, s.cfg.Sessions, snap.Sessions))
	case !snap.WorldNow.Equal(s.boxes.opts.Now):
		return bad("/worldNow", fmt.Sprintf("the snapshot's world was generated for %s; this server's for %s (serve --now %s)",
			snap.WorldNow.UTC().Format(time.RFC3339Nano), s.boxes.opts.Now.UTC().Format(time.RFC3339Nano), snap.WorldNow.UTC().Format(time.RFC3339Nano)))
	case snap.World != s.worldHash():
		return bad("/world", "the snapshot's world was built with another --world file (or none): start with the same file")
	case len(snap.Secret) != 32:
		return &apierr.Error{Code: apierr.CodeInvalid, Field: "/secret", Rule: "length", Expected: "32 bytes, base64", Message: "secret must be 32 bytes (base64)"}
	}
	return nil
}

// worldHash names the --world file's content ("" without one).
func (s *Server) worldHash() string {
	if s.cfg.World == nil {
		return ""
	}
	h := s.cfg.World.Hash()
	return hex.EncodeToString(h[:])
}

// bindDetached makes s the server of st for a restore: its own stopped
// clock and handlers over st, the shared budget, in no registry.
func (s *Server) bindDetached(st *store.Store) {
	s.store = st
	s.bindHandlers()
}

// replay runs one recorded write through the pipeline at its time.
func (s *Server) replay(wr store.Write) error {
	s.clock.Freeze(true)
	s.clock.Set(wr.Time)
	url := wr.Path
	if wr.Query != "" {
		url += "?" + wr.Query
	}
	req, err := http.NewRequest(wr.Method, url, bytes.NewReader(wr.Bytes()))
	if err != nil {
		return err
	}
	for k, v := range wr.Header {
		req.Header.Set(k, v)
	}
	h := s.public
	if wr.Host == "datacollector" {
		if s.data == nil {
			return errors.New("this server has no Data Collector")
		}
		h = s.data
	}
	rec := httptest.NewRecorder()
	s.serveHostPlain(h, rec, req)
	if rec.Code >= 300 {
		return fmt.Errorf("answered %d: %.300s", rec.Code, rec.Body.Bytes())
	}
	return nil
}

// errNoSnapshots answers snapshot requests of a server without the write log.
var errNoSnapshots = &apierr.Error{Code: apierr.CodeConflict, Rule: "snapshots",
	Message: "snapshots need the write log: run serve with --snapshots (or --state FILE; mock.Config.Snapshots)"}

func (s *Server) getSnapshot(w http.ResponseWriter, r *http.Request) error {
	if !s.cfg.Snapshots {
		return errNoSnapshots
	}
	return writeJSON(w, http.StatusOK, s.snapshot())
}

func (s *Server) putSnapshot(w http.ResponseWriter, r *http.Request) error {
	if !s.cfg.Snapshots {
		return errNoSnapshots
	}
	var snap Snapshot
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&snap); err != nil {
		return &apierr.Error{Code: apierr.CodeInvalid, Field: "/", Rule: "schema", Message: "snapshot: " + err.Error(), Err: err}
	}
	if err := s.restore(snap); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]int{"writes": len(snap.Writes)})
}

// saveSnapshot writes the default sandbox to serve --state's file.
func (s *Server) saveSnapshot(w http.ResponseWriter, r *http.Request) error {
	n, err := s.SaveState()
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"path": s.cfg.StateFile, "bytes": n})
}

// LoadState restores the default sandbox from Config.StateFile when the
// file exists (serve --state); a file that is not a snapshot of this
// server's world is an error naming the file.
func (s *Server) LoadState() error {
	if s.cfg.StateFile == "" {
		return nil
	}
	b, err := os.ReadFile(s.cfg.StateFile)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var snap Snapshot
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&snap); err != nil {
		return fmt.Errorf("%s: not a c3dmock snapshot: %w", s.cfg.StateFile, err)
	}
	if err := s.restore(snap); err != nil {
		var e *apierr.Error
		if errors.As(err, &e) {
			return fmt.Errorf("%s: %s: %s", s.cfg.StateFile, e.Field, e.Message)
		}
		return fmt.Errorf("%s: %w", s.cfg.StateFile, err)
	}
	return nil
}

// SaveState writes the default sandbox to Config.StateFile atomically: a
// temporary file in the same folder, synced, then renamed over the old one,
// so a crash during a save leaves the previous file whole. It returns the
// bytes written.
func (s *Server) SaveState() (int, error) {
	if s.cfg.StateFile == "" {
		return 0, &apierr.Error{Code: apierr.CodeConflict, Rule: "stateFile", Message: "this c3dmock runs without --state: there is no file to save to; GET /__c3dmock/snapshot returns the snapshot instead"}
	}
	base, err := s.boxes.get(defaultSandbox)
	if err != nil {
		return 0, err
	}
	b, err := json.MarshalIndent(base.snapshot(), "", " ")
	if err != nil {
		return 0, err
	}
	b = append(b, '\n')
	return len(b), writeFileAtomic(s.cfg.StateFile, b)
}

// beforeRename lets a test stop a save halfway, as a crash would.
var beforeRename = func(tmp string) error { return nil }

func writeFileAtomic(path string, b []byte) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	if _, err := f.Write(b); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := beforeRename(tmp); err != nil {
		return err // as after a crash: the temporary file stays, the old file is whole
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	if d, err := os.Open(dir); err == nil { // make the rename itself durable
		d.Sync()
		d.Close()
	}
	return nil
}
