package mock

import "errors"

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

// CrashSavesBeforeRename makes every state save stop after writing its
// temporary file, as a crash between the write and the rename would, until
// the test ends.
func CrashSavesBeforeRename(t interface{ Cleanup(func()) }) {
	old := beforeRename
	beforeRename = func(string) error { return errors.New("crash before rename (test)") }
	t.Cleanup(func() { beforeRename = old })
}
