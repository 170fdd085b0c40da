package store

import (
	"maps"
	"strconv"
	"strings"

	"github.com/c3dmock/c3dmock/mock/apierr"

	"github.com/c3dmock/c3dmock/fixtures"
)

// boardState holds widgets and dashboards (api.md §6.12). Every project has
// exactly one default dashboard: one is made on first use for projects
// created at run time, making another dashboard the default clears the
// flag elsewhere, and the default itself cannot be deleted.
type boardState struct {
	widgets    map[int64]fixtures.Widget
	dashboards map[int64]fixtures.Dashboard
}

func newBoardState(s fixtures.Seed) boardState {
	bs := boardState{widgets: map[int64]fixtures.Widget{}, dashboards: map[int64]fixtures.Dashboard{}}
	for _, w := range s.Widgets {
		bs.widgets[w.ID] = cloneWidget(w)
	}
	for _, d := range s.Dashboards {
		bs.dashboards[d.ID] = cloneDashboard(d)
	}
	return bs
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

func widgetKey(w fixtures.Widget) (int64, int64)       { return w.ID, w.ProjectID }
func dashboardKey(d fixtures.Dashboard) (int64, int64) { return d.ID, d.ProjectID }

// Widgets lists a project's widgets by ID.
func (st *Store) Widgets(projectID int64) []fixtures.Widget {
	st.mu.RLock()
	defer st.mu.RUnlock()
	out := byProject(st.w.boards.widgets, projectID, widgetKey)
	for i := range out {
		out[i] = cloneWidget(out[i])
	}
	return out
}

// Widget returns one widget of a project.
func (st *Store) Widget(projectID, id int64) (fixtures.Widget, error) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	w, ok := st.w.boards.widgets[id]
	if !ok || w.ProjectID != projectID {
		return w, apierr.Errorf(apierr.CodeNotFound, "widget %d not found in project %d", id, projectID)
	}
	return cloneWidget(w), nil
}

// PutWidget creates (id 0) or replaces a widget; titles are unique per
// project (409). An update keeps the widget's owner and preset flag.
func (st *Store) PutWidget(projectID, id int64, wg fixtures.Widget) (fixtures.Widget, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	w := st.w
	if id != 0 {
		old, ok := w.boards.widgets[id]
		if !ok || old.ProjectID != projectID {
			return wg, apierr.Errorf(apierr.CodeNotFound, "widget %d not found in project %d", id, projectID)
		}
		wg.UserID, wg.IsPreset = old.UserID, old.IsPreset
	}
	for _, x := range w.boards.widgets {
		if x.ProjectID == projectID && x.ID != id && strings.EqualFold(x.Title, wg.Title) {
			return wg, &apierr.Error{Code: apierr.CodeConflict, Message: "widget " + x.Title + " already exists in project " + strconv.FormatInt(projectID, 10), Field: "/title", Rule: "unique"}
		}
	}
	if id == 0 {
		id = w.newID()
	}
	wg.ID, wg.ProjectID = id, projectID
	w.boards.widgets[id] = cloneWidget(wg)
	return cloneWidget(wg), nil
}

// DeleteWidget removes a widget and takes it off every dashboard.
func (st *Store) DeleteWidget(projectID, id int64) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	w := st.w
	if wg, ok := w.boards.widgets[id]; !ok || wg.ProjectID != projectID {
		return apierr.Errorf(apierr.CodeNotFound, "widget %d not found in project %d", id, projectID)
	}
	delete(w.boards.widgets, id)
	for did, d := range w.boards.dashboards {
		if d.ProjectID == projectID {
			d = cloneDashboard(d)
			d.Widgets = filter(d.Widgets, func(m fixtures.WidgetMetadata) bool { return m.WidgetID != id })
			w.boards.dashboards[did] = d
		}
	}
	return nil
}

