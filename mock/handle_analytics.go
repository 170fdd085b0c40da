package mock

import (
	"net/http"

	"github.com/c3dmock/c3dmock/mock/analytics"
)

// The slicer family (api.md §6.7, §7). Every query body is compiled by the
// same engine (query*.go) as paginatedListQueries, so the numbers agree.

func getSlicerOptions() apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		opts, err := analytics.SlicerOptions()
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, opts)
	}
}

// slicerPropertyNameQuery also serves propertyNameQuery, the Python
// client's route to the same data.
func slicerPropertyNameQuery(queries *analytics.Engine) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var q analytics.SessionQuery
		if err := decodeJSON(r, &q); err != nil {
			return err
		}
		q.EntityFilters = analytics.EntityFiltersOf(targetsOf(r))
		names, err := queries.PropertyNames(&q)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, names)
	}
}

func slicerFieldValuesQuery(queries *analytics.Engine) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var q analytics.FieldValuesQuery
		if err := decodeJSON(r, &q); err != nil {
			return err
		}
		q.EntityFilters = analytics.EntityFiltersOf(targetsOf(r))
		vals, err := queries.FieldValues(&q)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, vals)
	}
}

func slicerQuery(queries *analytics.Engine) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var q analytics.SlicerRequest
		if err := decodeJSON(r, &q); err != nil {
			return err
		}
		q.EntityFilters = analytics.EntityFiltersOf(targetsOf(r))
		out, err := queries.Slice(&q)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, out)
	}
}

func slicerObjectMetricQuery(queries *analytics.Engine) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var q analytics.ObjectMetricQuery
		if err := decodeJSON(r, &q); err != nil {
			return err
		}
		q.EntityFilters = analytics.EntityFiltersOf(targetsOf(r))
		out, err := queries.ObjectMetrics(&q)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, out)
	}
}

func slicerSingleObjectPerSessionMetricQuery(queries *analytics.Engine) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var q analytics.SingleObjectQuery
		if err := decodeJSON(r, &q); err != nil {
			return err
		}
		q.EntityFilters = analytics.EntityFiltersOf(targetsOf(r))
		out, err := queries.SingleObjectMetrics(&q)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, out)
	}
}
