package mock

import (
	"net/http"
)

// Session routes (api.md §6.6). The pipeline has validated each body and
// checked that its project (or organization) is in the key's scope.

func sessionPaginatedListQuery(st *Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var q sessionQuery
		if err := decodeJSON(r, &q); err != nil {
			return err
		}
		q.EntityFilters = entityFiltersOf(targetsOf(r))
		page, err := st.SessionPage(&q)
		if err != nil {
			return err
		}
		return writeSessionPage(w, &page)
	}
}

func sessionSingleQuery(st *Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		tg := targetsOf(r)
		v, err := st.SceneSession(tg.ProjectID, tg.Scene, tg.Session, tg.Version)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, v)
	}
}

func sessionSingleProjectQuery(st *Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var q struct {
			IncludeObjectiveData *bool `json:"includeObjectiveData"`
		}
		if err := decodeJSON(r, &q); err != nil {
			return err
		}
		tg := targetsOf(r) // projectId may be a string or an integer (live-verified)
		v, err := st.ProjectSession(tg.ProjectID, tg.Session, q.IncludeObjectiveData == nil || *q.IncludeObjectiveData)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, v)
	}
}

func sessionMultiQuery(st *Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		tg := targetsOf(r)
		return writeJSON(w, http.StatusOK, st.Sessions(tg.ProjectID, tg.Scene, tg.Version, tg.Sessions))
	}
}

func participantSessionsQuery(st *Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var q struct {
			ParticipantID string `json:"participantId"`
		}
		if err := decodeJSON(r, &q); err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, st.ParticipantSessions(targetsOf(r).OrganizationID, q.ParticipantID))
	}
}

func getSessionMetadata(st *Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		v, err := st.SessionMetadata(targetsOf(r).Version, targetsOf(r).Session)
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
		return writeJSON(w, http.StatusOK, st.MetadataLookup(targetsOf(r).ProjectID, q.Pairs))
	}
}
