package mock

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/c3dmock/c3dmock/spec"
)

// resolveTargets finds what an operation acts on, from its path parameters,
// then the projectIds/projectId query, then the body (entityFilters.projectId,
// projectId, organizationId). Operations scoped to "user" need no target, nor
// do body-less operations whose request names none (whoami).
// Unknown targets are 404; the caller then checks each target's scope.
func (s *Server) resolveTargets(op spec.Operation, r *http.Request, body []byte) ([]Target, error) {
	if op.Scope == "user" || op.Scope == "none" || op.Scope == "" {
		return nil, nil
	}
	st := s.store
	st.mu.RLock()
	defer st.mu.RUnlock()
	w := st.w
	one := func(t Target, err error) ([]Target, error) {
		if err != nil {
			return nil, err
		}
		return []Target{t}, nil
	}
	if v := r.PathValue("domainId"); v != "" {
		return one(w.targetOfDomain(parseID(v)))
	}
	if v := r.PathValue("versionId"); v != "" {
		return one(w.targetOfVersion(parseID(v)))
	}
	if v := r.PathValue("sceneId"); v != "" {
		return one(w.targetOfScene(v))
	}
	if v := r.PathValue("projectId"); v != "" {
		return one(w.targetOfProject(parseID(v)))
	}
	if v := r.PathValue("organizationId"); v != "" {
		return one(w.targetOfOrg(parseID(v)))
	}
	q := r.URL.Query()
	if v := q.Get("projectIds") + "," + q.Get("projectId"); v != "," {
		var out []Target
		for _, f := range strings.Split(v, ",") {
			if f = strings.TrimSpace(f); f == "" {
				continue
			}
			id, err := strconv.ParseInt(f, 10, 64)
			if err != nil {
				return nil, &Error{Code: CodeInvalid, Message: "projectIds must be a comma-separated list of integers", Field: "query:projectIds", Rule: "type", Expected: "integer"}
			}
			t, err := w.targetOfProject(id)
			if err != nil {
				return nil, err
			}
			out = append(out, t)
		}
		if len(out) > 0 {
			return out, nil
		}
	}
	var ref struct {
		EntityFilters struct {
			ProjectID json.Number `json:"projectId"`
		} `json:"entityFilters"`
		ProjectID      json.RawMessage `json:"projectId"`
		OrganizationID json.RawMessage `json:"organizationId"`
	}
	if len(body) > 0 && json.Unmarshal(body, &ref) != nil {
		// Schema-valid, but its reference fields have another shape: they name no target.
		ref.EntityFilters.ProjectID, ref.ProjectID, ref.OrganizationID = "", nil, nil
	}
	switch {
	case ref.EntityFilters.ProjectID != "":
		return one(w.targetOfProject(parseID(string(ref.EntityFilters.ProjectID))))
	case len(ref.ProjectID) > 0:
		return one(w.targetOfProject(parseID(strings.Trim(string(ref.ProjectID), `"`))))
	case len(ref.OrganizationID) > 0:
		return one(w.targetOfOrg(parseID(strings.Trim(string(ref.OrganizationID), `"`))))
	}
	if op.Op.RequestBody == nil {
		// Nothing in the request names a target (whoami): the credential acts on itself.
		return nil, nil
	}
	return nil, &Error{Code: CodeInvalid, Message: op.ID + " needs a target: entityFilters.projectId, projectId or organizationId", Field: "/entityFilters/projectId", Rule: "required", Expected: "integer"}
}

// parseID parses an integer ID that the spec has already validated. A value
// that is not an integer maps to 0, which names no resource (404).
func parseID(s string) int64 {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0
	}
	return n
}
