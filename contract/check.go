package contract

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Check is one contract check: data describing it plus the function that runs it.
type Check struct {
	Name        string   // group/name, e.g. "auth/no-credential"
	Description string   // one sentence: what the vendor is expected to do
	Ops         []string // operationIds the check exercises
	// Writes marks checks that change state; they run only with AllowWrites.
	Writes bool
	// Family is FamilyPositive or FamilyNegative (coverage counts an operation
	// by the families that ran on it); "" derives it from the name's group.
	Family string
	// NeedsReadOnlyKey marks checks that need Target.ReadOnlyKey.
	NeedsReadOnlyKey bool
	Run              func(ctx context.Context, s *Session) error
}

// Role names the credential a Client sends.
type Role int

// The roles a Session can act as.
const (
	RoleMain     Role = iota // Target.APIKey
	RoleReadOnly             // Target.ReadOnlyKey
	RoleLegacy               // Target.LegacyKey (APIKEY:ORGANIZATION form)
	RoleNone                 // no Authorization header
	RoleDomain               // Target.DomainKey (APIKEY:DOMAIN form): the administration routes
)

// ErrSkip is wrapped by errors from Skipf: the check could not run here.
var ErrSkip = errors.New("skipped")

// Skipf returns an error that marks the running check as skipped.
func Skipf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrSkip}, args...)...)
}

// Session is what a check runs with: clients per role, unique names, cleanups
// and the resources discovered on the target (shared by all checks of a run).
type Session struct {
	run      *runState
	check    string
	seq      int
	cleanups []func(context.Context) error
	failures []string // spec violations seen by the clients
	drift    []string // undocumented fields, statuses, enum values
	requests int
}

// As returns a client that authenticates as role.
func (s *Session) As(role Role) *Client {
	auth := ""
	switch role {
	case RoleMain:
		auth = s.run.target.APIKey
	case RoleReadOnly:
		auth = s.run.target.ReadOnlyKey
	case RoleLegacy:
		auth = s.run.target.LegacyKey
	case RoleDomain:
		auth = s.run.target.DomainKey
	}
	return &Client{s: s, auth: auth}
}

// WithAuth returns a client that sends the given Authorization value verbatim
// ("" sends none). Checks use it for malformed and unknown credentials.
func (s *Session) WithAuth(auth string) *Client { return &Client{s: s, auth: auth} }

// Unique returns a name no other run has used: prefix, "c3dmock-contract", a
// timestamp and a counter, so a leftover from a crashed run is recognisable.
func (s *Session) Unique(prefix string) string {
	s.seq++
	ts := s.run.now().UTC().Format("20060102T150405")
	return prefix + "-c3dmock-contract-" + ts + "-" + strconv.Itoa(s.run.nonce) + "-" + strconv.Itoa(s.seq)
}

// Cleanup registers f to run when the check ends, whatever its outcome.
// Cleanups run in reverse order of registration.
func (s *Session) Cleanup(f func(ctx context.Context) error) {
	s.cleanups = append(s.cleanups, f)
}

// Target returns the run's target (read only).
func (s *Session) Target() Target { return *s.run.target }

func (s *Session) runCleanups(ctx context.Context) error {
	var errs []error
	for i := len(s.cleanups) - 1; i >= 0; i-- {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		cctx = context.WithValue(cctx, cleanupKey{}, true)
		if err := s.cleanups[i](cctx); err != nil {
			errs = append(errs, fmt.Errorf("cleanup: %w", err))
		}
		cancel()
	}
	s.cleanups = nil
	return errors.Join(errs...)
}

// cleanupKey marks contexts of cleanups, whose requests may exceed the budget.
type cleanupKey struct{}

func (s *Session) fail(format string, args ...any) {
	s.failures = append(s.failures, fmt.Sprintf(format, args...))
}

func (s *Session) noteDrift(format string, args ...any) {
	d := fmt.Sprintf(format, args...)
	for _, have := range s.drift {
		if have == d {
			return
		}
	}
	s.drift = append(s.drift, d)
}

// opsList joins operationIds for the table.
func opsList(ops []string) string {
	if len(ops) == 0 {
		return "-"
	}
	return strings.Join(ops, ",")
}
