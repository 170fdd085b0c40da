package mock

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/c3dmock/c3dmock/mock/apierr"
	"github.com/c3dmock/c3dmock/mock/store"

	"github.com/c3dmock/c3dmock/fixtures"
)

// dcHook is one entry of GET /v0/hooks: the editors' shape {name,
// description, active, questionSetId} (Unity Editor/EditorCore.cs) plus
// the id, project and question set name/version c3dmock listed before.
type dcHook struct {
	ID                 string `json:"id"`
	Name               string `json:"name"`
	Description        string `json:"description"`
	Active             bool   `json:"active"`
	ProjectID          int64  `json:"projectId"`
	QuestionSetID      string `json:"questionSetId"`
	QuestionSetName    string `json:"questionSetName"`
	QuestionSetVersion int    `json:"questionSetVersion"`
}

func getHookQuestionSet(st *store.Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		pid, err := st.KeyProject(principalFrom(r.Context()))
		if err != nil {
			return err
		}
		q, err := st.HookQuestionSet(pid, r.PathValue("hookName"))
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, q)
	}
}

func listHooks(st *store.Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		pid, err := st.KeyProject(principalFrom(r.Context()))
		if err != nil {
			return err
		}
		out := []dcHook{}
		for _, h := range st.Hooks(pid) {
			qs := h.QuestionSetName + ":" + strconv.Itoa(h.QuestionSetVersion)
			out = append(out, dcHook{ID: h.Name, Name: h.Name, Description: h.Description, Active: !h.Disabled, ProjectID: h.ProjectID, QuestionSetID: qs,
				QuestionSetName: h.QuestionSetName, QuestionSetVersion: h.QuestionSetVersion})
		}
		return writeJSON(w, http.StatusOK, out)
	}
}

// exitPollBody is what the SDKs post (WX exitpoll.ts, VO ExitPollModels.swift).
type exitPollBody struct {
	Hook      string `json:"hook"`
	SessionID string `json:"sessionId"`
	SceneID   string `json:"sceneId"`
	// Unity FormatExitpoll and Unreal Network.cpp also send the scene
	// version and the multiplayer lobby (api.md third research pass §1.5).
	VersionNumber int    `json:"versionNumber"`
	VersionID     int64  `json:"versionId"`
	LobbyID       string `json:"lobbyId"`
	Answers       []struct {
		Type  string `json:"type"`
		Value any    `json:"value"`
	} `json:"answers"`
}

func postQuestionSetResponses(st *store.Store, now func() time.Time) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var b exitPollBody
		if err := decodeJSON(r, &b); err != nil {
			return err
		}
		pid, err := st.KeyProject(principalFrom(r.Context()))
		if err != nil {
			return err
		}
		version, err := strconv.Atoi(r.PathValue("questionSetVersion"))
		if err != nil {
			return &apierr.Error{Code: apierr.CodeInvalid, Message: "questionSetVersion must be an integer", Field: "path:questionSetVersion", Rule: "type", Expected: "integer"}
		}
		in := store.ExitPollInput{Hook: b.Hook, SessionID: b.SessionID, SceneID: b.SceneID, Name: r.PathValue("questionSetName"), Version: version,
			SceneVersionID: b.VersionID, SceneVersionNumber: b.VersionNumber, LobbyID: b.LobbyID}
		for i, a := range b.Answers {
			v, err := sdkAnswerValue(a.Value)
			if err != nil {
				return &apierr.Error{Code: apierr.CodeInvalid, Message: err.Error(), Field: "/answers/" + strconv.Itoa(i) + "/value", Rule: "type", Expected: "number, boolean, string or null"}
			}
			in.Values = append(in.Values, v)
		}
		if err := st.AddExitPollAnswers(pid, in, now().UnixMilli()); err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, received{Status: "ok", Received: true})
	}
}

// sdkAnswerValue maps an SDK answer to the world's form: numbers as float64
// (booleans 1/0), VOICE as its string, skipped (null or -32768) as nil.
func sdkAnswerValue(v any) (any, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case bool:
		if x {
			return 1.0, nil
		}
		return 0.0, nil
	case json.Number:
		f, err := x.Float64()
		if err != nil {
			return nil, err
		}
		if f == fixtures.ExitPollSkipped {
			return nil, nil
		}
		return f, nil
	case string:
		if f, err := strconv.ParseFloat(strings.TrimSpace(x), 64); err == nil && len(x) < 24 {
			if f == fixtures.ExitPollSkipped {
				return nil, nil
			}
			return f, nil
		}
		return x, nil
	}
	return nil, apierr.Errorf(apierr.CodeInvalid, "answer value must be a number, boolean, string or null")
}
