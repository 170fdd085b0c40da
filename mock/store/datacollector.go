package store

import (
	"sort"
	"strconv"

	"github.com/c3dmock/c3dmock/mock/access"
	"github.com/c3dmock/c3dmock/mock/apierr"

	"github.com/c3dmock/c3dmock/fixtures"
)

// Store methods the Data Collector needs beyond ingest and uploads: the
// project a key works in, ExitPoll hooks and answers, developer accounts.

// KeyProject is the project a Data Collector key works in: an application
// key's own project; for a developer key its project if the key names one,
// else the lowest-id project its user's grants reach (the vendor ties
// developer keys to a project, GET /v0/user; our fixtures tie them to users).
func (st *Store) KeyProject(p *access.Principal) (int64, error) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	return st.w.keyProject(p)
}

func (w *world) keyProject(p *access.Principal) (int64, error) {
	if p == nil {
		return 0, apierr.Errorf(apierr.CodeUnauthorized, "missing credential")
	}
	if k := w.keyByID(p.KeyID); k != nil && k.ProjectID != 0 {
		return k.ProjectID, nil
	}
	var best int64
	for id, pr := range w.projects {
		t := access.Target{ProjectID: id, OrganizationID: pr.OrganizationID, DomainID: w.orgs[pr.OrganizationID].DomainID}
		if p.RoleAt(t, "project") != "" && (best == 0 || id < best) {
			best = id
		}
	}
	if best == 0 {
		return 0, apierr.Errorf(apierr.CodeForbidden, "this key reaches no project")
	}
	return best, nil
}

func (w *world) keyByID(id int64) *fixtures.APIKey {
	if id == 0 {
		return nil
	}
	for _, k := range w.keys {
		if k.ID == id {
			return k
		}
	}
	return nil
}

