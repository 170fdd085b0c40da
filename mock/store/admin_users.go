package store

import (
	"slices"
	"strings"

	"github.com/c3dmock/c3dmock/mock/apierr"

	"github.com/c3dmock/c3dmock/fixtures"
)

// CurrentUser is a user's own profile with every role they hold.
type CurrentUser struct {
	ID         int64            `json:"id"`
	Email      string           `json:"email"`
	FirstName  string           `json:"firstName"`
	LastName   string           `json:"lastName"`
	Roles      []fixtures.Grant `json:"roles"`
	MFAEnabled bool             `json:"mfaEnabled"`
}

// NameInput holds the fields of a name change; nil means unchanged.
type NameInput struct {
	FirstName *string `json:"firstName"`
	LastName  *string `json:"lastName"`
}

func currentUser(u fixtures.User) CurrentUser {
	roles := slices.Clone(u.Grants)
	if roles == nil {
		roles = []fixtures.Grant{}
	}
	return CurrentUser{ID: u.ID, Email: u.Email, FirstName: u.FirstName, LastName: u.LastName, Roles: roles}
}

func (w *world) user(id int64) (fixtures.User, error) {
	u, ok := w.users[id]
	if !ok {
		return fixtures.User{}, apierr.Errorf(apierr.CodeNotFound, "user %d not found", id)
	}
	return u, nil
}

// User returns the profile of user id.
func (st *Store) User(id int64) (CurrentUser, error) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	u, err := st.w.user(id)
	return currentUser(u), err
}

// UpdateUserName changes the names sent.
func (st *Store) UpdateUserName(id int64, in NameInput) (CurrentUser, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	u, err := st.w.user(id)
	if err != nil {
		return CurrentUser{}, err
	}
	if in.FirstName != nil {
		u.FirstName = *in.FirstName
	}
	if in.LastName != nil {
		u.LastName = *in.LastName
	}
	st.w.users[id] = u
	return currentUser(u), nil
}

// ChangePassword sets a new password once the old one matches. Every cookie
// session of the user ends, the calling one included, so the new password is
// what the next login needs.
func (st *Store) ChangePassword(id int64, oldPassword, newPassword string) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	u, err := st.w.user(id)
	if err != nil {
		return err
	}
	if !ConstantEqual(u.Password, oldPassword) {
		return &apierr.Error{Code: apierr.CodeInvalid, Message: "oldPassword does not match the current password", Field: "/oldPassword", Rule: "match"}
	}
	u.Password = newPassword
	st.w.users[id] = u
	for cookie, l := range st.w.logins {
		if l.userID == id {
			delete(st.w.logins, cookie)
		}
	}
	return nil
}

// userName is how audit entries name a user.
func (w *world) userName(id int64) string {
	u := w.users[id]
	if name := strings.TrimSpace(u.FirstName + " " + u.LastName); name != "" {
		return name
	}
	return u.Email
}
