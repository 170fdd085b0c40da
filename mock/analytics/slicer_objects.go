package analytics

import (
	"hash/fnv"
	"sort"
	"strconv"

	"github.com/c3dmock/c3dmock/mock/store"

	"github.com/c3dmock/c3dmock/fixtures"
)

// Gaze metrics per dynamic object (api.md AN5, AN6). The world stores no
// gaze streams, so a session's gaze on an object is derived from it
// deterministically: sessions with gaze (or fixation) data look at the
// objects their events touched, plus a hashed few more times. Both routes
// use the same derivation, so their numbers agree.

type ObjectMetricQuery struct {
	EntityFilters  entityFilters    `json:"entityFilters"`
	GazeType       string           `json:"gazeType"`
	ObjectIDs      []string         `json:"objectIds"`
	SessionFilters []FilterSpec     `json:"sessionFilters"`
	EventFilters   []FilterSpec     `json:"eventFilters"`
	UserFilters    []userFilterSpec `json:"userFilters"`
}

type SingleObjectQuery struct {
	EntityFilters entityFilters `json:"-"` // its projectId, sceneId and versionId, from Targets
	GazeType      string        `json:"gazeType"`
	ObjectID      string        `json:"objectId"`
}

// gaze is one row's gaze on one object.
type gaze struct {
	count              int
	length, firstAfter float64
	instanceDuration   float64
	sessionDate        int64
}

func hashOf(parts ...string) uint64 {
	h := fnv.New64a()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return h.Sum64()
}

func gazeOn(r row, sdkID, gazeType string) gaze {
	g := gaze{sessionDate: r.start()}
	if (gazeType == "fixation" && !r.s.HasFixation) || (gazeType != "fixation" && !r.s.HasGaze) {
		return g
	}
	h := hashOf(r.s.SessionID, sdkID, gazeType, strconv.FormatInt(r.versionID(), 10))
	touched := 0
	r.anyEvent(func(e *fixtures.Event) bool {
		if e.Object.String() == sdkID {
			touched++
		}
		return false
	})
	g.count = touched + int(h%4)
	if g.count == 0 {
		return g
	}
	g.instanceDuration = float64(150 + (h>>8)%1850)
	if gazeType == "fixation" {
		g.instanceDuration = float64(100 + (h>>8)%600)
	}
	g.length = g.instanceDuration * float64(g.count)
	g.firstAfter = float64((h >> 20) % uint64(max(r.duration(), 1)))
	return g
}

// ObjectMetrics aggregates gaze metrics per object over the matching rows.
func (e *Engine) ObjectMetrics(q *ObjectMetricQuery) (map[string]any, error) {
	sq := &SessionQuery{SessionType: "project", EntityFilters: q.EntityFilters, SessionFilters: q.SessionFilters,
		EventFilters: q.EventFilters, UserFilters: q.UserFilters}
	if q.EntityFilters.SceneID != "" || q.EntityFilters.VersionID != nil {
		sq.SessionType = "scene"
	}
	p, err := compileQuery(sq)
	if err != nil {
		return nil, err
	}
	w := e.st.View()
	defer w.Close()
	rows, err := match(w, p)
	if err != nil {
		return nil, err
	}
	ids := q.ObjectIDs
	if len(ids) == 0 {
		ids = objectIDs(w, p)
	}
	metrics := map[string]map[string]any{}
	for _, id := range ids {
		var total, withGaze int
		var length, first float64
		for _, r := range rows {
			g := gazeOn(r, id, q.GazeType)
			if g.count == 0 {
				continue
			}
			withGaze++
			total += g.count
			length += g.length
			first += g.firstAfter
		}
		m := map[string]any{"totalGazeCount": total, "totalGazeLength": length, "totalSessionsWithAnyGaze": withGaze,
			"proportionOfSessionsWithAnyGaze": ratio(float64(withGaze), float64(len(rows))),
			"averageGazeCount":                ratio(float64(total), float64(withGaze)),
			"averageGazeLength":               ratio(length, float64(withGaze)),
			"averageGazeInstanceDuration":     ratio(length, float64(total)),
			"averageTimeToFirstGaze":          ratio(first, float64(withGaze)),
			"averageGazeSequence":             nil}
		metrics[id] = m
	}
	return map[string]any{"sessionCount": len(rows), "metrics": metrics}, nil
}

func ratio(a, b float64) any {
	if b == 0 {
		return nil
	}
	return a / b
}

// objectIDs lists the sdkIds of the objects of the plan's scene versions
// (or of the whole project), sorted.
func objectIDs(w *store.View, p *plan) []string {
	versions := map[int64]bool{}
	if p.scene {
		for _, v := range sceneVersions(w, p) {
			versions[v] = true
		}
	}
	seen := map[string]bool{}
	var out []string
	for _, o := range w.Objects {
		v, ok := w.Versions[o.VersionID]
		if !ok || w.Scenes[v.SceneID].ProjectID != p.projectID || (p.scene && !versions[o.VersionID]) || seen[o.SDKID] {
			continue
		}
		seen[o.SDKID] = true
		out = append(out, o.SDKID)
	}
	sort.Strings(out)
	return out
}

// SingleObjectMetrics returns one object's gaze metrics per session of a
// scene version (sessions that never looked at it are left out).
func (e *Engine) SingleObjectMetrics(q *SingleObjectQuery) (map[string]any, error) {
	sq := &SessionQuery{SessionType: "scene", EntityFilters: q.EntityFilters}
	p, err := compileQuery(sq)
	if err != nil {
		return nil, err
	}
	w := e.st.View()
	defer w.Close()
	rows, err := match(w, p)
	if err != nil {
		return nil, err
	}
	metrics := map[string]map[string]any{}
	for _, r := range rows {
		g := gazeOn(r, q.ObjectID, q.GazeType)
		if g.count == 0 {
			continue
		}
		metrics[r.s.SessionID] = map[string]any{"averageGazeInstanceDuration": g.instanceDuration, "totalGazeCount": g.count,
			"totalGazeLength": g.length, "timeToFirstGaze": g.firstAfter, "sessionDate": g.sessionDate}
	}
	return map[string]any{"metrics": metrics}, nil
}
