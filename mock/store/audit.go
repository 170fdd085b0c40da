package store

import (
	"time"

	"github.com/c3dmock/c3dmock/mock/access"
)

// The audit log (api.md appendix §4.2): the vendor's Audit Log page "lists
// every action done on the dashboard" and is limited to domain and
// organization administrators. c3dmock records every successful write on the
// public API (status 2xx, x-c3d-access: write) whose target lies in an
// organization, whoever made it. Writes with no organization (domain settings,
// one's own profile and password) are not recorded, and neither is Data
// Collector ingest, which is not a dashboard action.

// maxAuditEntries bounds memory on long-running servers; older entries go first.
const maxAuditEntries = 10000

// AuditEntry is one successful write.
type AuditEntry struct {
	ID          int64       `json:"id"`
	Time        int64       `json:"time"` // epoch ms
	Actor       AuditActor  `json:"actor"`
	OperationID string      `json:"operationId"`
	Method      string      `json:"method"`
	Path        string      `json:"path"`
	Target      AuditTarget `json:"target"`
}

// AuditActor names who wrote: a key by id and name, or a user. Never a secret.
type AuditActor struct {
	Type string `json:"type"` // key | user
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// AuditTarget is where the write landed.
type AuditTarget struct {
	OrganizationID int64 `json:"organizationId"`
	ProjectID      int64 `json:"projectId,omitempty"`
}

// AuditPage is one page of the audit log, newest first.
type AuditPage struct {
	Count       int          `json:"count"`
	Pages       int          `json:"pages"`
	CurrentPage int          `json:"currentPage"`
	Results     []AuditEntry `json:"results"`
}

// appendAudit stamps e with an id, the time and the actor, and stores it.
func (st *Store) AppendAudit(e AuditEntry, p *access.Principal, now time.Time) {
	st.mu.Lock()
	defer st.mu.Unlock()
	w := st.w
	if p.KeyID != 0 {
		e.Actor = AuditActor{Type: "key", ID: p.KeyID, Name: w.keyName(p.KeyID)}
	} else {
		e.Actor = AuditActor{Type: "user", ID: p.UserID, Name: w.userName(p.UserID)}
	}
	w.admin.auditSeq++
	e.ID, e.Time = w.admin.auditSeq, now.UnixMilli()
	w.admin.audit = append(w.admin.audit, e)
	if n := len(w.admin.audit); n > maxAuditEntries {
		w.admin.audit = append([]AuditEntry(nil), w.admin.audit[n-maxAuditEntries:]...)
	}
}

// AuditLog returns page (0-based) of organization orgID's entries, newest first.
func (st *Store) AuditLog(orgID int64, page, limit int) AuditPage {
	st.mu.RLock()
	defer st.mu.RUnlock()
	var all []AuditEntry
	log := st.w.admin.audit
	for i := len(log) - 1; i >= 0; i-- {
		if log[i].Target.OrganizationID == orgID {
			all = append(all, log[i])
		}
	}
	out := AuditPage{Count: len(all), Pages: (len(all) + limit - 1) / limit, CurrentPage: page, Results: []AuditEntry{}}
	if start := page * limit; start < len(all) {
		out.Results = append(out.Results, all[start:min(start+limit, len(all))]...)
	}
	return out
}
