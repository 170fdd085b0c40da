package mock

import "net/http"

// Objective results (api.md §6.8 OB4, OB8, OB9), computed from the stored
// sessions' objective step results under the query's session filters.

func objectiveResultQuery(queries *Engine) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var q objectiveQuery
		if err := decodeJSON(r, &q); err != nil {
			return err
		}
		q.bind(targetsOf(r))
		v, err := queries.ObjectiveResults(&q)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, v)
	}
}

func objectiveStepResultQuery(queries *Engine) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var q objectiveQuery
		if err := decodeJSON(r, &q); err != nil {
			return err
		}
		q.bind(targetsOf(r))
		v, err := queries.ObjectiveStepResults(&q)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, v)
	}
}

func getSessionObjectiveData(queries *Engine) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		v, err := queries.SessionObjectiveData(targetsOf(r).Version, targetsOf(r).Session)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, v)
	}
}
