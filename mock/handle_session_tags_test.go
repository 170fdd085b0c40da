package mock_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestSetSessionTag(t *testing.T) {
	ts := newTestServer(t)
	sid := sceneSessionID(t, ts, 7012)
	count := func(tag string, want bool) int {
		body := fmt.Sprintf(`{"page":0,"limit":100,"sessionType":"project","entityFilters":{"projectId":4460},
			"sessionFilters":[{"field":{"nestedFieldName":"booleanSessionProp","path":"c3d.session_tag.%s"},"op":"eq","value":%v},
			{"field":{"fieldName":"sessionId","fieldParent":"session"},"op":"eq","value":"%s"}]}`, tag, want, sid)
		res := do(t, ts, request{method: "POST", path: "/v0/datasets/sessions/paginatedListQueries", auth: keyReadOnly, body: body})
		if res.status != http.StatusOK {
			t.Fatalf("query: %d %s", res.status, res.body)
		}
		n, _ := res.json(t)["count"].(interface{ Int64() (int64, error) })
		c, _ := n.Int64()
		return int(c)
	}
	for _, value := range []bool{true, false} {
		res := do(t, ts, request{method: "PUT", path: "/v0/projects/4460/sessions/" + sid + "/tags/Junk", auth: keyReadWrite, body: fmt.Sprintf(`{"value":%v}`, value)})
		if res.status != http.StatusOK || res.json(t)["tagName"] != "junk" || res.json(t)["value"] != value {
			t.Fatalf("set junk=%v: %d %s", value, res.status, res.body)
		}
		if got := count("junk", value); got != 1 {
			t.Errorf("after junk=%v: %d sessions match c3d.session_tag.junk = %v, want 1", value, got, value)
		}
		single := do(t, ts, request{method: "POST", path: "/v0/datasets/sessions/singleProjectSessionQueries", auth: keyReadOnly,
			body: `{"projectId":4460,"sessionId":"` + sid + `"}`})
		if has := strings.Contains(string(single.body), `"junk"`); has != value {
			t.Errorf("junk=%v: session tags show junk = %v: %.300s", value, has, single.body)
		}
	}
	for _, bad := range []struct{ path, want string }{
		{"/v0/projects/4460/sessions/1_nope/tags/junk", "session 1_nope"},
		{"/v0/projects/4460/sessions/" + sid + "/tags/nosuchtag", "tag nosuchtag"},
	} {
		if res := do(t, ts, request{method: "PUT", path: bad.path, auth: keyReadWrite, body: `{"value":true}`}); res.status != http.StatusNotFound || !strings.Contains(string(res.body), bad.want) {
			t.Errorf("PUT %s: %d %s, want 404 naming %s", bad.path, res.status, res.body, bad.want)
		}
	}
}
