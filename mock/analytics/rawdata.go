package analytics

import (
	"encoding/json"
	"maps"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/c3dmock/c3dmock/mock/store"

	"github.com/c3dmock/c3dmock/fixtures"
)

// datum is one raw sample: its time (epoch ms), the scene version it was
// recorded in, and its other fields as the SDK names them.
type datum struct {
	ms      float64
	version int64
	fields  map[string]any
}

// rawData is a session's raw data by stream (gaze, fixations, events,
// dynamics, sensors, boundary) plus the dynamic-object manifest.
type rawData struct {
	Streams  map[string][]datum
	manifest map[string]any
	header   batchHeader
}

// batchHeader is what the SDKs send at the top of a batch besides the
// session fields: Unity's subscriptions on gaze batches and each stream's
// formatversion (sensors send "2.0"). The raw-data routes return them under
// metadata, and only when some batch carried them.
type batchHeader struct {
	subscriptions  map[string]any
	formatVersions map[string]any // stream → formatversion as sent
}

// buildRaw takes each stream from the Data Collector's batches when it has
// any, else generates it from the session. With in.VersionID set only the
// data recorded in that scene version is kept.
func BuildRaw(in RawInput) rawData {
	s := &in.Session
	rd := rawData{Streams: map[string][]datum{}, manifest: map[string]any{}}
	gen := map[string]func() []datum{
		store.StreamGaze: func() []datum { return genGaze(s) }, store.StreamFixations: func() []datum { return genFixations(s) },
		store.StreamEvents: func() []datum { return genEvents(s) }, store.StreamDynamics: func() []datum { return genDynamics(s, in.Objects, rd.manifest) },
		store.StreamSensors: func() []datum { return genSensors(s) }, store.StreamBoundary: func() []datum { return genBoundary(s) },
	}
	rd.header = headerOf(in.Batches)
	for stream, g := range gen {
		list := fromBatches(stream, in.Batches, rd.manifest)
		if list == nil {
			list = g()
		}
		if in.VersionID != 0 {
			list = slices.DeleteFunc(slices.Clone(list), func(d datum) bool { return d.version != in.VersionID })
		}
		sort.SliceStable(list, func(i, j int) bool { return list[i].ms < list[j].ms })
		rd.Streams[stream] = list
	}
	return rd
}

// headerOf collects the batch headers of a session's uploads (later batches
// win per key).
func headerOf(batches []store.RawBatch) batchHeader {
	var h batchHeader
	for _, b := range batches {
		var body struct {
			Subscriptions map[string]any `json:"subscriptions"`
			FormatVersion any            `json:"formatversion"`
		}
		if json.Unmarshal(b.Body, &body) != nil {
			continue
		}
		if len(body.Subscriptions) > 0 {
			if h.subscriptions == nil {
				h.subscriptions = map[string]any{}
			}
			maps.Copy(h.subscriptions, body.Subscriptions)
		}
		if body.FormatVersion != nil {
			if h.formatVersions == nil {
				h.formatVersions = map[string]any{}
			}
			h.formatVersions[b.Stream] = body.FormatVersion
		}
	}
	return h
}

// fromBatches reads a stream's uploaded batches; nil when there are none.
// SDK times are epoch seconds; sensor batches nest [time, value] pairs.
func fromBatches(stream string, batches []store.RawBatch, manifest map[string]any) []datum {
	var out []datum
	for _, b := range batches {
		if b.Stream != stream {
			continue
		}
		var body struct {
			Data     []map[string]any `json:"data"`
			Shapes   []map[string]any `json:"shapes"`
			Manifest map[string]any   `json:"manifest"`
		}
		if json.Unmarshal(b.Body, &body) != nil {
			continue
		}
		maps.Copy(manifest, body.Manifest)
		if out == nil {
			out = []datum{} // a stream with batches is never generated
		}
		for _, m := range append(body.Data, body.Shapes...) {
			if pairs, ok := m["data"].([]any); ok && stream == store.StreamSensors {
				// The sensor's own fields (sensorHzLimitType, sensorHzLimited,
				// …) ride on each of its samples, as sent.
				for _, p := range pairs {
					if tv, ok := p.([]any); ok && len(tv) == 2 {
						t, _ := tv[0].(float64)
						f := map[string]any{"name": m["name"], "value": tv[1]}
						for k, v := range m {
							if k != "data" && k != "name" && k != "time" && k != "value" {
								f[k] = v
							}
						}
						out = append(out, datum{t * 1000, b.VersionID, f})
					}
				}
				continue
			}
			t, _ := m["time"].(float64)
			f := maps.Clone(m)
			delete(f, "time")
			out = append(out, datum{t * 1000, b.VersionID, f})
		}
	}
	return out
}

