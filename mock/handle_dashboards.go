package mock

import (
	"net/http"

	"github.com/c3dmock/c3dmock/mock/apierr"
	"github.com/c3dmock/c3dmock/mock/store"

	"github.com/c3dmock/c3dmock/fixtures"
)

// Widgets and dashboards (api.md §6.12). PUT replaces the resource.

// putWidget serves createWidget and updateWidget. A created widget belongs
// to the calling user (null for API keys) and is never a preset.
func putWidget(st *store.Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var in struct {
			Title     string         `json:"title"`
			ChartType *string        `json:"chartType"`
			Query     map[string]any `json:"query"`
		}
		if err := decodeJSON(r, &in); err != nil {
			return err
		}
		wg := fixtures.Widget{Title: in.Title, ChartType: in.ChartType, Query: in.Query}
		if p := principalFrom(r.Context()); p != nil && p.UserID != 0 {
			uid := p.UserID
			wg.UserID = &uid
		}
		id := store.ParseID(r.PathValue("widgetId"))
		wg, err := st.PutWidget(targetsOf(r).ProjectID, id, wg)
		if err != nil {
			return err
		}
		return writeJSON(w, createdOr(id), wg)
	}
}

// putDashboard serves createDashboard and updateDashboard. A widget's
// metadata type defaults to CUSTOM, its title to the widget's.
func putDashboard(st *store.Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var in struct {
			Title        string                    `json:"title"`
			IsDefault    *bool                     `json:"isDefault"`
			DateRangeKey *string                   `json:"dateRangeKey"`
			DateStart    *int64                    `json:"dateStart"`
			DateEnd      *int64                    `json:"dateEnd"`
			Widgets      []fixtures.WidgetMetadata `json:"widgetMetadataList"`
		}
		if err := decodeJSON(r, &in); err != nil {
			return err
		}
		if in.DateStart != nil && in.DateEnd != nil && *in.DateStart > *in.DateEnd {
			return &apierr.Error{Code: apierr.CodeInvalid, Message: "dateStart is after dateEnd", Field: "/dateStart", Rule: "range"}
		}
		pid := targetsOf(r).ProjectID
		d := fixtures.Dashboard{Title: in.Title, DateRangeKey: in.DateRangeKey, DateStart: in.DateStart, DateEnd: in.DateEnd, Widgets: []fixtures.WidgetMetadata{}}
		for _, m := range in.Widgets {
			if m.Type == "" {
				m.Type = "CUSTOM"
			}
			if m.Title == "" {
				if wg, err := st.Widgets().Get(pid, m.WidgetID); err == nil {
					m.Title = wg.Title
				}
			}
			d.Widgets = append(d.Widgets, m)
		}
		id := store.ParseID(r.PathValue("dashboardId"))
		d, err := st.PutDashboard(pid, id, d, in.IsDefault)
		if err != nil {
			return err
		}
		return writeJSON(w, createdOr(id), d)
	}
}
