package store

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	mathrand "math/rand/v2"
	"strings"
	"sync"
	"time"

	"github.com/c3dmock/c3dmock/mock/access"
	"github.com/c3dmock/c3dmock/mock/apierr"

	"github.com/c3dmock/c3dmock/fixtures"
)

// Store holds all mutable mock state behind one lock. Use NewStore; methods
// return copies (or run read-only closures under the lock), never shared maps.
type Store struct {
	mu     sync.RWMutex
	opts   fixtures.Options
	w      *world
	lim    storeLimits      // stored-data budget, cookie session limits (budget.go)
	budget *Budget          // shared by the sandboxes of a server (budget.go)
	clock  func() time.Time // the server's clock, for cookie sessions and login throttling
}

// world is the state itself. Only Store methods touch it, with mu held.
type world struct {
	domains       map[int64]fixtures.Domain
	orgs          map[int64]fixtures.Organization
	projects      map[int64]fixtures.Project
	scenes        map[string]fixtures.Scene
	versions      map[int64]fixtures.SceneVersion
	objects       map[int64]fixtures.Object
	objectives    map[int64]fixtures.Objective
	questionSets  []fixtures.QuestionSet
	hooks         []fixtures.Hook
	codes         map[string]fixtures.ParticipantCode // participant sign-in codes by code (handle_dc_identify.go)
	tags          map[int64]fixtures.Tag
	keys          map[[32]byte]*fixtures.APIKey // by keyDigest(kind, secret)
	users         map[int64]fixtures.User
	sessions      []fixtures.Session                  // sorted by Start
	ix            indexCache                          // session query index (store_sessions.go)
	logins        map[string]*cookieSession           // cookie value → session (store_logins.go)
	failedLogins  map[string]*loginFailures           // by lower-cased email (store_logins.go)
	stored        int64                               // bytes charged to the stored-data budget (store_budget.go)
	budget        *Budget                             // where stored is also counted (budget.go)
	secret        [32]byte                            // seeds rand (snapshot.go)
	rand          *mathrand.ChaCha8                   // the world's secrets: cookies, key secrets, UUIDs
	writes        []Write                             // write requests since the fork (snapshot.go)
	draws         int64                               // IDs and secrets handed out (Draws)
	nextID        int64                               // for resources created at run time
	ingest        *ingestState                        // Data Collector batches (store_ingest.go)
	uploads       *uploadState                        // Data Collector uploaded files (store_uploads.go)
	admin         adminState                          // settings, LMS configurations, audit log (store_admin.go)
	remoteVars    *rows[fixtures.RemoteVariable]      // remote.go
	remoteConfigs *rows[fixtures.RemoteConfiguration] // remote.go
	abTests       *rows[fixtures.ABTest]              // remote.go
	widgets       *rows[fixtures.Widget]              // dashboards.go
	dashboards    *rows[fixtures.Dashboard]           // dashboards.go
	media         mediaState                          // media library (store_media.go)
	reviews       []Review                            // imported app reviews (store_reviews.go)
	reportEmails  []ReportEmail                       // recorded, never sent (store_rawdata.go)
}

// NewStore builds the world for opts. opts.Now is captured, so Reset brings
// back exactly the same world. opts.Progress hears of the first build only:
// the store keeps opts without it, so resets report nothing.
func NewStore(opts fixtures.Options) (*Store, error) {
	progress := opts.Progress
	opts.Progress = nil
	st := &Store{opts: opts, lim: defaultLimits(), clock: time.Now}
	st.budget = NewBudget(st.lim.budget)
	if err := st.reset(progress); err != nil {
		return nil, err
	}
	return st, nil
}

// Reset replaces all state with a fresh fork of the seeded world (fork.go).
func (st *Store) Reset() error { return st.reset(nil) }

// reset forks the world; progress reports the build when this is the
// process's first world of these options (later ones are forks and report nothing).
func (st *Store) reset(progress func(done, total int)) error { return st.resetWith(progress, nil) }

// resetWith is reset with the new world's secrets seeded from secret (nil:
// fresh ones).
func (st *Store) resetWith(progress func(done, total int), secret *[32]byte) error {
	opts := st.opts
	opts.Progress = progress
	built, err := sharedBuild(opts)
	if err != nil {
		return err
	}
	w := forkWorld(built, st.opts.Now)
	w.budget = st.budget
	w.seedSecrets(secret)
	st.mu.Lock()
	if st.w != nil {
		st.w.charge(-st.w.stored) // the old world's data goes with it
	}
	st.w = w
	st.mu.Unlock()
	return nil
}

// developerKeyLifetime is how long a developer key lives (api.md §2.2).
const developerKeyLifetime = 90 * 24 * time.Hour