// Dashboards lists a project's dashboards by ID, making the default
// dashboard first if the project has none yet.
func (st *Store) Dashboards(projectID int64) []fixtures.Dashboard {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.w.ensureDefaultDashboard(projectID)
	out := byProject(st.w.boards.dashboards, projectID, dashboardKey)
	for i := range out {
		out[i] = cloneDashboard(out[i])
	}
	return out
}

func (w *world) ensureDefaultDashboard(projectID int64) {
	if _, ok := w.projects[projectID]; !ok {
		return
	}
	for _, d := range w.boards.dashboards {
		if d.ProjectID == projectID && d.IsDefault {
			return
		}
	}
	key := "30D"
	id := w.newID()
	w.boards.dashboards[id] = fixtures.Dashboard{ID: id, ProjectID: projectID, Title: "Overview", IsDefault: true, DateRangeKey: &key, Widgets: []fixtures.WidgetMetadata{}}
}

// Dashboard returns one dashboard of a project.
func (st *Store) Dashboard(projectID, id int64) (fixtures.Dashboard, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.w.ensureDefaultDashboard(projectID)
	d, ok := st.w.boards.dashboards[id]
	if !ok || d.ProjectID != projectID {
		return d, apierr.Errorf(apierr.CodeNotFound, "dashboard %d not found in project %d", id, projectID)
	}
	return cloneDashboard(d), nil
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
	if id != 0 {
		old, ok := w.boards.dashboards[id]
		if !ok || old.ProjectID != projectID {
			return d, apierr.Errorf(apierr.CodeNotFound, "dashboard %d not found in project %d", id, projectID)
		}
		d.IsDefault = old.IsDefault
		if isDefault != nil && old.IsDefault && !*isDefault {
			return d, &apierr.Error{Code: apierr.CodeConflict, Message: "dashboard " + old.Title + " is the project's default; make another dashboard the default instead", Field: "/isDefault", Rule: "oneDefault"}
		}
	}
	for i, m := range d.Widgets {
		if wg, ok := w.boards.widgets[m.WidgetID]; !ok || wg.ProjectID != projectID {
			return d, &apierr.Error{Code: apierr.CodeNotFound, Message: "widget " + strconv.FormatInt(m.WidgetID, 10) + " not found in project " + strconv.FormatInt(projectID, 10), Field: "/widgetMetadataList/" + strconv.FormatInt(int64(i), 10) + "/widgetId", Rule: "exists"}
		}
	}
	for _, x := range w.boards.dashboards {
		if x.ProjectID == projectID && x.ID != id && strings.EqualFold(x.Title, d.Title) {
			return d, &apierr.Error{Code: apierr.CodeConflict, Message: "dashboard " + x.Title + " already exists in project " + strconv.FormatInt(projectID, 10), Field: "/title", Rule: "unique"}
		}
	}
	if isDefault != nil {
		d.IsDefault = *isDefault
	}
	if id == 0 {
		id = w.newID()
	}
	d.ID, d.ProjectID = id, projectID
	if d.IsDefault {
		for did, x := range w.boards.dashboards {
			if x.ProjectID == projectID && x.IsDefault && did != id {
				x.IsDefault = false
				w.boards.dashboards[did] = x
			}
		}
	}
	w.boards.dashboards[id] = cloneDashboard(d)
	return cloneDashboard(d), nil
}

// DeleteDashboard removes a dashboard other than the project's default (409).
func (st *Store) DeleteDashboard(projectID, id int64) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	d, ok := st.w.boards.dashboards[id]
	if !ok || d.ProjectID != projectID {
		return apierr.Errorf(apierr.CodeNotFound, "dashboard %d not found in project %d", id, projectID)
	}
	if d.IsDefault {
		return apierr.Errorf(apierr.CodeConflict, "dashboard %s is the project's default and cannot be deleted; make another dashboard the default first", d.Title)
	}
	delete(st.w.boards.dashboards, id)
	return nil
}
