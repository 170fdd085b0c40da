package mock

import (
	"net/http"

	"github.com/c3dmock/c3dmock/mock/analytics"
)

// Objective results (api.md §6.8 OB4, OB8, OB9), computed from the stored
// sessions' objective step results under the query's session filters.

func objectiveResultQuery(queries *analytics.Engine) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var q analytics.ObjectiveQuery
		if err := decodeJSON(r, &q); err != nil {
			return err
		}
		q.Bind(targetsOf(r))
		v, err := queries.ObjectiveResults(&q)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, v)
	}
}

func objectiveStepResultQuery(queries *analytics.Engine) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var q analytics.ObjectiveQuery
		if err := decodeJSON(r, &q); err != nil {
			return err
		}
		q.Bind(targetsOf(r))
		v, err := queries.ObjectiveStepResults(&q)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, v)
	}
}

func getSessionObjectiveData(queries *analytics.Engine) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		v, err := queries.SessionObjectiveData(targetsOf(r).Version, targetsOf(r).Session)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, v)
	}
}
