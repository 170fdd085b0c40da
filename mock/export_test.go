package mock

// SessionOf returns the first session of a project, for tests that need
// another tenant's session ID (the scope sweep); "" when it has none.
func SessionOf(s *Server, projectID int64) string {
	v := s.store.View()
	defer v.Close()
	for _, x := range v.Sessions {
		if x.ProjectID == projectID {
			return x.SessionID
		}
	}
	return ""
}
