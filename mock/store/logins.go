package store

import (
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/c3dmock/c3dmock/mock/access"
	"github.com/c3dmock/c3dmock/mock/apierr"

	"github.com/c3dmock/c3dmock/fixtures"
)

// Cookie sessions (POST /v0/sessions) and login throttling. Both run on the
// server's clock (Config.Now), so tests move time instead of sleeping.

// cookieSession is one logged-in browser. A session ends when it has been
// unused for the idle timeout, when it is older than its lifetime, when its
// user logs in too many times (the oldest ends), or on a password change.
type cookieSession struct {
	userID   int64
	csrf     string
	created  time.Time
	lastSeen atomic.Int64 // unix nanoseconds; updated under the read lock
}

// Login throttling (inferred: the vendor's limits are unknown). After
// loginMaxFailures wrong passwords for one email within loginFailureWindow,
// every login for that email, right password or not, answers 429 with
// Retry-After until loginLockout has passed since the last counted failure.
// A successful login clears the count. Emails are compared case-insensitively;
// unknown emails are throttled too, so 429 does not reveal who has an account.
const (
	loginMaxFailures   = 5
	loginFailureWindow = 15 * time.Minute
	loginLockout       = 15 * time.Minute
	maxThrottledEmails = 4096 // failure records kept; beyond it the oldest is forgotten
)

type loginFailures struct {
	count       int
	first       time.Time // first failure of the current window
	lockedUntil time.Time // zero until count reaches loginMaxFailures
}

// Login checks email and password and opens a cookie session.
func (st *Store) Login(email, password string) (cookie, csrf string, userID int64, err error) {
	now := st.clock()
	key := strings.ToLower(strings.TrimSpace(email))
	st.mu.Lock()
	defer st.mu.Unlock()
	w := st.w
	if f := w.failedLogins[key]; f != nil {
		switch {
		case now.Before(f.lockedUntil):
			wait := f.lockedUntil.Sub(now)
			return "", "", 0, &apierr.Error{Code: apierr.CodeTooManyRequests, Field: "/email", Rule: "throttle", RetryAfter: wait,
				Message: "too many failed logins for this email; try again in " + wait.Round(time.Second).String() + " (see Retry-After)"}
		case !f.lockedUntil.IsZero() || now.Sub(f.first) >= loginFailureWindow:
			delete(w.failedLogins, key) // the lockout or the window is over
		}
	}
	for _, u := range w.users {
		if u.Email == email && ConstantEqual(u.Password, password) {
			delete(w.failedLogins, key)
			cookie, csrf = w.randomToken(), w.randomToken()
			w.openCookieSession(cookie, csrf, u.ID, now, st.lim)
			return cookie, csrf, u.ID, nil
		}
	}
	w.loginFailed(key, now)
	return "", "", 0, &apierr.Error{Code: apierr.CodeUnauthorized, Message: "email or password is wrong", Field: "/password", Rule: "credentials"}
}

// loginFailed counts a failed login for an email. Callers hold mu.
func (w *world) loginFailed(key string, now time.Time) {
	f := w.failedLogins[key]
	if f == nil {
		if len(w.failedLogins) >= maxThrottledEmails {
			w.forgetOldFailures(now)
		}
		f = &loginFailures{first: now}
		w.failedLogins[key] = f
	}
	f.count++
	if f.count >= loginMaxFailures {
		f.lockedUntil = now.Add(loginLockout)
	}
}

// forgetOldFailures drops failure records whose window and lockout are over,
// and if the table is still full, the oldest record. Callers hold mu.
func (w *world) forgetOldFailures(now time.Time) {
	var oldestKey string
	var oldest time.Time
	for k, f := range w.failedLogins {
		if !now.Before(f.lockedUntil) && now.Sub(f.first) >= loginFailureWindow {
			delete(w.failedLogins, k)
			continue
		}
		if oldestKey == "" || f.first.Before(oldest) {
			oldestKey, oldest = k, f.first
		}
	}
	if len(w.failedLogins) >= maxThrottledEmails {
		delete(w.failedLogins, oldestKey)
	}
}

// openCookieSession ends the sessions that expired, ends the user's oldest
// sessions past the per-user cap, and opens a new one. Callers hold mu.
func (w *world) openCookieSession(cookie, csrf string, userID int64, now time.Time, lim storeLimits) {
	type live struct {
		cookie  string
		created time.Time
	}
	var mine []live
	for c, l := range w.logins {
		switch {
		case lim.expired(l, now) != "":
			delete(w.logins, c)
		case l.userID == userID:
			mine = append(mine, live{c, l.created})
		}
	}
	if lim.cookiesPerUser > 0 && len(mine) >= lim.cookiesPerUser {
		sort.Slice(mine, func(i, j int) bool { return mine[i].created.Before(mine[j].created) })
		for _, l := range mine[:len(mine)-lim.cookiesPerUser+1] {
			delete(w.logins, l.cookie)
		}
	}
	l := &cookieSession{userID: userID, csrf: csrf, created: now}
	l.lastSeen.Store(now.UnixNano())
	w.logins[cookie] = l
}

// expired says why a cookie session has ended, or "" while it lives.
func (lim storeLimits) expired(l *cookieSession, now time.Time) string {
	if lim.cookieLifetime > 0 && now.Sub(l.created) >= lim.cookieLifetime {
		return "it is older than its lifetime of " + lim.cookieLifetime.String() + " (--cookie-lifetime)"
	}
	if lim.cookieIdle > 0 && now.Sub(time.Unix(0, l.lastSeen.Load())) >= lim.cookieIdle {
		return "it was unused for " + lim.cookieIdle.String() + " (--cookie-idle-timeout)"
	}
	return ""
}

// principalForCookie returns the user behind a live session cookie and its
// csrf token, and marks the session used.
func (st *Store) PrincipalForCookie(value string) (*access.Principal, string, error) {
	now := st.clock()
	st.mu.RLock()
	defer st.mu.RUnlock()
	l, ok := st.w.logins[value]
	if !ok {
		return nil, "", &apierr.Error{Code: apierr.CodeUnauthorized, Message: "unknown or expired session cookie; log in with POST /v0/sessions", Field: "cookie:" + CookieName, Rule: "known"}
	}
	if why := st.lim.expired(l, now); why != "" {
		return nil, "", &apierr.Error{Code: apierr.CodeUnauthorized, Message: "session cookie expired: " + why + "; log in again with POST /v0/sessions", Field: "cookie:" + CookieName, Rule: "expiry"}
	}
	l.lastSeen.Store(now.UnixNano())
	u := st.w.users[l.userID]
	grants := append([]fixtures.Grant(nil), u.Grants...)
	return &access.Principal{UserID: u.ID, Grants: grants, Cookie: true}, l.csrf, nil
}

// CSRF returns the csrf token of a live cookie session.
func (st *Store) CSRF(cookie string) (string, int64, bool) {
	now := st.clock()
	st.mu.RLock()
	defer st.mu.RUnlock()
	l, ok := st.w.logins[cookie]
	if !ok || st.lim.expired(l, now) != "" {
		return "", 0, false
	}
	return l.csrf, l.userID, true
}

// CookieName is the dashboard's session cookie (api.md §2.3).
const CookieName = "c3d_session_v5"
