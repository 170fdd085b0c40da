package mock

import (
	"net/http"
	"strconv"

	"github.com/c3dmock/c3dmock/mock/store"
)

// defaultAuditLimit is listAuditLogs' page size when none is asked for (spec: components/parameters/limit).
const defaultAuditLimit = 50

func listAuditLogs(st *store.Store) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		q := r.URL.Query()
		page, limit := 0, defaultAuditLimit
		if v, err := strconv.Atoi(q.Get("page")); err == nil {
			page = v
		}
		if v, err := strconv.Atoi(q.Get("limit")); err == nil && v > 0 {
			limit = v
		}
		return writeJSON(w, http.StatusOK, st.AuditLog(targetsOf(r).OrganizationID, page, limit))
	}
}
