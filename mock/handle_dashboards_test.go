package mock_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestWidgetAndDashboardCRUD(t *testing.T) {
	for _, c := range []crudCase{
		{"widget", "widgets", `{"title":"Grabs","chartType":"BAR","query":{"friendlyName":"Grabs","name":"grabs","type":"custom","aggType":"singular","sessionFilters":[]}}`,
			`{"title":"grabs"}`, `{"title":"Grabs per day","chartType":"DEFAULT"}`, `"userId":null,"title":"Grabs","isPreset":false,"chartType":"BAR"`, `"title":"Grabs per day"`},
		{"dashboard", "dashboards", `{"title":"Ops","dateRangeKey":"7D","widgetMetadataList":[{"widgetId":291}]}`, `{"title":"ops"}`,
			`{"title":"Ops 2","dateStart":1,"dateEnd":2,"widgetMetadataList":[]}`, `"widgetMetadataList":[{"widgetId":291,"title":"Sessions","type":"CUSTOM"}]`, `"title":"Ops 2","isDefault":false`},
	} {
		t.Run(c.name, func(t *testing.T) { runCRUD(t, c) })
	}
}

func TestDefaultDashboard(t *testing.T) {
	ts := newTestServer(t)
	defaults := func(project string) []string {
		var ids []string
		for _, d := range do(t, ts, request{method: "GET", path: "/v0/projects/" + project + "/dashboards", auth: keyReadWrite}).list(t) {
			if m := d.(map[string]any); m["isDefault"] == true {
				ids = append(ids, fmt.Sprint(m["id"]))
			}
		}
		return ids
	}
	if got := defaults("4460"); len(got) != 1 || got[0] != "12" {
		t.Fatalf("project 4460 defaults = %v, want [12]", got)
	}
	if res := do(t, ts, request{method: "DELETE", path: "/v0/projects/4460/dashboards/12", auth: keyReadWrite}); res.status != http.StatusConflict {
		t.Errorf("delete default: %d, want 409", res.status)
	}
	if res := do(t, ts, request{method: "PUT", path: "/v0/projects/4460/dashboards/12", auth: keyReadWrite, body: `{"title":"Overview","isDefault":false}`}); res.status != http.StatusConflict {
		t.Errorf("unset default: %d, want 409", res.status)
	}
	if res := do(t, ts, request{method: "PUT", path: "/v0/projects/4460/dashboards/13", auth: keyReadWrite, body: `{"title":"Training Insights","isDefault":true}`}); res.status != http.StatusOK {
		t.Fatalf("move default: %d %s", res.status, res.body)
	}
	if got := defaults("4460"); len(got) != 1 || got[0] != "13" {
		t.Errorf("after moving the default: %v, want [13]", got)
	}
	if res := do(t, ts, request{method: "POST", path: "/v0/projects/4460/dashboards", auth: keyReadWrite, body: `{"title":"X","widgetMetadataList":[{"widgetId":301}]}`}); res.status != http.StatusNotFound || !strings.Contains(string(res.body), "widget 301") {
		t.Errorf("widget of another project: %d %s, want 404 naming widget 301", res.status, res.body)
	}
	// Deleting a widget takes it off dashboards.
	if res := do(t, ts, request{method: "DELETE", path: "/v0/projects/4460/widgets/342", auth: keyReadWrite}); res.status != http.StatusNoContent {
		t.Fatalf("delete widget: %d", res.status)
	}
	if res := do(t, ts, request{method: "GET", path: "/v0/projects/4460/dashboards/13", auth: keyReadWrite}); strings.Contains(string(res.body), `"widgetId":342`) {
		t.Errorf("dashboard still lists the deleted widget: %s", res.body)
	}
	// A project created at run time gets its default dashboard on first use.
	p := do(t, ts, request{method: "POST", path: "/v0/projects", auth: keyReadWrite, body: `{"name":"Fresh","organizationId":12}`}).json(t)
	if got := defaults(fmt.Sprint(p["id"])); len(got) != 1 {
		t.Errorf("new project defaults = %v, want one", got)
	}
}
