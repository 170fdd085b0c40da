package analytics

import (
	"encoding/json"
	"maps"
	"slices"

	"github.com/c3dmock/c3dmock/fixtures/jsonw"
)

// The body of paginatedListQueries is written by hand: encoding/json spent
// as long on 100 rows (reflection, then re-scanning every Marshaler's
// output) as the query itself took over 100000 sessions. The bytes are
// those writeJSON (encoding/json, HTML escaping off) produces for the same
// values; golden_test.go and query_view_test.go pin them.

func (p *SessionPage) AppendJSON(b []byte) []byte {
	b = jsonw.Key(append(b, '{'), "count", true)
	b = jsonw.Int(b, int64(p.Count))
	b = jsonw.Int(jsonw.Key(b, "pages", false), int64(p.Pages))
	b = jsonw.Int(jsonw.Key(b, "currentPage", false), int64(p.CurrentPage))
	b = jsonw.Key(b, "results", false)
	if p.Results == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range p.Results {
			if i > 0 {
				b = append(b, ',')
			}
			b = p.Results[i].appendJSON(b)
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

func (v *sessionView) appendJSON(b []byte) []byte {
	str := func(b []byte, name, s string) []byte { return jsonw.String(jsonw.Key(b, name, false), s, false) }
	num := func(b []byte, name string, n int64) []byte { return jsonw.Int(jsonw.Key(b, name, false), n) }
	flag := func(b []byte, name string, f bool) []byte { return jsonw.Bool(jsonw.Key(b, name, false), f) }
	b = jsonw.String(jsonw.Key(append(b, '{'), "sessionId", true), v.SessionID, false)
	if v.SceneVersionID != nil {
		b = num(b, "sceneVersionId", *v.SceneVersionID)
	}
	if v.SceneID != nil {
		b = str(b, "sceneId", *v.SceneID)
	}
	b = num(b, "projectId", v.ProjectID)
	b = num(b, "organizationId", v.OrganizationID)
	b = optString(jsonw.Key(b, "participantId", false), v.ParticipantID)
	b = str(b, "date", v.Date)
	b = str(b, "endDate", v.EndDate)
	b = num(b, "duration", v.Duration)
	b = jsonw.Float(jsonw.Key(b, "gazeInterval", false), v.GazeInterval)
	b = optString(jsonw.Key(b, "hmd", false), v.HMD)
	b = str(b, "user", v.User)
	b = str(b, "deviceId", v.DeviceID)
	b = str(b, "userKey", v.UserKey)
	b = flag(b, "hasGaze", v.HasGaze)
	b = flag(b, "hasFixation", v.HasFixation)
	b = flag(b, "hasEvent", v.HasEvent)
	b = flag(b, "hasDynamic", v.HasDynamic)
	b = flag(b, "hasSensor", v.HasSensor)
	b = flag(b, "hasBoundary", v.HasBoundary)
	b = flag(b, "positionLimited", v.PositionLimited)
	b = flag(b, "gazeLimited", v.GazeLimited)
	b = flag(b, "fixationsLimited", v.FixationsLimited)
	b = flag(b, "eventsLimited", v.EventsLimited)
	if !v.Properties.IsZero() {
		b = v.Properties.appendJSON(jsonw.Key(b, "properties", false))
	}
	b = str(b, "sdkSessionId", v.SDKSessionID)
	b = num(b, "createdAt", v.CreatedAt)
	b = num(b, "startTime", v.StartTime)
	if v.ID != nil {
		b = num(b, "id", *v.ID)
	}
	b = jsonw.Key(b, "tags", false)
	if v.Tags == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, t := range v.Tags {
			if i > 0 {
				b = append(b, ',')
			}
			b = jsonw.String(b, t, false)
		}
		b = append(b, ']')
	}
	b = optString(jsonw.Key(b, "friendlyName", false), v.FriendlyName)
	if v.Events != nil {
		b = appendEvents(jsonw.Key(b, "events", false), *v.Events)
	}
	if v.ObjectiveResults != nil {
		b = appendObjectiveResults(jsonw.Key(b, "objectiveResults", false), *v.ObjectiveResults)
	}
	return append(b, '}')
}

func optString(b []byte, s *string) []byte {
	if s == nil {
		return append(b, "null"...)
	}
	return jsonw.String(b, *s, false)
}

func appendEvents(b []byte, evs []eventView) []byte {
	if evs == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i := range evs {
		e := &evs[i]
		if i > 0 {
			b = append(b, ',')
		}
		b = jsonw.String(jsonw.Key(append(b, '{'), "name", true), e.Name, false)
		b = jsonw.String(jsonw.Key(b, "date", false), e.Date, false)
		b = jsonw.Float(jsonw.Key(b, "x", false), e.X)
		b = jsonw.Float(jsonw.Key(b, "y", false), e.Y)
		b = jsonw.Float(jsonw.Key(b, "z", false), e.Z)
		b = optString(jsonw.Key(b, "object", false), e.Object)
		b = jsonw.Int(jsonw.Key(b, "parentSceneVersionId", false), e.ParentSceneVersionID)
		if e.EventHash != nil {
			b = jsonw.Int(jsonw.Key(b, "eventHash", false), *e.EventHash)
		}
		b = append(e.Properties.AppendJSON(jsonw.Key(b, "properties", false)), '}')
	}
	return append(b, ']')
}

// appendObjectiveResults writes the map as encoding/json does: keys in
// string order.
func appendObjectiveResults(b []byte, m map[string][]stepOutcomeView) []byte {
	if m == nil {
		return append(b, "null"...)
	}
	b = append(b, '{')
	for i, k := range slices.Sorted(maps.Keys(m)) {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(jsonw.String(b, k, false), ':')
		steps := m[k]
		if steps == nil {
			b = append(b, "null"...)
			continue
		}
		b = append(b, '[')
		for j, st := range steps {
			if j > 0 {
				b = append(b, ',')
			}
			b = jsonw.Int(jsonw.Key(append(b, '{'), "step", true), int64(st.Step))
			b = jsonw.Key(b, "timestamp", false)
			switch ts := st.Timestamp.(type) {
			case int64:
				b = jsonw.Int(b, ts)
			case string:
				b = jsonw.String(b, ts, false)
			default: // objectiveResultsView builds no other kind
				raw, _ := json.Marshal(ts)
				b = append(b, raw...)
			}
			b = jsonw.Int(jsonw.Key(b, "duration", false), st.Duration)
			b = append(jsonw.String(jsonw.Key(b, "result", false), st.Result, false), '}')
		}
		b = append(b, ']')
	}
	return append(b, '}')
}