// versionAt is the scene version a session was in at ms.
func versionAt(s *fixtures.Session, ms float64) int64 {
	for _, v := range s.Visits {
		if ms < float64(v.End) {
			return v.VersionID
		}
	}
	if n := len(s.Visits); n > 0 {
		return s.Visits[n-1].VersionID
	}
	return 0
}

func round4(v float64) float64 { return math.Round(v*1e4) / 1e4 }

// gazeStep spaces generated gaze samples: the session's gaze interval, but
// at most about 1500 samples per session.
func gazeStep(s *fixtures.Session) int64 {
	return max(int64(s.GazeInterval*1000), s.Duration/1500, 100)
}

// pose walks the participant around a circle looking outwards.
func pose(s *fixtures.Session, ms int64) (p, r, g []float64) {
	a := float64(ms-s.Start) / 20000
	p = []float64{round4(2 * math.Sin(a)), round4(1.6 + 0.05*math.Sin(3*a)), round4(2 * math.Cos(a))}
	r = []float64{0, round4(math.Sin(a / 2)), 0, round4(math.Cos(a / 2))}
	g = []float64{round4(p[0] + 3*math.Sin(a)), 1.4, round4(p[2] + 3*math.Cos(a))}
	return p, r, g
}

func genGaze(s *fixtures.Session) []datum {
	out := []datum{}
	if !s.HasGaze {
		return out
	}
	for t := s.Start; t < s.End(); t += gazeStep(s) {
		p, r, g := pose(s, t)
		out = append(out, datum{float64(t), versionAt(s, float64(t)), map[string]any{"p": p, "r": r, "g": g}})
	}
	return out
}

func genFixations(s *fixtures.Session) []datum {
	out := []datum{}
	if !s.HasFixation {
		return out
	}
	for i, t := 0, s.Start; t < s.End(); i, t = i+1, t+8*gazeStep(s) {
		_, _, g := pose(s, t)
		out = append(out, datum{float64(t), versionAt(s, float64(t)), map[string]any{"duration": 250 + (i*37)%400, "maxradius": 0.05, "p": g}})
	}
	return out
}

func genEvents(s *fixtures.Session) []datum {
	out := make([]datum, 0, len(s.Events))
	for _, e := range s.Events {
		f := map[string]any{"name": e.Name.String(), "point": []float64{e.X(), e.Y(), e.Z()}, "properties": e.Properties}
		if obj := e.Object.String(); obj != "" {
			f["dynamicId"] = obj
		}
		out = append(out, datum{float64(e.Time), e.VersionID, f})
	}
	return out
}

// genDynamics moves each dynamic object of a visited version a little, up
// to ten snapshots per visit, and lists the objects in the manifest.
func genDynamics(s *fixtures.Session, objects []fixtures.Object, manifest map[string]any) []datum {
	out := []datum{}
	if !s.HasDynamic {
		return out
	}
	for i, o := range objects {
		manifest[o.SDKID] = map[string]any{"name": o.Name, "mesh": o.MeshName, "fileType": o.DynamicFileType}
		for _, v := range s.Visits {
			if v.VersionID != o.VersionID {
				continue
			}
			step := max((v.End-v.Start)/10, 10_000)
			for t := v.Start; t < v.End; t += step {
				x := round4(float64(i) + 0.1*math.Sin(float64(t-v.Start)/10000))
				out = append(out, datum{float64(t), v.VersionID, map[string]any{"id": o.SDKID, "p": []float64{x, 1, float64(i%3) - 1}, "r": []float64{0, 0, 0, 1}}})
			}
		}
	}
	return out
}

