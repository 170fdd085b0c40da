package mock

// SessionOf returns the first session of a project, for tests that need
// another tenant's session ID (the scope sweep); "" when it has none.
func SessionOf(s *Server, projectID int64) string {
	s.store.mu.RLock()
	defer s.store.mu.RUnlock()
	for _, x := range s.store.w.sessions {
		if x.ProjectID == projectID {
			return x.SessionID
		}
	}
	return ""
}
