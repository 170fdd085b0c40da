package store

import (
	"bytes"
	"encoding/json"
	"math"
	"sort"
	"strconv"

	"github.com/c3dmock/c3dmock/mock/apierr"

	"github.com/c3dmock/c3dmock/fixtures"
)

// The Data Collector's ingest streams (api.md §8.1); the names are the route
// segments and the keys of Store.RawData.
const (
	StreamGaze      = "gaze"
	StreamEvents    = "events"
	StreamSensors   = "sensors"
	StreamDynamics  = "dynamics"
	StreamFixations = "fixations"
	StreamBoundary  = "boundary"
)

// RawBatch is one batch as an SDK uploaded it to the Data Collector.
type RawBatch struct {
	Stream        string          // gaze | events | sensors | dynamics | fixations | boundary
	SceneID       string          // the {sceneId} of the route
	VersionID     int64           // the scene version the ?version= number named
	VersionNumber int             // ?version=
	Part          int             // the batch's part counter (0 when absent)
	Received      int64           // epoch ms, server clock
	Body          json.RawMessage // the request body, byte for byte
}

// ingestState is what the Data Collector keeps besides the sessions
// themselves: the raw batches, and running sensor aggregates.
type ingestState struct {
	raw     map[sessionKey][]RawBatch // ordered by stream, part, arrival
	sensors map[sessionKey]map[string]*sensorAgg
	spans   map[sessionKey]*ingestSpan // what derived values are computed from (datacollector_derive.go)
	cost    map[sessionKey]int64       // bytes charged to the stored-data budget (store_budget.go)
}

type sessionKey struct {
	project int64
	session string
}

type sensorAgg struct {
	sum, min, max float64
	n             int
}

func newIngestState() *ingestState {
	return &ingestState{raw: map[sessionKey][]RawBatch{}, sensors: map[sessionKey]map[string]*sensorAgg{}, spans: map[sessionKey]*ingestSpan{}, cost: map[sessionKey]int64{}}
}

// ingestBatch is the part of a batch the store reads; the body has already
// been validated against spec/datacollector.yaml.
type ingestBatch struct {
	UserID     string         `json:"userid"`
	Name       string         `json:"name"` // WebXR sends the user id of sensor batches as "name"
	SessionID  string         `json:"sessionid"`
	Timestamp  float64        `json:"timestamp"`
	Time       float64        `json:"time"` // the Android SDK's name for the session start of boundary batches
	Part       float64        `json:"part"`
	HMDType    string         `json:"hmdtype"`
	Interval   float64        `json:"interval"`
	Properties map[string]any `json:"properties"`
	Data       []ingestDatum  `json:"data"`
	Shapes     []struct {
		Time *float64 `json:"time"`
	} `json:"shapes"`
	RoomData []struct {
		Time *float64 `json:"time"`
	} `json:"roomData"`
}

type ingestDatum struct {
	Time       float64         `json:"time"`
	Name       string          `json:"name"`
	Point      []float64       `json:"point"`
	Properties json.RawMessage `json:"properties"`
	DynamicID  string          `json:"dynamicId"`
	O          string          `json:"o"`        // gaze: the dynamic object looked at
	ObjectID   string          `json:"objectid"` // fixations: the dynamic object fixated
	Duration   float64         `json:"duration"`
	Data       json.RawMessage `json:"data"` // sensors: [[time, value], ...]
}

