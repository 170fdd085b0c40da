package mock

import (
	"encoding/json"
	"net/http"
	"strings"
)

// Session routes (api.md §6.6). The pipeline has validated each body and
// checked that its project (or organization) is in the key's scope.

func sessionPaginatedListQuery(st *Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var q sessionQuery
		if err := decodeJSON(r, &q); err != nil {
			return err
		}
		page, err := st.SessionPage(&q)
		if err != nil {
			return err
		}
		return writeSessionPage(w, &page)
	}
}

func sessionSingleQuery(st *Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var q struct {
			ProjectID int64  `json:"projectId"`
			SceneID   string `json:"sceneId"`
			SessionID string `json:"sessionId"`
			VersionID int64  `json:"versionId"`
		}
		if err := decodeJSON(r, &q); err != nil {
			return err
		}
		v, err := st.SceneSession(q.ProjectID, q.SceneID, q.SessionID, q.VersionID)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, v)
	}
}

func sessionSingleProjectQuery(st *Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var q struct {
			ProjectID            json.Number `json:"projectId"` // string or integer (live-verified)
			SessionID            string      `json:"sessionId"`
			IncludeObjectiveData *bool       `json:"includeObjectiveData"`
		}
		if err := decodeJSON(r, &q); err != nil {
			return err
		}
		v, err := st.ProjectSession(parseID(q.ProjectID.String()), q.SessionID, q.IncludeObjectiveData == nil || *q.IncludeObjectiveData)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, v)
	}
}

func sessionMultiQuery(st *Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var q struct {
			ProjectID     int64    `json:"projectId"`
			SceneID       string   `json:"sceneId"`
			VersionID     int64    `json:"versionId"`
			SDKSessionIDs []string `json:"sdkSessionIds"`
		}
		if err := decodeJSON(r, &q); err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, st.Sessions(q.ProjectID, q.SceneID, q.VersionID, q.SDKSessionIDs))
	}
}

func participantSessionsQuery(st *Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var q struct {
			OrganizationID json.Number `json:"organizationId"`
			ParticipantID  string      `json:"participantId"`
		}
		if err := decodeJSON(r, &q); err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, st.ParticipantSessions(parseID(strings.TrimSpace(q.OrganizationID.String())), q.ParticipantID))
	}
}

func getSessionMetadata(st *Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		v, err := st.SessionMetadata(parseID(r.PathValue("versionId")), r.PathValue("sessionId"))
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, v)
	}
}

func sessionMetadataLookup(st *Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var q struct {
			Pairs []metadataPair `json:"sdkIdSceneIds"`
		}
		if err := decodeJSON(r, &q); err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, st.MetadataLookup(parseID(r.PathValue("projectId")), q.Pairs))
	}
}
