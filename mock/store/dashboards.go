package store

import (
	"maps"
	"strconv"

	"github.com/c3dmock/c3dmock/mock/apierr"

	"github.com/c3dmock/c3dmock/fixtures"
)

// Widgets and dashboards (api.md §6.12). Every project has exactly one
// default dashboard: one is made on first use for projects created at run
// time, making another dashboard the default clears the flag elsewhere, and
// the default itself cannot be deleted. Deleting a widget takes it off every
// dashboard.

func newWidgetRows(s fixtures.Seed) *rows[fixtures.Widget] {
	t := newRows("widget", "project", func(w fixtures.Widget) (int64, int64) { return w.ID, w.ProjectID },
		func(w fixtures.Widget, id, pid int64) fixtures.Widget { w.ID, w.ProjectID = id, pid; return w })
	t.clone, t.name, t.nameField = cloneWidget, func(w fixtures.Widget) string { return w.Title }, "/title"
	t.afterDelete = func(w *world, wg fixtures.Widget) {
		for did, d := range w.dashboards.m {
			if d.ProjectID == wg.ProjectID {
				d = cloneDashboard(d)
				d.Widgets = filter(d.Widgets, func(m fixtures.WidgetMetadata) bool { return m.WidgetID != wg.ID })
				w.dashboards.m[did] = d
			}
		}
	}
	for _, w := range s.Widgets {
		t.m[w.ID] = cloneWidget(w)
	}
	return t
}

func newDashboardRows(s fixtures.Seed) *rows[fixtures.Dashboard] {
	t := newRows("dashboard", "project", func(d fixtures.Dashboard) (int64, int64) { return d.ID, d.ProjectID },
		func(d fixtures.Dashboard, id, pid int64) fixtures.Dashboard { d.ID, d.ProjectID = id, pid; return d })
	t.clone, t.name, t.nameField = cloneDashboard, func(d fixtures.Dashboard) string { return d.Title }, "/title"
	t.ensure = (*world).ensureDefaultDashboard
	t.canDelete = func(_ *world, d fixtures.Dashboard) error {
		if d.IsDefault {
			return apierr.Errorf(apierr.CodeConflict, "dashboard %s is the project's default and cannot be deleted; make another dashboard the default first", d.Title)
		}
		return nil
	}
	for _, d := range s.Dashboards {
		t.m[d.ID] = cloneDashboard(d)
	}
	return t
}

func cloneWidget(w fixtures.Widget) fixtures.Widget {
	w.Query = maps.Clone(w.Query)
	if w.Query == nil {
		w.Query = map[string]any{}
	}
	return w
}

func cloneDashboard(d fixtures.Dashboard) fixtures.Dashboard {
	d.Widgets = append(make([]fixtures.WidgetMetadata, 0, len(d.Widgets)), d.Widgets...)
	return d
}

// Widgets is the project's widgets.
func (st *Store) Widgets() Table[fixtures.Widget] {
	return Table[fixtures.Widget]{st: st, rows: func(w *world) *rows[fixtures.Widget] { return w.widgets }}
}

// Dashboards is the project's dashboards; reading a project's makes its
// default dashboard if it has none yet.
func (st *Store) Dashboards() Table[fixtures.Dashboard] {
	return Table[fixtures.Dashboard]{st: st, rows: func(w *world) *rows[fixtures.Dashboard] { return w.dashboards }, lazy: true}
}

// PutWidget creates (id 0) or replaces a widget; titles are unique per
// project (409). An update keeps the widget's owner and preset flag.
func (st *Store) PutWidget(projectID, id int64, wg fixtures.Widget) (fixtures.Widget, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.w.widgets.put(st.w, projectID, id, wg, func(old, wg *fixtures.Widget) error {
		if old != nil {
			wg.UserID, wg.IsPreset = old.UserID, old.IsPreset
		}
		return nil
	})
}

func (w *world) ensureDefaultDashboard(projectID int64) {
	if _, ok := w.projects[projectID]; !ok {
		return
	}
	for _, d := range w.dashboards.m {
		if d.ProjectID == projectID && d.IsDefault {
			return
		}
	}
	key := "30D"
	id := w.newID()
	w.dashboards.m[id] = fixtures.Dashboard{ID: id, ProjectID: projectID, Title: "Overview", IsDefault: true, DateRangeKey: &key, Widgets: []fixtures.WidgetMetadata{}}
}

// PutDashboard creates (id 0) or replaces a dashboard. Titles are unique per
// project (409) and every widget it lists must be one of the project's (404).
// isDefault true moves the default here; nil keeps the dashboard's flag; the
// default cannot be unset (409).
func (st *Store) PutDashboard(projectID, id int64, d fixtures.Dashboard, isDefault *bool) (fixtures.Dashboard, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	w := st.w
	w.ensureDefaultDashboard(projectID)
	d, err := w.dashboards.put(w, projectID, id, d, func(old, d *fixtures.Dashboard) error {
		if old != nil {
			d.IsDefault = old.IsDefault
			if isDefault != nil && old.IsDefault && !*isDefault {
				return &apierr.Error{Code: apierr.CodeConflict, Message: "dashboard " + old.Title + " is the project's default; make another dashboard the default instead", Field: "/isDefault", Rule: "oneDefault"}
			}
		}
		for i, m := range d.Widgets {
			if _, err := w.widgets.get(projectID, m.WidgetID, ""); err != nil {
				return &apierr.Error{Code: apierr.CodeNotFound, Message: "widget " + strconv.FormatInt(m.WidgetID, 10) + " not found in project " + strconv.FormatInt(projectID, 10), Field: "/widgetMetadataList/" + strconv.Itoa(i) + "/widgetId", Rule: "exists"}
			}
		}
		if isDefault != nil {
			d.IsDefault = *isDefault
		}
		return nil
	})
	if err != nil || !d.IsDefault {
		return d, err
	}
	for did, x := range w.dashboards.m {
		if x.ProjectID == projectID && x.IsDefault && did != d.ID {
			x.IsDefault = false
			w.dashboards.m[did] = x
		}
	}
	return d, nil
}
