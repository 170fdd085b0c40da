package store

import (
	"cmp"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/c3dmock/c3dmock/fixtures"
)

// What the vendor's backend derives for a session the Data Collector
// received, recomputed from the session's batches after each one, so every
// read (project and scene rows, single and multi queries, exports,
// objective results, ExitPoll responses) sees one answer:
//
//   - start: the earliest of every batch's "timestamp" and every datum time
//     (gaze, event, sensor, dynamic, fixation, boundary); before any time
//     arrived, the epoch seconds of a "<seconds>_<device>" session id, else
//     the server clock. end: the latest datum time (at least the start);
//     duration = end − start.
//   - scene sessions (visits): one per scene version the batches named,
//     spanning that version's first to last datum, in time order; the first
//     starts at the session start and the last ends at the session end, so a
//     one-scene session's scene row has the project row's times.
//   - c3d.session_tag.test and c3d.session_tag.junk: false unless the
//     session carries that tag (true for any other tag it carries); the
//     SDK cannot set c3d.session_tag.* itself.
//   - objective results, for sessions the Data Collector created: each
//     enabled objective's active version (scene-scoped objectives only when
//     the session visited that scene), steps in sequence order from the
//     session start: an eventstep succeeds at its first matching event, an
//     exitpollstep at its first matching answer, a gazestep at the first gaze
//     sample whose "o" is one of its objects, a fixationstep at the first
//     fixation whose "objectid" is (duration conditions are not checked);
//     mediapointsteps fail; after a failed step the rest fail and run to
//     the session end.
//   - ExitPoll answer times: the server clock when the answer arrived,
//     clamped into the session's span then (and again if the span moves).

// ingestSpan is what a session's batches said about its times.
type ingestSpan struct {
	created    bool  // the Data Collector created the session
	start, end int64 // epoch ms; 0 = no time seen yet
	versions   []versionSpan
	looks      []objectLook // gaze and fixation data on dynamic objects, by time
}

// objectLook is a gaze sample or fixation on a dynamic object.
type objectLook struct {
	time     int64 // epoch ms
	object   string
	fixation bool
}

// addLooks keeps a batch's gaze samples (o) and fixations (objectid) on
// dynamic objects, for gaze and fixation objective steps.
func (sp *ingestSpan) addLooks(stream string, data []ingestDatum) {
	for _, d := range data {
		l := objectLook{time: int64(math.Round(d.Time * 1000)), object: d.O}
		if stream == StreamFixations {
			l.object, l.fixation = d.ObjectID, true
		} else if stream != StreamGaze {
			return
		}
		if l.object != "" {
			sp.looks = append(sp.looks, l)
		}
	}
	less := func(i, j int) bool { return sp.looks[i].time < sp.looks[j].time }
	if !sort.SliceIsSorted(sp.looks, less) {
		sort.SliceStable(sp.looks, less)
	}
}

// versionSpan is the first and last datum time in one scene version (0 = none).
type versionSpan struct {
	id          int64
	first, last int64
}

// spanOf returns the span of a session, starting it from what the session
// already holds (a generated session an SDK keeps writing to).
func (in *ingestState) spanOf(key sessionKey, s *fixtures.Session, created bool) *ingestSpan {
	if sp := in.spans[key]; sp != nil {
		return sp
	}
	sp := &ingestSpan{created: created}
	if !created {
		sp.start, sp.end = s.Start, s.End()
		for _, v := range s.Visits {
			sp.versions = append(sp.versions, versionSpan{v.VersionID, v.Start, v.End})
		}
	}
	in.spans[key] = sp
	return sp
}

// widen takes in a batch's timestamp and its first and last datum times.
func (sp *ingestSpan) widen(versionID, timestamp, first, last int64) {
	for _, t := range []int64{timestamp, first} {
		if t > 0 && (sp.start == 0 || t < sp.start) {
			sp.start = t
		}
	}
	sp.end = max(sp.end, last)
	for i := range sp.versions {
		if v := &sp.versions[i]; v.id == versionID {
			if first > 0 && (v.first == 0 || first < v.first) {
				v.first = first
			}
			v.last = max(v.last, last)
			return
		}
	}
	sp.versions = append(sp.versions, versionSpan{versionID, first, last})
}

// deriveSession recomputes a session's derived values from its span and
// keeps w.sessions sorted by start. s is the session of key; it returns
// the session's new address.
func (w *world) deriveSession(key sessionKey, s *fixtures.Session) *fixtures.Session {
	sp := w.ingest.spans[key]
	if sp == nil {
		return s
	}
	start := sp.start
	if start == 0 {
		start = s.Start // placeholder: session id seconds or arrival
	}
	end := max(sp.end, start)
	oldStart := s.Start
	s.Start, s.Duration = start, end-start
	s.Visits = w.deriveVisits(s, sp, start, end)
	deriveTagProps(s)
	if slices.ContainsFunc(s.Answers, func(a fixtures.ExitPollSubmission) bool { return a.Time < start || a.Time > end }) {
		answers := slices.Clone(s.Answers)
		for i := range answers {
			answers[i].Time = min(max(answers[i].Time, start), end)
		}
		s.Answers = answers
	}
	if sp.created {
		s.Objectives = w.evaluateObjectives(s, sp.looks)
	}
	if start != oldStart {
		s = w.resortSession(key, start)
	}
	w.ix.idx.Store(nil)
	return s
}

