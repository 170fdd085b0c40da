package analytics

import (
	"slices"
	"strconv"
	"strings"

	"github.com/c3dmock/c3dmock/mock/store"

	"github.com/c3dmock/c3dmock/fixtures"
)

// responseView is one answer to one question (api.md EP4): a submission
// yields one row per question.
type ResponseView struct {
	ID                  int64   `json:"id"`
	Type                string  `json:"type"`
	Hook                string  `json:"hook"`
	QuestionIndex       int     `json:"questionIndex"`
	Timestamp           int64   `json:"timestamp"`
	UserID              *string `json:"userId"`
	ProjectID           int64   `json:"projectId"`
	ParticipantID       *string `json:"participantId"`
	SceneID             *string `json:"sceneId"`
	SceneVersionNumber  *int    `json:"sceneVersionNumber"`
	SessionID           string  `json:"sessionId"`
	SessionFriendlyName *string `json:"sessionFriendlyName"`
	SessionSQLID        int64   `json:"sessionSqlId"`
	QuestionSetID       string  `json:"questionSetId"`
	Skipped             bool    `json:"skipped"`
	Value               *string `json:"value"`
}

// responsePage is the envelope of listQuestionSetResponses.
type ResponsePage struct {
	Count       int            `json:"count"`
	Pages       int            `json:"pages"`
	CurrentPage int            `json:"currentPage"`
	Results     []ResponseView `json:"results"`
}

// responseCount is one value's count for one question (api.md EP6).
type responseCount struct {
	Count   int     `json:"count"`
	Skipped bool    `json:"skipped"`
	Value   *string `json:"value"`
}

// submissions calls fn for each stored submission of a question-set version
// by the given rows' sessions.
func submissions(rows []row, name string, version int, fn func(s *fixtures.Session, a *fixtures.ExitPollSubmission)) {
	for _, r := range rows {
		for i := range r.s.Answers {
			if a := &r.s.Answers[i]; a.QuestionSetName == name && a.Version == version {
				fn(r.s, a)
			}
		}
	}
}

// answeringSessions resolves a question-set version and the project sessions
// that pass the filters: the two inputs of every ExitPoll answer route.
func answeringSessions(w *store.View, projectID int64, name string, version int, filters []FilterSpec) (fixtures.QuestionSet, []row, error) {
	qs, err := w.QuestionSetVersion(projectID, name, version)
	if err != nil {
		return qs, nil, err
	}
	p, err := compileQuery(&SessionQuery{SessionType: "project", EntityFilters: entityFilters{ProjectID: projectID}, SessionFilters: filters})
	if err != nil {
		return qs, nil, err
	}
	rows, err := match(w, p)
	return qs, rows, err
}

// ResponseCounts counts each question's answers by value over the sessions
// that pass the filters, one array per question in question order; most
// frequent first, the skipped count last.
func (e *Engine) ResponseCounts(projectID int64, name string, version int, filters []FilterSpec) ([][]responseCount, error) {
	w := e.st.View()
	defer w.Close()
	qs, rows, err := answeringSessions(w, projectID, name, version, filters)
	if err != nil {
		return nil, err
	}
	counts := make([]map[string]int, len(qs.Questions))
	skipped := make([]int, len(qs.Questions))
	for i := range counts {
		counts[i] = map[string]int{}
	}
	voiceAnswered := strconv.Itoa(fixtures.ExitPollVoiceAnswered)
	submissions(rows, qs.Name, qs.Version, func(_ *fixtures.Session, a *fixtures.ExitPollSubmission) {
		for qi, q := range qs.Questions {
			var v any
			if qi < len(a.Values) {
				v = a.Values[qi]
			}
			s, ok := answerValue(v)
			switch {
			case !ok:
				skipped[qi]++
			case q.Type == "VOICE": // recordings are counted, not listed (see fixtures.ExitPollVoiceAnswered)
				counts[qi][voiceAnswered]++
			default:
				counts[qi][s]++
			}
		}
	})
	out := make([][]responseCount, len(qs.Questions))
	for qi := range qs.Questions {
		list := []responseCount{}
		for v, n := range counts[qi] {
			list = append(list, responseCount{Count: n, Value: ptr(v)})
		}
		slices.SortFunc(list, func(a, b responseCount) int {
			if a.Count != b.Count {
				return b.Count - a.Count
			}
			return strings.Compare(*a.Value, *b.Value)
		})
		if skipped[qi] > 0 {
			list = append(list, responseCount{Count: skipped[qi], Skipped: true})
		}
		out[qi] = list
	}
	return out, nil
}

// Responses lists the answer rows of a question-set version, newest first
// unless asc, leaving out sessions with any of the excluded tags or that
// fail the session filters.
func (e *Engine) Responses(projectID int64, name string, version int, excludeTags []string, filters []FilterSpec, asc bool) ([]ResponseView, error) {
	w := e.st.View()
	defer w.Close()
	qs, rows, err := answeringSessions(w, projectID, name, version, filters)
	if err != nil {
		return nil, err
	}
	out := []ResponseView{}
	submissions(rows, qs.Name, qs.Version, func(s *fixtures.Session, a *fixtures.ExitPollSubmission) {
		for _, t := range excludeTags {
			if t = strings.TrimSpace(t); t != "" && store.HasTag(s, t) {
				return
			}
		}
		var vnum *int
		if v, ok := w.Versions[a.VersionID]; ok {
			vnum = ptr(v.VersionNumber)
		}
		for qi, q := range qs.Questions {
			rv := ResponseView{Type: q.Type, Hook: a.Hook, QuestionIndex: qi, Timestamp: a.Time,
				UserID: optional(s.DeviceID), ProjectID: s.ProjectID, ParticipantID: optional(s.ParticipantID),
				SceneID: optional(a.SceneID), SceneVersionNumber: vnum, SessionID: s.SessionID,
				SessionFriendlyName: optional(s.FriendlyName.String()), SessionSQLID: s.SQLID, QuestionSetID: store.QuestionSetID(qs.Name, qs.Version)}
			if qi < len(a.Hashes) {
				rv.ID = a.Hashes[qi]
			}
			var v any
			if qi < len(a.Values) {
				v = a.Values[qi]
			}
			if s, ok := answerValue(v); ok {
				rv.Value = &s
			} else {
				rv.Skipped = true
			}
			out = append(out, rv)
		}
	})
	slices.SortStableFunc(out, func(a, b ResponseView) int {
		c := cmpInt(a.Timestamp, b.Timestamp)
		if c == 0 {
			c = strings.Compare(a.SessionID, b.SessionID)
		}
		if c == 0 {
			c = a.QuestionIndex - b.QuestionIndex
		}
		if !asc {
			c = -c
		}
		return c
	})
	return out, nil
}

// answerValue renders a stored answer as the vendor's string value; skipped
// answers (nil, or the SDK's -32768 sentinel) have none.
func answerValue(v any) (string, bool) {
	switch x := v.(type) {
	case nil:
		return "", false
	case string:
		return x, true
	case bool:
		if x {
			return "1", true
		}
		return "0", true
	}
	if n, ok := numberOf(v); ok {
		if n == fixtures.ExitPollSkipped {
			return "", false
		}
		return strconv.FormatFloat(n, 'f', -1, 64), true
	}
	return "", false
}