// Hooks lists a project's ExitPoll hooks by name.
func (st *Store) Hooks(projectID int64) []fixtures.Hook {
	st.mu.RLock()
	defer st.mu.RUnlock()
	var out []fixtures.Hook
	for _, h := range st.w.hooks {
		if h.ProjectID == projectID {
			out = append(out, h)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// HookQuestionSet returns the question set a project's hook currently serves.
func (st *Store) HookQuestionSet(projectID int64, hook string) (questionSetView, error) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	for _, h := range st.w.hooks {
		if h.ProjectID == projectID && h.Name == hook {
			q, err := st.w.questionSetVersion(projectID, h.QuestionSetName, h.QuestionSetVersion)
			return st.w.questionSetView(q), err
		}
	}
	return questionSetView{}, &apierr.Error{Code: apierr.CodeNotFound, Field: "path:hookName", Rule: "exists",
		Message: "project " + strconv.FormatInt(projectID, 10) + " has no ExitPoll hook " + strconv.Quote(hook)}
}

// ExitPollInput is one answered question set as an SDK posts it.
type ExitPollInput struct {
	Hook, SessionID, SceneID string
	Name                     string
	Version                  int
	Values                   []any // per question: float64, string or nil (skipped)
	// The scene version the SDK says the answers were given in (Unity,
	// Unreal): its id, or its number within SceneID. Zero when not sent.
	SceneVersionID     int64
	SceneVersionNumber int
	LobbyID            string
}

// AddExitPollAnswers appends answers to a session of the project (creating
// the session if the app answered before sending any batch), so they count
// in the public API's ExitPoll routes and in objective results. The
// answer's time is the server clock, clamped into the session's span (an
// SDK answers while its session runs; replayed or synthetic sessions keep
// their answers inside their own times).
// Answers count against the stored-data budget with the session's batches.
func (st *Store) AddExitPollAnswers(projectID int64, in ExitPollInput, nowMs int64) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	w := st.w
	q, err := w.questionSetVersion(projectID, in.Name, in.Version)
	if err != nil {
		return err
	}
	// The answer-count rule is inferred ([I]): the SDKs always send one
	// answer per question, and no vendor source says the server refuses
	// another count.
	if len(in.Values) != len(q.Questions) {
		return &apierr.Error{Code: apierr.CodeInvalid, Field: "/answers", Rule: "length", Expected: strconv.Itoa(len(q.Questions)) + " answers",
			Message: "question set " + q.Name + ":" + strconv.Itoa(q.Version) + " has " + strconv.Itoa(len(q.Questions)) + " questions; got " + strconv.Itoa(len(in.Values)) + " answers"}
	}
	vid, err := w.sdkAnswerVersion(projectID, in)
	if err != nil {
		return err
	}
	key := sessionKey{projectID, in.SessionID}
	_, known := w.findSession(projectID, in.SessionID)
	cost := answersCost(in.Values, !known)
	if err := st.reserve(cost); err != nil {
		return err
	}
	w.ingest.cost[key] += cost
	w.charge(cost)
	s, created := w.upsertSession(projectID, in.SessionID, 0, nowMs)
	w.ingest.spanOf(key, s, created)
	sub := fixtures.ExitPollSubmission{Hook: in.Hook, QuestionSetName: q.Name, Version: q.Version, Time: min(max(nowMs, s.Start), s.End()),
		SceneID: in.SceneID, Values: in.Values, LobbyID: in.LobbyID}
	if vid != 0 {
		sub.VersionID = vid
	} else {
		sub.VersionID = w.answerVersion(s, in.SceneID)
	}
	if sub.SceneID == "" {
		sub.SceneID = w.versions[sub.VersionID].SceneID
	}
	for i := range in.Values {
		sub.Hashes = append(sub.Hashes, eventHash(s.SessionID, float64(len(s.Answers)), i, "exitpoll:"+q.Name, sub.Time))
	}
	s.Answers = append(append([]fixtures.ExitPollSubmission(nil), s.Answers...), sub)
	w.deriveSession(sessionKey{projectID, in.SessionID}, s) // answer time, objectives
	return nil
}

// sdkAnswerVersion resolves the scene version an ExitPoll body names
// (versionId, or versionNumber of sceneId): 0 when it names none, 400 naming
// the field when it names a version that is not the project's.
func (w *world) sdkAnswerVersion(projectID int64, in ExitPollInput) (int64, error) {
	if in.SceneVersionID != 0 {
		v, ok := w.versions[in.SceneVersionID]
		if !ok || w.scenes[v.SceneID].ProjectID != projectID || (in.SceneID != "" && v.SceneID != in.SceneID) {
			return 0, &apierr.Error{Code: apierr.CodeInvalid, Field: "/versionId", Rule: "exists",
				Message: "versionId " + strconv.FormatInt(in.SceneVersionID, 10) + " is not a version of the key's project" + ifScene(in.SceneID)}
		}
		return v.ID, nil
	}
	if in.SceneVersionNumber != 0 && in.SceneID != "" {
		if sc, ok := w.scenes[in.SceneID]; !ok || sc.ProjectID != projectID {
			return 0, &apierr.Error{Code: apierr.CodeInvalid, Field: "/sceneId", Rule: "exists", Message: "scene " + in.SceneID + " is not a scene of the key's project"}
		}
		v, err := w.versionByNumber(in.SceneID, in.SceneVersionNumber)
		if err != nil {
			return 0, &apierr.Error{Code: apierr.CodeInvalid, Field: "/versionNumber", Rule: "exists",
				Message: "scene " + in.SceneID + " has no version number " + strconv.Itoa(in.SceneVersionNumber)}
		}
		return v.ID, nil
	}
	return 0, nil
}

func ifScene(id string) string {
	if id == "" {
		return ""
	}
	return " (scene " + id + ")"
}

// answerVersion picks the scene version an answer belongs to: the session's
// latest visit to sceneID, else its latest visit, else sceneID's newest version.
func (w *world) answerVersion(s *fixtures.Session, sceneID string) int64 {
	for i := len(s.Visits) - 1; i >= 0; i-- {
		if sceneID == "" || s.Visits[i].SceneID == sceneID {
			return s.Visits[i].VersionID
		}
	}
	if v, err := w.sceneVersion(sceneID, 0); err == nil {
		return v.ID
	}
	return 0
}

// DeveloperAccount is what GET /v0/user and /v0/subscriptions report.
type DeveloperAccount struct {
	User         fixtures.User
	Project      fixtures.Project
	Organization fixtures.Organization
	KeyExpiresAt int64 // epoch ms; 0 never
	AppKey       string
}

// Account returns the user, project and organization behind a developer key.
func (st *Store) Account(p *access.Principal) (DeveloperAccount, error) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	w := st.w
	pid, err := w.keyProject(p)
	if err != nil {
		return DeveloperAccount{}, err
	}
	a := DeveloperAccount{User: w.users[p.UserID], Project: w.projects[pid]}
	a.Organization = w.orgs[a.Project.OrganizationID]
	if k := w.keyByID(p.KeyID); k != nil {
		a.KeyExpiresAt = k.ExpiresAt
	}
	var best *fixtures.APIKey
	for _, k := range w.keys {
		if k.Kind == fixtures.KeyData && k.ProjectID == pid && !k.Revoked && (best == nil || k.ID < best.ID) {
			best = k
		}
	}
	if best != nil {
		a.AppKey = best.Secret
	}
	return a, nil
}

// projectOrg returns the organization of a project.
func (st *Store) ProjectOrg(projectID int64) (int64, bool) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	p, ok := st.w.projects[projectID]
	return p.OrganizationID, ok
}

// ProjectTarget resolves a project up the hierarchy for an access check.
func (st *Store) ProjectTarget(projectID int64) (access.Target, error) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	return st.w.targetOfProject(projectID)
}
