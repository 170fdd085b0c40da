package analytics

import (
	"strconv"

	"github.com/c3dmock/c3dmock/fixtures/propstore"

	"github.com/c3dmock/c3dmock/mock/store"

	"github.com/c3dmock/c3dmock/fixtures"
)

// maxRowEvents is where the vendor truncates a session's events and sets
// eventsLimited (PY events.py: "had >8000 events and were truncated").
const maxRowEvents = 8000

// sessionView is a row of paginatedListQueries, in the vendor's field order
// (R list_sessions_response.json / scene_sessions_response.json).
type sessionView struct {
	SessionID        string                        `json:"sessionId"`
	SceneVersionID   *int64                        `json:"sceneVersionId,omitempty"`
	SceneID          *string                       `json:"sceneId,omitempty"`
	ProjectID        int64                         `json:"projectId"`
	OrganizationID   int64                         `json:"organizationId"`
	ParticipantID    *string                       `json:"participantId"`
	Date             string                        `json:"date"`
	EndDate          string                        `json:"endDate"`
	Duration         int64                         `json:"duration"`
	GazeInterval     float64                       `json:"gazeInterval"`
	HMD              *string                       `json:"hmd"`
	User             string                        `json:"user"`
	DeviceID         string                        `json:"deviceId"`
	UserKey          string                        `json:"userKey"`
	HasGaze          bool                          `json:"hasGaze"`
	HasFixation      bool                          `json:"hasFixation"`
	HasEvent         bool                          `json:"hasEvent"`
	HasDynamic       bool                          `json:"hasDynamic"`
	HasSensor        bool                          `json:"hasSensor"`
	HasBoundary      bool                          `json:"hasBoundary"`
	PositionLimited  bool                          `json:"positionLimited"`
	GazeLimited      bool                          `json:"gazeLimited"`
	FixationsLimited bool                          `json:"fixationsLimited"`
	EventsLimited    bool                          `json:"eventsLimited"`
	Properties       propsJSON                     `json:"properties,omitzero"`
	SDKSessionID     string                        `json:"sdkSessionId"`
	CreatedAt        int64                         `json:"createdAt"`
	StartTime        int64                         `json:"startTime"`
	ID               *int64                        `json:"id,omitempty"`
	Tags             []string                      `json:"tags"`
	FriendlyName     *string                       `json:"friendlyName"`
	Events           *[]eventView                  `json:"events,omitempty"`
	ObjectiveResults *map[string][]stepOutcomeView `json:"objectiveResults,omitempty"`
}

// eventView is an event of a session row (R events_response.json); the
// single-session routes add eventHash.
type eventView struct {
	Name                 string          `json:"name"`
	Date                 string          `json:"date"`
	X                    float64         `json:"x"`
	Y                    float64         `json:"y"`
	Z                    float64         `json:"z"`
	Object               *string         `json:"object"`
	ParentSceneVersionID int64           `json:"parentSceneVersionId"`
	EventHash            *int64          `json:"eventHash,omitempty"`
	Properties           propstore.Props `json:"properties"`
}

// stepOutcomeView is one step of objectiveResults. Timestamp is epoch ms in
// session rows (PY sessions_with_objectives.json) and ISO-8601 in
// objectiveData (MK-EP).
type stepOutcomeView struct {
	Step      int    `json:"step"`
	Timestamp any    `json:"timestamp"`
	Duration  int64  `json:"duration"`
	Result    string `json:"result"`
}

// viewOpts selects the optional parts of a row.
type viewOpts struct {
	events, objectives, eventHash, isoSteps bool
	noProperties                            bool
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// newSessionView renders a row. It copies everything it shares with the
// world, so the result may be encoded after the store lock is released.
func newSessionView(w *store.View, r row, o viewOpts) sessionView {
	s := r.s
	v := sessionView{
		SessionID: s.SessionID, ProjectID: s.ProjectID, OrganizationID: s.OrganizationID,
		ParticipantID: optional(s.ParticipantID),
		Date:          isoMillis(r.start()), EndDate: isoMillis(r.end()), Duration: r.duration(),
		GazeInterval: s.GazeInterval, HMD: optional(s.HMD.String()),
		User: s.DeviceID, DeviceID: s.DeviceID, UserKey: s.UserKey(),
		HasGaze: s.HasGaze, HasFixation: s.HasFixation, HasEvent: s.HasEvent,
		HasDynamic: s.HasDynamic, HasSensor: s.HasSensor, HasBoundary: s.HasBoundary,
		SDKSessionID: s.SessionID, CreatedAt: r.start(), StartTime: r.start(),
		Tags:         append(make([]string, 0, len(s.Tags)), s.Tags...),
		FriendlyName: optional(s.FriendlyName.String()),
	}
	if !o.noProperties {
		v.Properties = propsJSON{s.Properties} // immutable: safe to share
	}
	if r.scene() {
		vid, sid, id := r.versionID(), r.visit().SceneID, r.sqlID()
		v.SceneVersionID, v.SceneID, v.ID = &vid, &sid, &id
	}
	if o.events {
		evs := make([]eventView, 0, 8)
		for i := range s.Events {
			e := &s.Events[i]
			if !r.eventInRow(e) {
				continue
			}
			if len(evs) == maxRowEvents {
				v.EventsLimited = true
				break
			}
			evs = append(evs, newEventView(e, o.eventHash))
		}
		v.Events = &evs
	}
	if o.objectives {
		m := objectiveResultsView(r.objectiveResults(w), o.isoSteps)
		v.ObjectiveResults = &m
	}
	return v
}

func newEventView(e *fixtures.Event, withHash bool) eventView {
	ev := eventView{
		Name: e.Name.String(), Date: isoMillis(e.Time), X: e.X(), Y: e.Y(), Z: e.Z(),
		Object: optional(e.Object.String()), ParentSceneVersionID: e.VersionID,
		Properties: e.Properties,
	}
	if withHash {
		h := e.Hash
		ev.EventHash = &h
	}
	return ev
}

// objectiveResultsView keys results by objective version id. It is never
// nil, so rows asked for objective data always carry the key.
func objectiveResultsView(results []objectiveResult, iso bool) map[string][]stepOutcomeView {
	out := make(map[string][]stepOutcomeView, len(results))
	for _, o := range results {
		steps := make([]stepOutcomeView, 0, len(o.steps))
		for _, st := range o.steps {
			var ts any = st.Timestamp
			if iso {
				ts = isoMillis(st.Timestamp)
			}
			steps = append(steps, stepOutcomeView{Step: int(st.Step), Timestamp: ts, Duration: int64(st.Duration), Result: st.Result.String()})
		}
		out[strconv.FormatInt(o.versionID, 10)] = steps
	}
	return out
}
