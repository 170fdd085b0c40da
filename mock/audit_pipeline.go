package mock

import (
	"net/http"

	"github.com/c3dmock/c3dmock/mock/access"
	"github.com/c3dmock/c3dmock/mock/store"

	"github.com/c3dmock/c3dmock/spec"
)

// audit is the pipeline's hook after a handler succeeded. It records one entry
// per organization the request's targets lie in.
func (s *Server) audit(h *host, op spec.Operation, r *http.Request, p *access.Principal, targets []access.Target, status int) {
	if h != s.public || p == nil || !op.Write() || status < 200 || status > 299 {
		return
	}
	seen := map[int64]bool{}
	for _, t := range targets {
		if t.OrganizationID == 0 || seen[t.OrganizationID] {
			continue
		}
		seen[t.OrganizationID] = true
		s.store.AppendAudit(store.AuditEntry{OperationID: op.ID, Method: r.Method, Path: r.URL.Path,
			Target: store.AuditTarget{OrganizationID: t.OrganizationID, ProjectID: t.ProjectID}}, p, s.now())
	}
}
