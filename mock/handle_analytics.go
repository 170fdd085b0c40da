package mock

import "net/http"

// The slicer family (api.md §6.7, §7). Every query body is compiled by the
// same engine (query*.go) as paginatedListQueries, so the numbers agree.

func getSlicerOptions() apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		opts, err := slicerOptions()
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, opts)
	}
}

// slicerPropertyNameQuery also serves propertyNameQuery, the Python
// client's route to the same data.
func slicerPropertyNameQuery(st *Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var q sessionQuery
		if err := decodeJSON(r, &q); err != nil {
			return err
		}
		q.EntityFilters = entityFiltersOf(targetsOf(r))
		names, err := st.PropertyNames(&q)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, names)
	}
}

func slicerFieldValuesQuery(st *Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var q fieldValuesQuery
		if err := decodeJSON(r, &q); err != nil {
			return err
		}
		q.EntityFilters = entityFiltersOf(targetsOf(r))
		vals, err := st.FieldValues(&q)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, vals)
	}
}

func slicerQuery(st *Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var q slicerRequest
		if err := decodeJSON(r, &q); err != nil {
			return err
		}
		q.EntityFilters = entityFiltersOf(targetsOf(r))
		out, err := st.Slice(&q)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, out)
	}
}

func slicerObjectMetricQuery(st *Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var q objectMetricQuery
		if err := decodeJSON(r, &q); err != nil {
			return err
		}
		q.EntityFilters = entityFiltersOf(targetsOf(r))
		out, err := st.ObjectMetrics(&q)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, out)
	}
}

func slicerSingleObjectPerSessionMetricQuery(st *Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var q singleObjectQuery
		if err := decodeJSON(r, &q); err != nil {
			return err
		}
		q.EntityFilters = entityFiltersOf(targetsOf(r))
		out, err := st.SingleObjectMetrics(&q)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, out)
	}
}