func newWorld(b fixtures.World, now time.Time) *world {
	w := &world{
		domains:       map[int64]fixtures.Domain{},
		orgs:          map[int64]fixtures.Organization{},
		projects:      map[int64]fixtures.Project{},
		scenes:        map[string]fixtures.Scene{},
		versions:      map[int64]fixtures.SceneVersion{},
		objects:       map[int64]fixtures.Object{},
		objectives:    map[int64]fixtures.Objective{},
		tags:          map[int64]fixtures.Tag{},
		keys:          map[[32]byte]*fixtures.APIKey{},
		users:         map[int64]fixtures.User{},
		logins:        map[string]*cookieSession{},
		failedLogins:  map[string]*loginFailures{},
		nextID:        max(100000, b.Seed.MaxID()),
		ingest:        newIngestState(),
		uploads:       newUploadState(),
		admin:         newAdminState(),
		remoteVars:    newVariableRows(b.Seed),
		remoteConfigs: newConfigurationRows(b.Seed),
		abTests:       newABTestRows(b.Seed),
		widgets:       newWidgetRows(b.Seed),
		dashboards:    newDashboardRows(b.Seed),
		media:         newMediaState(b.Seed),
	}
	for _, d := range b.Domains {
		w.domains[d.ID] = d
	}
	for _, o := range b.Organizations {
		w.orgs[o.ID] = o
	}
	for _, p := range b.Projects {
		w.projects[p.ID] = p
	}
	for _, s := range b.Scenes {
		w.scenes[s.ID] = s
	}
	for _, v := range b.Versions {
		w.versions[v.ID] = v
	}
	for _, o := range b.Objects {
		w.objects[o.ID] = o
	}
	for _, o := range b.Objectives {
		w.objectives[o.ID] = o
	}
	for _, t := range b.Tags {
		w.tags[t.ID] = t
	}
	for _, u := range b.Users {
		w.users[u.ID] = u
	}
	for i := range b.APIKeys {
		k := b.APIKeys[i]
		if k.Kind == fixtures.KeyDeveloper {
			switch {
			case k.ExpiresAt == 0:
				k.ExpiresAt = now.Add(developerKeyLifetime).UnixMilli()
			case k.ExpiresAt < 0:
				k.ExpiresAt = now.UnixMilli() + k.ExpiresAt
			}
		}
		w.keys[keyDigest(k.Kind, k.Secret)] = &k
	}
	w.questionSets = append(w.questionSets, b.QuestionSets...)
	w.hooks = append(w.hooks, b.Hooks...)
	w.codes = make(map[string]fixtures.ParticipantCode, len(b.ParticipantCodes))
	for _, c := range b.ParticipantCodes {
		w.codes[strings.ToUpper(c.Code)] = c
	}
	w.sessions = b.Sessions // forkWorld's copy, sorted by Start
	return w
}

// newID hands out IDs for resources created at run time. Callers hold mu.
func (w *world) newID() int64 {
	w.draws++
	w.nextID++
	return w.nextID
}

func keyDigest(kind fixtures.KeyKind, secret string) [32]byte {
	// Legacy and new-style organization keys share one namespace of secrets
	// but are looked up by their own kind, so each works only in its own form.
	return sha256.Sum256([]byte(string(kind) + "\x00" + secret))
}

// constantEqual compares secrets without leaking their length of common prefix.
func ConstantEqual(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// principalForKey looks a key up by digest, then compares the secret in
// constant time. Unknown, revoked and expired keys are 401.
func (st *Store) PrincipalForKey(kind fixtures.KeyKind, secret string, now time.Time) (*access.Principal, error) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	k, ok := st.w.keys[keyDigest(kind, secret)]
	if !ok || !ConstantEqual(k.Secret, secret) || k.Revoked {
		return nil, &apierr.Error{Code: apierr.CodeUnauthorized, Message: "unknown or revoked API key", Field: "header:Authorization", Rule: "known"}
	}
	if k.ExpiresAt > 0 && now.UnixMilli() >= k.ExpiresAt {
		return nil, &apierr.Error{Code: apierr.CodeKeyExpired, Message: "developer key expired; create a new one in the dashboard", Field: "header:Authorization", Rule: "expiry"}
	}
	p := &access.Principal{KeyID: k.ID, KeyKind: k.Kind, UserID: k.UserID, ReadOnly: k.ReadOnly}
	switch k.Kind {
	case fixtures.KeyOrg, fixtures.KeyLegacy:
		p.Grants = []fixtures.Grant{{Scope: "organization", ID: k.OrganizationID, Role: fixtures.RoleMember}}
	case fixtures.KeyDomain:
		p.Grants = []fixtures.Grant{{Scope: "domain", ID: k.DomainID, Role: fixtures.RoleAdmin}}
	case fixtures.KeyData:
		p.Grants = []fixtures.Grant{{Scope: "project", ID: k.ProjectID, Role: fixtures.RoleMember}}
	case fixtures.KeyDeveloper:
		p.Grants = append(p.Grants, st.w.users[k.UserID].Grants...)
	}
	return p, nil
}

// randomToken makes secrets: cookie and csrf values, API key secrets,
// passwords of invited users. They come from the world's own generator
// (snapshot.go), seeded from crypto/rand, not from the public fake-data seed.
// Callers hold mu for writing.
func (w *world) randomToken() string {
	w.draws++
	b := make([]byte, 24)
	w.rand.Read(b)
	return hex.EncodeToString(b)
}