// Ingest stores one batch and creates or updates its session, so the session
// shows up in the public API as soon as its first batch lands. The batch
// decides the session's project (the scene's), a visit to the scene version
// its ?version= number names (404 for an unknown number), and, per stream:
// gaze → properties, HMD, gaze interval; events → events; sensors →
// c3d.session.sensor.<name>.avg/min/max properties; all → Has* flags and the
// session's times; then the derived values are recomputed (deriveSession).
// A batch identical to one already stored (an SDK retry) is acknowledged
// and ignored. A batch that would take the stored data past the budget is
// 507 and stores nothing (store_budget.go).
func (st *Store) Ingest(stream, sceneID string, versionNumber int, body []byte, nowMs int64) error {
	var b ingestBatch
	if err := json.Unmarshal(body, &b); err != nil {
		return &apierr.Error{Code: apierr.CodeInvalid, Message: "request body: " + err.Error(), Field: "/", Rule: "type", Err: err}
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	w := st.w
	sc, ok := w.scenes[sceneID]
	if !ok {
		return apierr.Errorf(apierr.CodeNotFound, "scene %q not found", sceneID)
	}
	v, err := w.versionByNumber(sceneID, versionNumber)
	if err != nil {
		return err
	}
	key := sessionKey{sc.ProjectID, b.SessionID}
	part := int(b.Part)
	for _, old := range w.ingest.raw[key] {
		if old.Stream == stream && old.VersionID == v.ID && old.Part == part && bytes.Equal(old.Body, body) {
			return nil
		}
	}
	kept := append(json.RawMessage(nil), body...)
	_, known := w.findSession(sc.ProjectID, b.SessionID)
	cost := ingestCost(stream, &b, kept, !known)
	if err := st.reserve(cost); err != nil {
		return err
	}
	raw := RawBatch{Stream: stream, SceneID: sceneID, VersionID: v.ID, VersionNumber: versionNumber, Part: part,
		Received: nowMs, Body: kept}
	w.ingest.add(key, raw)
	w.ingest.cost[key] += cost
	w.charge(cost)

	ts := int64(math.Round(b.start(stream) * 1000)) // boundary batches of the Android SDK send time
	first, last := b.span(stream)
	start := ts
	if first > 0 && (start <= 0 || first < start) {
		start = first
	}
	s, created := w.upsertSession(sc.ProjectID, b.SessionID, start, nowMs)
	sp := w.ingest.spanOf(key, s, created)
	sp.widen(v.ID, ts, first, last)
	sp.addLooks(stream, b.Data)
	w.applyBatch(s, stream, &b, v.ID)
	if stream == StreamSensors {
		w.applySensors(s, key, b.Data)
	}
	w.deriveSession(key, s) // times, visits, tag properties, objectives
	return nil
}

// add keeps a session's batches ordered by stream, then part, then arrival.
func (in *ingestState) add(key sessionKey, b RawBatch) {
	list := in.raw[key]
	i := sort.Search(len(list), func(i int) bool {
		if list[i].Stream != b.Stream {
			return list[i].Stream > b.Stream
		}
		return list[i].Part > b.Part
	})
	list = append(list, RawBatch{})
	copy(list[i+1:], list[i:])
	list[i] = b
	in.raw[key] = list
}

// start is the session start a batch names, in epoch seconds: timestamp, or
// for boundary batches without one, time (the Android SDK's name for it).
func (b *ingestBatch) start(stream string) float64 {
	if b.Timestamp == 0 && stream == StreamBoundary {
		return b.Time
	}
	return b.Timestamp
}

// span is the first and last datum time of a batch in epoch ms (0, 0 when it has none).
func (b *ingestBatch) span(stream string) (first, last int64) {
	add := func(sec float64) {
		ms := int64(math.Round(sec * 1000))
		if first == 0 || ms < first {
			first = ms
		}
		last = max(last, ms)
	}
	for _, d := range b.Data {
		if stream == StreamSensors {
			for _, p := range sensorPoints(d.Data) {
				add(p[0])
			}
			continue
		}
		add(d.Time)
		if stream == StreamFixations && d.Duration > 0 {
			add(d.Time + d.Duration/1000)
		}
	}
	for _, s := range b.Shapes {
		if s.Time != nil {
			add(*s.Time)
		}
	}
	for _, r := range b.RoomData {
		if r.Time != nil {
			add(*r.Time)
		}
	}
	return first, last
}

func sensorPoints(raw json.RawMessage) [][]float64 {
	var pts [][]float64
	if json.Unmarshal(raw, &pts) != nil {
		return nil
	}
	out := pts[:0]
	for _, p := range pts {
		if len(p) >= 2 {
			out = append(out, p)
		}
	}
	return out
}

// versionByNumber finds a scene's version by its 1-based number. Callers hold mu.
func (w *world) versionByNumber(sceneID string, n int) (fixtures.SceneVersion, error) {
	for _, v := range w.versions {
		if v.SceneID == sceneID && v.VersionNumber == n {
			return v, nil
		}
	}
	return fixtures.SceneVersion{}, &apierr.Error{Code: apierr.CodeNotFound, Field: "query:version", Rule: "exists",
		Message: "scene " + sceneID + " has no version number " + strconv.Itoa(n) + " (version is the version NUMBER, not its id)"}
}

// RawData returns the batches uploaded for a session, by stream ("gaze",
// "events", "sensors", "dynamics", "fixations", "boundary"), each list in
// part order, as the SDK sent them. projectID 0 matches any project. The
// public raw-data routes (jsonRequests) serve them in the vendor's shape.
func (st *Store) RawData(projectID int64, sessionID string) map[string][]json.RawMessage {
	out := map[string][]json.RawMessage{}
	for _, b := range st.RawBatches(projectID, sessionID) {
		out[b.Stream] = append(out[b.Stream], b.Body)
	}
	return out
}

// RawBatches returns a session's uploaded batches with their scene version
// and part, ordered by stream, then part, then arrival. projectID 0 matches
// any project. Bodies are shared read-only: callers must not modify them.
func (st *Store) RawBatches(projectID int64, sessionID string) []RawBatch {
	st.mu.RLock()
	defer st.mu.RUnlock()
	var out []RawBatch
	for k, list := range st.w.ingest.raw {
		if k.session == sessionID && (projectID == 0 || k.project == projectID) {
			out = append(out, list...)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Stream != out[j].Stream {
			return out[i].Stream < out[j].Stream
		}
		return out[i].Part < out[j].Part
	})
	return out
}

// SessionByID returns a copy of a session of a project (projectID 0: any project).
func (st *Store) SessionByID(projectID int64, sessionID string) (fixtures.Session, bool) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	s, ok := st.w.findSession(projectID, sessionID)
	if !ok {
		return fixtures.Session{}, false
	}
	return *s, true
}
