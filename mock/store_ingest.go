package mock

import (
	"bytes"
	"encoding/json"
	"hash/fnv"
	"maps"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/c3dmock/c3dmock/fixtures"
)

// The Data Collector's ingest streams (api.md §8.1); the names are the route
// segments and the keys of Store.RawData.
const (
	streamGaze      = "gaze"
	streamEvents    = "events"
	streamSensors   = "sensors"
	streamDynamics  = "dynamics"
	streamFixations = "fixations"
	streamBoundary  = "boundary"
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
	return &ingestState{raw: map[sessionKey][]RawBatch{}, sensors: map[sessionKey]map[string]*sensorAgg{}}
}

// ingestBatch is the part of a batch the store reads; the body has already
// been validated against spec/datacollector.yaml.
type ingestBatch struct {
	UserID     string         `json:"userid"`
	Name       string         `json:"name"` // WebXR sends the user id of sensor batches as "name"
	SessionID  string         `json:"sessionid"`
	Timestamp  float64        `json:"timestamp"`
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
	Duration   float64         `json:"duration"`
	Data       json.RawMessage `json:"data"` // sensors: [[time, value], ...]
}

// Ingest stores one batch and creates or updates its session, so the session
// shows up in the public API as soon as its first batch lands. The batch
// decides the session's project (the scene's), a visit to the scene version
// its ?version= number names (404 for an unknown number), and, per stream:
// gaze → properties, HMD, gaze interval; events → events; sensors →
// c3d.session.sensor.<name>.avg/min/max properties; all → Has* flags and the
// duration up to the latest datum. A batch identical to one already stored
// (an SDK retry) is acknowledged and ignored.
func (st *Store) Ingest(stream, sceneID string, versionNumber int, body []byte, nowMs int64) error {
	var b ingestBatch
	if err := json.Unmarshal(body, &b); err != nil {
		return &Error{Code: CodeInvalid, Message: "request body: " + err.Error(), Field: "/", Rule: "type", Err: err}
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	w := st.w
	sc, ok := w.scenes[sceneID]
	if !ok {
		return errorf(CodeNotFound, "scene %q not found", sceneID)
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
	raw := RawBatch{Stream: stream, SceneID: sceneID, VersionID: v.ID, VersionNumber: versionNumber, Part: part,
		Received: nowMs, Body: append(json.RawMessage(nil), body...)}
	w.ingest.add(key, raw)

	s := w.upsertSession(sc.ProjectID, b.SessionID, int64(math.Round(b.Timestamp*1000)))
	first, last := b.span(stream)
	w.applyBatch(s, stream, &b, v, first, last)
	if stream == streamSensors {
		w.applySensors(s, key, b.Data)
	}
	w.ix.idx.Store(nil) // participant, visits or events may have changed
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
		if stream == streamSensors {
			for _, p := range sensorPoints(d.Data) {
				add(p[0])
			}
			continue
		}
		add(d.Time)
		if stream == streamFixations && d.Duration > 0 {
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

// upsertSession returns the session of a project, creating it (in Start
// order) when it is new. The pointer is valid until the next insert.
func (w *world) upsertSession(projectID int64, sessionID string, startMs int64) *fixtures.Session {
	if s, ok := w.findSession(projectID, sessionID); ok {
		return s
	}
	if startMs <= 0 {
		startMs = sessionIDStart(sessionID)
	}
	device := sessionID
	if _, d, ok := strings.Cut(sessionID, "_"); ok && d != "" {
		device = d
	}
	s := fixtures.Session{
		SessionID: sessionID, SQLID: w.newID(), ProjectID: projectID, OrganizationID: w.projects[projectID].OrganizationID,
		DeviceID: device, UserKey: device, Start: startMs, Tags: []string{}, Properties: map[string]any{},
	}
	n := 1
	for i := range w.sessions {
		if w.sessions[i].ProjectID == projectID && w.sessions[i].UserKey == s.UserKey {
			n++
		}
	}
	s.UserSessionNumber = n
	i := sort.Search(len(w.sessions), func(i int) bool { return w.sessions[i].Start > startMs })
	w.sessions = append(w.sessions, fixtures.Session{})
	copy(w.sessions[i+1:], w.sessions[i:])
	w.sessions[i] = s
	w.ix.idx.Store(nil)
	return &w.sessions[i]
}

// sessionIDStart reads the start from a "<epochSeconds>_<deviceId>" session id.
func sessionIDStart(id string) int64 {
	sec, _, _ := strings.Cut(id, "_")
	n, err := strconv.ParseInt(sec, 10, 64)
	if err != nil || n <= 0 {
		return 0
	}
	return n * 1000
}

// applyBatch updates a session from one batch. Slices and maps the session
// shares with earlier readers' copies are replaced, never written in place.
func (w *world) applyBatch(s *fixtures.Session, stream string, b *ingestBatch, v fixtures.SceneVersion, first, last int64) {
	end := s.Start + s.Duration
	if last > end {
		s.Duration = last - s.Start
	}
	w.touchVisit(s, v, first, last)
	switch stream {
	case streamGaze:
		s.HasGaze = s.HasGaze || len(b.Data) > 0
		if b.Interval > 0 {
			s.GazeInterval = b.Interval
		}
		if b.HMDType != "" && s.HMD == "" {
			s.HMD = b.HMDType
		}
		if len(b.Properties) > 0 {
			props := maps.Clone(s.Properties)
			if props == nil {
				props = map[string]any{}
			}
			for k, val := range b.Properties {
				if val = propertyValue(val); val != nil {
					props[k] = val
				}
			}
			s.Properties = props
			applyIdentity(s)
		}
	case streamEvents:
		s.HasEvent = s.HasEvent || len(b.Data) > 0
		evs := append(make([]fixtures.Event, 0, len(s.Events)+len(b.Data)), s.Events...)
		for i, d := range b.Data {
			e := fixtures.Event{Name: d.Name, Time: int64(math.Round(d.Time * 1000)), Object: d.DynamicID, VersionID: v.ID,
				Properties: map[string]any{}}
			if len(d.Point) >= 3 {
				e.X, e.Y, e.Z = d.Point[0], d.Point[1], d.Point[2]
			}
			var props map[string]any
			if json.Unmarshal(d.Properties, &props) == nil {
				for k, val := range props {
					if val = propertyValue(val); val != nil {
						e.Properties[k] = val
					}
				}
			}
			e.Hash = eventHash(s.SessionID, b.Part, i, d.Name, e.Time)
			evs = append(evs, e)
		}
		sort.SliceStable(evs, func(i, j int) bool { return evs[i].Time < evs[j].Time })
		s.Events = evs
	case streamSensors:
		s.HasSensor = s.HasSensor || len(b.Data) > 0
	case streamDynamics:
		s.HasDynamic = s.HasDynamic || len(b.Data) > 0
	case streamFixations:
		s.HasFixation = s.HasFixation || len(b.Data) > 0
	case streamBoundary:
		s.HasBoundary = true
	}
}

// touchVisit records time spent in a scene version: a new visit, or the
// existing visit stretched to cover [first, last].
func (w *world) touchVisit(s *fixtures.Session, v fixtures.SceneVersion, first, last int64) {
	if first == 0 {
		first, last = s.Start+s.Duration, s.Start+s.Duration
	}
	visits := append([]fixtures.SceneVisit(nil), s.Visits...)
	for i := range visits {
		if visits[i].VersionID == v.ID {
			visits[i].Start = min(visits[i].Start, first)
			visits[i].End = max(visits[i].End, last)
			s.Visits = visits
			return
		}
	}
	if len(visits) == 0 {
		first = min(first, s.Start)
	}
	visits = append(visits, fixtures.SceneVisit{SceneID: v.SceneID, VersionID: v.ID, SQLID: w.newID(), Start: first, End: max(first, last)})
	sort.SliceStable(visits, func(i, j int) bool { return visits[i].Start < visits[j].Start })
	s.Visits = visits
}

// applyIdentity derives the participant, name, device and HMD columns from
// the session properties the SDK sent.
func applyIdentity(s *fixtures.Session) {
	str := func(k string) string {
		v, _ := s.Properties[k].(string)
		return v
	}
	if v := str("c3d.participant.id"); v != "" {
		s.ParticipantID = v
	}
	if v := str("c3d.participant.name"); v != "" {
		s.ParticipantName, s.FriendlyName = v, v
	} else if v := str("c3d.sessionname"); v != "" && s.FriendlyName == "" {
		s.FriendlyName = v
	}
	if v := str("c3d.deviceid"); v != "" {
		s.DeviceID = v
	}
	if v := str("c3d.device.hmd.type"); v != "" {
		s.HMD = v
	}
	s.UserKey = s.DeviceID
	if s.ParticipantID != "" {
		s.UserKey = s.ParticipantID
	}
}

// applySensors folds sensor readings into c3d.session.sensor.<name>.* properties.
func (w *world) applySensors(s *fixtures.Session, key sessionKey, data []ingestDatum) {
	aggs := w.ingest.sensors[key]
	if aggs == nil {
		aggs = map[string]*sensorAgg{}
		w.ingest.sensors[key] = aggs
	}
	props := maps.Clone(s.Properties)
	if props == nil {
		props = map[string]any{}
	}
	for _, d := range data {
		pts := sensorPoints(d.Data)
		if d.Name == "" || len(pts) == 0 {
			continue
		}
		a := aggs[d.Name]
		if a == nil {
			a = &sensorAgg{min: math.Inf(1), max: math.Inf(-1)}
			aggs[d.Name] = a
		}
		for _, p := range pts {
			a.sum += p[1]
			a.n++
			a.min = math.Min(a.min, p[1])
			a.max = math.Max(a.max, p[1])
		}
		prefix := "c3d.session.sensor." + d.Name + "."
		props[prefix+"avg"], props[prefix+"min"], props[prefix+"max"] = a.sum/float64(a.n), a.min, a.max
	}
	s.Properties = props
}

// propertyValue keeps strings, numbers and booleans as the world stores them
// (float64 for numbers); other JSON values become their JSON text; null is dropped.
func propertyValue(v any) any {
	switch x := v.(type) {
	case nil:
		return nil
	case string, bool, float64:
		return x
	case json.Number:
		f, _ := x.Float64()
		return f
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	return string(b)
}

// eventHash makes a stable event id above 2^53, like the vendor's eventHash.
func eventHash(sessionID string, part float64, i int, name string, timeMs int64) int64 {
	h := fnv.New64a()
	h.Write([]byte(sessionID + "\x00" + name + "\x00" + strconv.FormatFloat(part, 'f', -1, 64) + "\x00" +
		strconv.Itoa(i) + "\x00" + strconv.FormatInt(timeMs, 10)))
	return int64(h.Sum64()>>3 | 1<<61)
}

// versionByNumber finds a scene's version by its 1-based number. Callers hold mu.
func (w *world) versionByNumber(sceneID string, n int) (fixtures.SceneVersion, error) {
	for _, v := range w.versions {
		if v.SceneID == sceneID && v.VersionNumber == n {
			return v, nil
		}
	}
	return fixtures.SceneVersion{}, &Error{Code: CodeNotFound, Field: "query:version", Rule: "exists",
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