// genSensors samples three sensors around the session's recorded averages.
func genSensors(s *fixtures.Session) []datum {
	out := []datum{}
	if !s.HasSensor {
		return out
	}
	step := max(s.Duration/200, 1000)
	for _, name := range []string{"c3d.fps.avg", "c3d.hmd.pitch", "c3d.hmd.yaw"} {
		base, ok := s.Properties.Number(name)
		if !ok && name == "c3d.fps.avg" {
			base = 72
		}
		for t := s.Start; t < s.End(); t += step {
			v := round4(base + 3*math.Sin(float64(t-s.Start)/7000))
			out = append(out, datum{float64(t), versionAt(s, float64(t)), map[string]any{"name": name, "value": v}})
		}
	}
	return out
}

func genBoundary(s *fixtures.Session) []datum {
	if !s.HasBoundary {
		return []datum{}
	}
	pts := [][]float64{{-1.5, 0, -1.5}, {1.5, 0, -1.5}, {1.5, 0, 1.5}, {-1.5, 0, 1.5}}
	return []datum{{float64(s.Start), versionAt(s, float64(s.Start)), map[string]any{"points": pts}}}
}

// rawOptions are jsonRequests' conversion flags.
type RawOptions struct {
	Relative, Seconds, Indicate, Separate bool
	Metadata, Properties, Geo             bool
	Gap                                   int64 // ms; larger gaps between gaze samples are marked gapMillis
}

// render turns data into the wire form: time in epoch ms (session-relative
// and/or seconds on request), sceneVersionId/sceneId when indicated.
func (o RawOptions) Render(list []datum, start int64, sceneOf func(int64) string) []any {
	out := make([]any, 0, len(list))
	for i, d := range list {
		m := maps.Clone(d.fields)
		t := d.ms
		if o.Relative {
			t -= float64(start)
		}
		if o.Seconds {
			t /= 1000
		}
		m["time"] = t
		if o.Indicate && sceneOf != nil {
			m["sceneVersionId"], m["sceneId"] = d.version, sceneOf(d.version)
		}
		if o.Gap > 0 && i > 0 && d.ms-list[i-1].ms > float64(o.Gap) {
			m["gapMillis"] = d.ms - list[i-1].ms
		}
		out = append(out, m)
	}
	return out
}

// rawDocument is the body of jsonRequests: {"data": {...}} with the keys of
// the jsonType, per scene version under data.scenes if separateSceneData,
// plus metadata, properties and geo on request.
func RawDocument(in RawInput, rd rawData, keys []string, o RawOptions) map[string]any {
	s := &in.Session
	sceneOf := func(v int64) string {
		for _, vis := range s.Visits {
			if vis.VersionID == v {
				return vis.SceneID
			}
		}
		return ""
	}
	streams := func(keep func(datum) bool) map[string]any {
		m := map[string]any{}
		for _, k := range keys {
			if k == "dynamics.manifest" {
				m[k] = rd.manifest
				continue
			}
			m[k] = o.Render(slices.DeleteFunc(slices.Clone(rd.Streams[k]), func(d datum) bool { return !keep(d) }), s.Start, sceneOf)
		}
		return m
	}
	data := map[string]any{}
	if o.Separate {
		scenes := map[string]any{}
		for _, v := range s.Visits {
			if in.VersionID == 0 || v.VersionID == in.VersionID {
				vid := v.VersionID
				scenes[strconv.FormatInt(vid, 10)] = streams(func(d datum) bool { return d.version == vid })
			}
		}
		data["scenes"] = scenes
	} else {
		data = streams(func(datum) bool { return true })
	}
	if o.Metadata {
		data["metadata"] = map[string]any{"sessionId": s.SessionID, "projectId": in.ProjectID, "participantId": s.ParticipantID,
			"deviceId": s.DeviceID, "hmd": s.HMD.String(), "startTime": s.Start, "endTime": s.End(), "duration": s.Duration, "gazeInterval": s.GazeInterval}
		if rd.header.subscriptions != nil {
			data["metadata"].(map[string]any)["subscriptions"] = rd.header.subscriptions
		}
		if rd.header.formatVersions != nil {
			data["metadata"].(map[string]any)["formatVersions"] = rd.header.formatVersions
		}
	}
	if o.Properties {
		data["properties"] = s.Properties
	}
	if o.Geo {
		geo := map[string]any{}
		for k, v := range s.Properties.All() {
			if g, ok := strings.CutPrefix(k, "c3d.geo."); ok {
				geo[g] = v
			}
		}
		data["geo"] = geo
	}
	return map[string]any{"data": data}
}
