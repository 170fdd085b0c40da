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
func slicerPropertyNameQuery(queries *Engine) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var q sessionQuery
		if err := decodeJSON(r, &q); err != nil {
			return err
		}
		q.EntityFilters = entityFiltersOf(targetsOf(r))
		names, err := queries.PropertyNames(&q)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, names)
	}
}

func slicerFieldValuesQuery(queries *Engine) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var q fieldValuesQuery
		if err := decodeJSON(r, &q); err != nil {
			return err
		}
		q.EntityFilters = entityFiltersOf(targetsOf(r))
		vals, err := queries.FieldValues(&q)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, vals)
	}
}

func slicerQuery(queries *Engine) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var q slicerRequest
		if err := decodeJSON(r, &q); err != nil {
			return err
		}
		q.EntityFilters = entityFiltersOf(targetsOf(r))
		out, err := queries.Slice(&q)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, out)
	}
}

func slicerObjectMetricQuery(queries *Engine) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var q objectMetricQuery
		if err := decodeJSON(r, &q); err != nil {
			return err
		}
		q.EntityFilters = entityFiltersOf(targetsOf(r))
		out, err := queries.ObjectMetrics(&q)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, out)
	}
}

func slicerSingleObjectPerSessionMetricQuery(queries *Engine) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var q singleObjectQuery
		if err := decodeJSON(r, &q); err != nil {
			return err
		}
		q.EntityFilters = entityFiltersOf(targetsOf(r))
		out, err := queries.SingleObjectMetrics(&q)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, out)
	}
}
