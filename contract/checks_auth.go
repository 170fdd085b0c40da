package contract

import (
	"context"
	"fmt"
	"net/http"
)

// UnknownKey is a well-formed organization key that no deployment issues.
const UnknownKey = "orgkey-c3dmock-unknown-key"

// UnknownLegacyKey is the same, in the legacy APIKEY:ORGANIZATION form.
const UnknownLegacyKey = "APIKEY:ORGANIZATION c3dmock-unknown-key"

// authChecks are the negative checks on credentials. A target that accepts
// anything fails them.
func authChecks() []Check {
	return []Check{
		refused("auth/no-credential", "", "requests without Authorization are refused with 401"),
		refused("auth/malformed-credential", "Bearer x", "an Authorization value in no documented form (Bearer) is refused with 401"),
		refused("auth/unknown-key", UnknownKey, "a well-formed but unknown orgkey- is refused with 401"),
		{
			Name: "auth/legacy-key", Ops: []string{"whoami", "getProject"},
			Description: "the legacy APIKEY:ORGANIZATION form of the key reaches the same organization as orgkey-; an unknown legacy key gets 401",
			Run: func(ctx context.Context, s *Session) error {
				if s.run.target.LegacyKey == "" {
					return Skipf("needs the legacy form of the key (--legacy-key-env)")
				}
				org, err := s.Org(ctx)
				if err != nil {
					return err
				}
				m, err := getObject(ctx, s.As(RoleLegacy), "/v0/organizations/apiKeys/whoami")
				if err != nil {
					return fmt.Errorf("legacy key: %w", err)
				}
				if got, ok := intField(m, "organizationId"); !ok || got != org {
					return fmt.Errorf("whoami: the legacy key reaches organization %v, the orgkey- key %d", m["organizationId"], org)
				}
				pid, err := s.Project(ctx)
				if err != nil {
					return err
				}
				res, err := s.As(RoleLegacy).Get(ctx, fmt.Sprintf("/v0/projects/%d", pid))
				if err := want(res, err, http.StatusOK); err != nil {
					return err
				}
				// The legacy form is checked like orgkey-: an unknown legacy key is refused.
				res, err = s.WithAuth(UnknownLegacyKey).Get(ctx, "/v0/organizations/apiKeys/whoami")
				return want(res, err, http.StatusUnauthorized)
			},
		},
		{
			Name: "auth/read-only-key-cannot-write", Ops: []string{"whoami", "updateProject"}, NeedsReadOnlyKey: true,
			Description: "a read-only key is valid for reads but a write with it is refused with 403",
			Run: func(ctx context.Context, s *Session) error {
				ro := s.As(RoleReadOnly)
				res, err := ro.Get(ctx, "/v0/organizations/apiKeys/whoami")
				if err := want(res, err, http.StatusOK); err != nil {
					return fmt.Errorf("read-only key: %w", err)
				}
				pid, err := s.Project(ctx)
				if err != nil {
					return err
				}
				// An empty update changes nothing even if a broken target accepts it.
				res, err = ro.Put(ctx, fmt.Sprintf("/v0/projects/%d", pid), map[string]any{})
				return want(res, err, http.StatusForbidden)
			},
		},
		{
			Name: "auth/foreign-project", Ops: []string{"getProject", "sessionPaginatedListQuery"},
			Description: "another organization's project is refused (403 or 404), by path and in a query body",
			Run: func(ctx context.Context, s *Session) error {
				fp := s.run.target.ForeignProjectID
				if fp == 0 {
					return Skipf("needs a project of another organization (--foreign-project)")
				}
				res, err := s.As(RoleMain).Get(ctx, fmt.Sprintf("/v0/projects/%d", fp))
				if err := want(res, err, http.StatusForbidden, http.StatusNotFound); err != nil {
					return err
				}
				res, err = s.As(RoleMain).Post(ctx, pathSessions, sessionQuery(fp, 0, 1, nil))
				return want(res, err, http.StatusForbidden, http.StatusNotFound)
			},
		},
	}
}

// refused builds a check that whoami and getProject answer 401 for auth.
func refused(name, auth, desc string) Check {
	return Check{
		Name: name, Ops: []string{"whoami", "getProject"}, Description: desc,
		Run: func(ctx context.Context, s *Session) error {
			c := s.WithAuth(auth)
			res, err := c.Get(ctx, "/v0/organizations/apiKeys/whoami")
			if err := want(res, err, http.StatusUnauthorized); err != nil {
				return err
			}
			pid, err := s.Project(ctx)
			if err != nil {
				return err
			}
			res, err = c.Get(ctx, fmt.Sprintf("/v0/projects/%d", pid))
			return want(res, err, http.StatusUnauthorized)
		},
	}
}