// deriveVisits lays the scene versions the batches named out in time order.
func (w *world) deriveVisits(s *fixtures.Session, sp *ingestSpan, start, end int64) []fixtures.SceneVisit {
	if len(sp.versions) == 0 {
		return s.Visits
	}
	vs := slices.Clone(sp.versions)
	sort.SliceStable(vs, func(i, j int) bool { // versions without data last, in arrival order
		a, b := vs[i].first, vs[j].first
		return a != 0 && (b == 0 || a < b)
	})
	sqlIDs := map[int64]int64{}
	for _, v := range s.Visits {
		sqlIDs[v.VersionID] = v.SQLID
	}
	out := make([]fixtures.SceneVisit, len(vs))
	prev := start
	for i, v := range vs {
		vis := fixtures.SceneVisit{SceneID: w.versions[v.id].SceneID, VersionID: v.id, SQLID: sqlIDs[v.id], Start: prev, End: prev}
		if vis.SQLID == 0 {
			vis.SQLID = w.newID()
		}
		if v.first != 0 {
			vis.Start, vis.End = v.first, max(v.first, v.last)
		}
		vis.Start, vis.End = min(max(vis.Start, start), end), min(max(vis.End, start), end)
		out[i] = vis
		prev = vis.End
	}
	out[0].Start, out[len(out)-1].End = start, end
	return out
}

// deriveTagProps sets c3d.session_tag.test and .junk from the session's tags
// (and .<tag> to true for every other tag it carries).
func deriveTagProps(s *fixtures.Session) {
	set := map[string]any{"c3d.session_tag.test": HasTag(s, "test"), "c3d.session_tag.junk": HasTag(s, "junk")}
	for _, t := range s.Tags {
		set["c3d.session_tag."+t] = true
	}
	for k, v := range set {
		if got, ok := s.Properties.Bool(k); !ok || got != v.(bool) {
			s.Properties = s.Properties.With(set)
			return
		}
	}
}

// isDerivedProperty reports whether the backend owns a session property, so
// an SDK's value for it is ignored.
func isDerivedProperty(k string) bool {
	return strings.HasPrefix(k, "c3d.session_tag.")
}

// evaluateObjectives scores the project's objectives against a session's
// events and answers (see the top of this file).
func (w *world) evaluateObjectives(s *fixtures.Session, looks []objectLook) []fixtures.ObjectiveResult {
	var out []fixtures.ObjectiveResult
	end := s.End()
	for _, o := range w.objectives {
		if o.ProjectID != s.ProjectID || !o.Enabled {
			continue
		}
		if o.SceneID != nil && !slices.ContainsFunc(s.Visits, func(v fixtures.SceneVisit) bool { return v.SceneID == *o.SceneID }) {
			continue
		}
		for _, ver := range o.Versions {
			if !ver.IsActive {
				continue
			}
			steps := slices.Clone(ver.Components)
			sort.SliceStable(steps, func(a, b int) bool { return steps[a].SequenceNumber < steps[b].SequenceNumber })
			res := make([]fixtures.StepResult, 0, len(steps))
			cursor, failed := s.Start, false
			for _, c := range steps {
				done, ok := int64(0), false
				switch {
				case failed:
				case c.Type == "eventstep":
					if ev := fixtures.MatchStepEvent(s.Events, c, cursor); ev != nil {
						done, ok = ev.Time, true
					}
				case c.Type == "gazestep" || c.Type == "fixationstep":
					for _, l := range looks {
						if l.time > cursor && l.fixation == (c.Type == "fixationstep") && slices.Contains(c.DynamicObjectIDs, l.object) {
							done, ok = l.time, true
							break
						}
					}
				case c.Type == "exitpollstep":
					for i := range s.Answers {
						if a := &s.Answers[i]; a.Time > cursor && a.QuestionSetID() == c.ExitpollQuestionSetID && fixtures.AnswerMatches(c, a) {
							done, ok = a.Time, true
							break
						}
					}
				}
				if ok {
					res = append(res, fixtures.NewStepResult(c.SequenceNumber, cursor, done-cursor, fixtures.ResultSucceeded))
					cursor = done
					continue
				}
				failed = true
				res = append(res, fixtures.NewStepResult(c.SequenceNumber, cursor, max(end-cursor, 1), fixtures.ResultFailed))
			}
			out = append(out, fixtures.ObjectiveResult{VersionID: ver.ID, Steps: res})
		}
	}
	slices.SortFunc(out, func(a, b fixtures.ObjectiveResult) int { return cmp.Compare(a.VersionID, b.VersionID) })
	return out
}

// resortSession moves a session whose start changed to its place in
// w.sessions (sorted by Start) and returns its new address.
func (w *world) resortSession(key sessionKey, start int64) *fixtures.Session {
	from := -1
	for i := range w.sessions {
		if w.sessions[i].ProjectID == key.project && w.sessions[i].SessionID == key.session {
			from = i
			break
		}
	}
	s := w.sessions[from]
	w.sessions = slices.Delete(w.sessions, from, from+1)
	to := sort.Search(len(w.sessions), func(i int) bool { return w.sessions[i].Start > start })
	w.sessions = slices.Insert(w.sessions, to, s)
	w.ix.idx.Store(nil)
	return &w.sessions[to]
}
