package store

import (
	"encoding/json"
	"hash/fnv"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/c3dmock/c3dmock/fixtures/propstore"

	"github.com/c3dmock/c3dmock/fixtures"
)

// How an ingest batch becomes (part of) a fixtures.Session, the value the
// public API's session queries read.

// upsertSession returns the session of a project, creating it (in Start
// order) when it is new; created says so. A new session starts at startMs,
// else at the epoch seconds of its id, else at nowMs (deriveSession
// corrects the start as batches arrive). The pointer is valid until the
// next insert. An upload never joins the example session's stand-in
// (findSessionExact).
func (w *world) upsertSession(projectID int64, sessionID string, startMs, nowMs int64) (s *fixtures.Session, created bool) {
	if s, ok := w.findSessionExact(projectID, sessionID); ok {
		return s, false
	}
	if startMs <= 0 {
		startMs = sessionIDStart(sessionID)
	}
	if startMs <= 0 {
		startMs = nowMs
	}
	device := sessionID
	if _, d, ok := strings.Cut(sessionID, "_"); ok && d != "" {
		device = d
	}
	ns := fixtures.Session{
		SessionID: sessionID, SQLID: w.newID(), ProjectID: projectID, OrganizationID: w.projects[projectID].OrganizationID,
		DeviceID: device, Start: startMs, Tags: []string{},
	}
	n := 1
	for i := range w.sessions {
		if w.sessions[i].ProjectID == projectID && w.sessions[i].UserKey() == ns.UserKey() {
			n++
		}
	}
	ns.UserSessionNumber = n
	deriveTagProps(&ns)
	i := sort.Search(len(w.sessions), func(i int) bool { return w.sessions[i].Start > startMs })
	w.sessions = append(w.sessions, fixtures.Session{})
	copy(w.sessions[i+1:], w.sessions[i:])
	w.sessions[i] = ns
	w.ix.idx.Store(nil)
	return &w.sessions[i], true
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

// applyBatch updates a session from one batch, except for the values
// deriveSession computes. Slices and maps the session shares with earlier
// readers' copies are replaced, never written in place.
func (w *world) applyBatch(s *fixtures.Session, stream string, b *ingestBatch, versionID int64) {
	switch stream {
	case StreamGaze:
		s.HasGaze = s.HasGaze || len(b.Data) > 0
		if b.Interval > 0 {
			s.GazeInterval = b.Interval
		}
		if b.HMDType != "" && s.HMD == 0 {
			s.HMD = propstore.Intern(b.HMDType)
		}
		if len(b.Properties) > 0 {
			set := make(map[string]any, len(b.Properties))
			for k, val := range b.Properties {
				if val = propertyValue(val); val != nil && !isDerivedProperty(k) {
					set[k] = val
				}
			}
			s.Properties = s.Properties.With(set)
			applyIdentity(s)
		}
	case StreamEvents:
		s.HasEvent = s.HasEvent || len(b.Data) > 0
		evs := append(make([]fixtures.Event, 0, len(s.Events)+len(b.Data)), s.Events...)
		for i, d := range b.Data {
			e := fixtures.Event{Name: propstore.Intern(d.Name), Time: int64(math.Round(d.Time * 1000)), Object: propstore.Intern(d.DynamicID), VersionID: versionID}
			if len(d.Point) >= 3 {
				e.SetPos(d.Point[0], d.Point[1], d.Point[2])
			}
			var props map[string]any
			if json.Unmarshal(d.Properties, &props) == nil {
				for k, val := range props {
					props[k] = propertyValue(val) // nil values are dropped
				}
				e.Properties = propstore.NewProps(props)
			}
			e.Hash = eventHash(s.SessionID, b.Part, i, d.Name, e.Time)
			evs = append(evs, e)
		}
		sort.SliceStable(evs, func(i, j int) bool { return evs[i].Time < evs[j].Time })
		s.Events = evs
	case StreamSensors:
		s.HasSensor = s.HasSensor || len(b.Data) > 0
	case StreamDynamics:
		s.HasDynamic = s.HasDynamic || len(b.Data) > 0
	case StreamFixations:
		s.HasFixation = s.HasFixation || len(b.Data) > 0
	case StreamBoundary:
		s.HasBoundary = true
	}
}

// applyIdentity derives the participant, name, device and HMD columns from
// the session properties the SDK sent.
func applyIdentity(s *fixtures.Session) {
	str := func(k string) string {
		v, _ := s.Properties.Text(k)
		return v
	}
	if v := str("c3d.participant.id"); v != "" {
		s.ParticipantID = v
	}
	if v := str("c3d.participant.name"); v != "" {
		s.ParticipantName = propstore.Intern(v)
		s.FriendlyName = s.ParticipantName
	} else if v := str("c3d.sessionname"); v != "" && s.FriendlyName == 0 {
		s.FriendlyName = propstore.Intern(v)
	}
	if v := str("c3d.deviceid"); v != "" {
		s.DeviceID = v
	}
	if v := str("c3d.device.hmd.type"); v != "" {
		s.HMD = propstore.Intern(v)
	}
}

// applySensors folds sensor readings into c3d.session.sensor.<name>.* properties.
func (w *world) applySensors(s *fixtures.Session, key sessionKey, data []ingestDatum) {
	aggs := w.ingest.sensors[key]
	if aggs == nil {
		aggs = map[string]*sensorAgg{}
		w.ingest.sensors[key] = aggs
	}
	props := map[string]any{}
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
	s.Properties = s.Properties.With(props)
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
