package mock

import "net/http"

// Objective results (api.md §6.8 OB4, OB8, OB9), computed from the stored
// sessions' objective step results under the query's session filters.

func objectiveResultQuery(st *Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var q objectiveQuery
		if err := decodeJSON(r, &q); err != nil {
			return err
		}
		q.bind(targetsOf(r))
		v, err := st.ObjectiveResults(&q)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, v)
	}
}

func objectiveStepResultQuery(st *Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var q objectiveQuery
		if err := decodeJSON(r, &q); err != nil {
			return err
		}
		q.bind(targetsOf(r))
		v, err := st.ObjectiveStepResults(&q)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, v)
	}
}

func getSessionObjectiveData(st *Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		v, err := st.SessionObjectiveData(targetsOf(r).Version, targetsOf(r).Session)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, v)
	}
}
