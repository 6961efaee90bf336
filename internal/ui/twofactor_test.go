package ui_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"parc/internal/record"
	"parc/internal/storetest"
)

var (
	totpSecretRe = regexp.MustCompile(`id="totp-secret">([A-Z2-7 ]+)<`)
	recoveryRe   = regexp.MustCompile(`<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>`)
	sessionIDRe  = regexp.MustCompile(`name="session" value="([0-9a-f]+)"`)
	newSecretRe  = regexp.MustCompile(`<code class="secret">(parc_[^<]+)</code>`)
)

// clock is a settable time for the auth service: TOTP codes are computed by the
// library's own generator at chosen times.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func fixClock(e *env) *clock {
	// The start of a 30-second step, plus 5 seconds.
	t := time.Now().UTC().Truncate(30 * time.Second).Add(5 * time.Second)
	c := &clock{t: t}
	e.app.Auth.Now = c.now
	return c
}

func code(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	c, err := totp.GenerateCode(secret, at)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// enrol sets up the second factor of a signed-in browser through the account's
// two-factor page, and returns the secret and the recovery codes.
func enrol(t *testing.T, b *browser, now time.Time) (string, []string) {
	t.Helper()
	p := b.get("/account/two-factor").must(t, http.StatusOK, `src="data:image/png;base64,`)
	m := totpSecretRe.FindStringSubmatch(p.Body)
	if m == nil {
		t.Fatalf("no secret on the enrolment page:\n%s", p.Body)
	}
	secret := strings.ReplaceAll(m[1], " ", "")
	// Reloading keeps the same secret (the app was set up from the first page).
	if again := totpSecretRe.FindStringSubmatch(b.get("/account/two-factor").Body); again == nil || again[1] != m[1] {
		t.Fatal("the enrolment secret changed on reload")
	}
	csrf := csrfRe.FindStringSubmatch(p.Body)[1]
	wrong := "000000"
	if code(t, secret, now) == wrong {
		wrong = "111111"
	}
	b.post("/account/two-factor", url.Values{"_csrf": {csrf}, "code": {wrong}}).must(t, http.StatusUnauthorized, "not valid")
	p = b.post("/account/two-factor", url.Values{"_csrf": {csrf}, "code": {code(t, secret, now)}}).must(t, http.StatusOK, "Your recovery codes")
	var codes []string
	for _, m := range recoveryRe.FindAllStringSubmatch(p.Body, -1) {
		codes = append(codes, m[1])
	}
	if len(codes) != 10 {
		t.Fatalf("%d recovery codes, want 10:\n%s", len(codes), p.Body)
	}
	return secret, codes
}

// passwordStep signs in with the password and expects the code page next.
func passwordStep(t *testing.T, e *env, login, password string) *browser {
	t.Helper()
	b := e.browser("en")
	p := b.post("/login", url.Values{"login": {login}, "password": {password}})
	if p.Status != http.StatusSeeOther || p.Header.Get("Location") != "/login/code" {
		t.Fatalf("password step: %d %s", p.Status, p.Header.Get("Location"))
	}
	return b
}

func (b *browser) sendCode(t *testing.T, c string) *page {
	t.Helper()
	p := b.get("/login/code").must(t, http.StatusOK, "Sign-in code")
	return b.post("/login/code", url.Values{"_csrf": {csrfRe.FindStringSubmatch(p.Body)[1]}, "code": {c}})
}

func auditCount(t *testing.T, e *env, event string, userID int64) int {
	t.Helper()
	var n int
	if err := e.app.DB.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM audit_events WHERE event = ? AND user_id = ?", event, userID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestTwoFactorSignIn(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := newEnv(t, kind)
		clk := fixClock(e)
		uid := e.user("alice", "alice-password-1", "technician")
		b := e.browser("en")
		b.login("alice", "alice-password-1")
		b.get("/account").must(t, http.StatusOK, "Two-factor sign-in is off.", "Set up two-factor sign-in")
		secret, recovery := enrol(t, b, clk.t)
		if n := auditCount(t, e, "two_factor_enrolled", uid); n != 1 {
			t.Fatalf("%d enrolment events", n)
		}
		var sealed string
		if err := e.app.DB.QueryRowContext(context.Background(), "SELECT secret FROM user_totp WHERE user_id = ?", uid).Scan(&sealed); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(sealed, secret) || !strings.HasPrefix(sealed, "v1:") {
			t.Fatalf("the secret is not sealed at rest: %q", sealed)
		}

		// The password alone opens nothing: pages lead to the code, the API refuses.
		b2 := passwordStep(t, e, "alice", "alice-password-1")
		if p := b2.get("/tickets"); p.Status != http.StatusSeeOther || p.Header.Get("Location") != "/login/code" {
			t.Fatalf("a page before the code: %d %s", p.Status, p.Header.Get("Location"))
		}
		b2.get("/api/v1/me").must(t, http.StatusUnauthorized)

		// Three steps later: two steps back is refused, one step back accepted.
		clk.t = clk.t.Add(90 * time.Second)
		b2.sendCode(t, code(t, secret, clk.t.Add(-60*time.Second))).must(t, http.StatusUnauthorized, "not valid")
		if p := b2.sendCode(t, code(t, secret, clk.t.Add(-30*time.Second))); p.Status != http.StatusSeeOther || p.Header.Get("Location") != "/" {
			t.Fatalf("one step of skew: %d %s %s", p.Status, p.Header.Get("Location"), p.Body)
		}
		b2.get("/account").must(t, http.StatusOK, "Two-factor sign-in is on")
		b2.get("/api/v1/me").must(t, http.StatusOK)

		// The same code again is refused; two steps ahead too; one step ahead passes.
		b3 := passwordStep(t, e, "alice", "alice-password-1")
		b3.sendCode(t, code(t, secret, clk.t.Add(-30*time.Second))).must(t, http.StatusUnauthorized, "not valid")
		b3.sendCode(t, code(t, secret, clk.t.Add(60*time.Second))).must(t, http.StatusUnauthorized)
		if p := b3.sendCode(t, code(t, secret, clk.t.Add(30*time.Second))); p.Status != http.StatusSeeOther {
			t.Fatalf("one step ahead: %d %s", p.Status, p.Body)
		}

		// One code sent by two browsers at once passes once.
		clk.t = clk.t.Add(120 * time.Second)
		r1, r2 := passwordStep(t, e, "alice", "alice-password-1"), passwordStep(t, e, "alice", "alice-password-1")
		c1, c2 := csrfRe.FindStringSubmatch(r1.get("/login/code").Body)[1], csrfRe.FindStringSubmatch(r2.get("/login/code").Body)[1]
		now := code(t, secret, clk.t)
		statuses := make(chan int, 2)
		for _, r := range []struct {
			b    *browser
			csrf string
		}{{r1, c1}, {r2, c2}} {
			go func() {
				form := url.Values{"_csrf": {r.csrf}, "code": {now}}
				req, _ := http.NewRequest("POST", e.srv.URL+"/login/code", strings.NewReader(form.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				resp, err := r.b.client.Do(req)
				if err != nil {
					statuses <- 0
					return
				}
				resp.Body.Close()
				statuses <- resp.StatusCode
			}()
		}
		if a, b := <-statuses, <-statuses; a+b != http.StatusSeeOther+http.StatusUnauthorized {
			t.Fatalf("one code sent twice at once: %d and %d", a, b)
		}

		// A recovery code signs in once.
		b4 := passwordStep(t, e, "alice", "alice-password-1")
		if p := b4.sendCode(t, recovery[0]); p.Status != http.StatusSeeOther {
			t.Fatalf("recovery code: %d %s", p.Status, p.Body)
		}
		b4.get("/account").must(t, http.StatusOK, "Unused recovery codes: 9.")
		b5 := passwordStep(t, e, "alice", "alice-password-1")
		b5.sendCode(t, recovery[0]).must(t, http.StatusUnauthorized, "not valid")
		if p := b5.sendCode(t, strings.ToUpper(strings.ReplaceAll(recovery[1], "-", ""))); p.Status != http.StatusSeeOther {
			t.Fatalf("second recovery code: %d %s", p.Status, p.Body)
		}
		if n := auditCount(t, e, "two_factor_failed", uid); n < 4 {
			t.Fatalf("%d failed codes audited", n)
		}

		// Changing the password keeps a signed-in user signed in, without a new code.
		p := b5.post("/account/password", url.Values{"_csrf": {b5.csrf()}, "current": {"alice-password-1"}, "new": {"alice-password-2"}, "confirm": {"alice-password-2"}})
		if p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Header.Get("Location"), "/account?done=password") {
			t.Fatalf("password change: %d %s", p.Status, p.Header.Get("Location"))
		}
		b5.get("/account").must(t, http.StatusOK, "Two-factor sign-in is on")
		// ... and the next sign-in still asks for the code.
		passwordStep(t, e, "alice", "alice-password-2")

		// Wrong codes count against the sign-in limits like wrong passwords.
		b6 := passwordStep(t, e, "alice", "alice-password-2")
		limited := 0
		for range 8 {
			if p := b6.sendCode(t, "12345x"); p.Status == http.StatusTooManyRequests {
				limited++
			}
		}
		if limited == 0 {
			t.Fatal("wrong codes were never throttled")
		}
	})
}

func TestTwoFactorRequiredByProfile(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := newEnv(t, kind)
		clk := fixClock(e)
		ctx := context.Background()
		profiles := e.app.Reg.MustType("profiles")
		var prof int64
		if err := e.app.DB.QueryRowContext(ctx, "SELECT id FROM profiles WHERE name = 'technician'").Scan(&prof); err != nil {
			t.Fatal(err)
		}
		if _, err := e.app.Records.Update(ctx, e.sys, profiles, prof, record.Input{"two_factor_required": true}); err != nil {
			t.Fatal(err)
		}
		uid := e.user("bob", "bob-password-12", "technician")
		b := e.browser("en")
		p := b.post("/login", url.Values{"login": {"bob"}, "password": {"bob-password-12"}})
		if p.Header.Get("Location") != "/account/two-factor" {
			t.Fatalf("after the password: %d %s", p.Status, p.Header.Get("Location"))
		}
		for _, path := range []string{"/", "/tickets", "/account"} {
			if p := b.get(path); p.Status != http.StatusSeeOther || p.Header.Get("Location") != "/account/two-factor" {
				t.Fatalf("%s before enrolment: %d %s", path, p.Status, p.Header.Get("Location"))
			}
		}
		b.get("/api/v1/me").must(t, http.StatusForbidden, "requires two-factor")
		b.get("/account/two-factor").must(t, http.StatusOK, "Your profile requires two-factor sign-in")
		enrol(t, b, clk.t)
		b.get("/tickets").must(t, http.StatusOK)

		// An administrator resets it: bob enrols again at his next sign-in.
		admin := e.browser("en")
		admin.login("admin", adminPassword)
		admin.get("/users/"+record.Format(uid)).must(t, http.StatusOK, "Two-factor sign-in is on.", "/reset-two-factor", "Open sessions: 1.")
		admin.post("/users/"+record.Format(uid)+"/reset-two-factor", url.Values{"_csrf": {admin.csrf()}}).must(t, http.StatusSeeOther)
		if n := auditCount(t, e, "two_factor_reset", uid); n != 1 {
			t.Fatalf("%d reset events", n)
		}
		b2 := e.browser("en")
		if p := b2.post("/login", url.Values{"login": {"bob"}, "password": {"bob-password-12"}}); p.Header.Get("Location") != "/account/two-factor" {
			t.Fatalf("after a reset: %s", p.Header.Get("Location"))
		}
		// bob may not reset the administrator's.
		b.post("/users/1/reset-two-factor", url.Values{"_csrf": {b.csrf()}}).must(t, http.StatusForbidden)
	})
}

func TestSessionsListedAndRevoked(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := newEnv(t, kind)
		uid := e.user("carol", "carol-password-1", "technician")
		b1, b2, b3 := e.browser("en"), e.browser("en"), e.browser("en")
		for _, b := range []*browser{b1, b2, b3} {
			b.login("carol", "carol-password-1")
		}
		p := b1.get("/account").must(t, http.StatusOK, "Sessions", "This session", "127.0.0.1")
		ids := sessionIDRe.FindAllStringSubmatch(p.Body, -1)
		if len(ids) != 2 {
			t.Fatalf("%d other sessions listed, want 2", len(ids))
		}
		// Revoke b2's session: the one not listed on b2's page.
		own := sessionIDRe.FindAllStringSubmatch(b2.get("/account").Body, -1)
		target := ""
		for _, id := range ids {
			mine := false
			for _, o := range own {
				mine = mine || o[1] == id[1]
			}
			if !mine {
				target = id[1]
			}
		}
		b1.post("/account/sessions/revoke", url.Values{"_csrf": {b1.csrf()}, "session": {target}}).must(t, http.StatusSeeOther)
		if p := b2.get("/account"); p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Header.Get("Location"), "/login") {
			t.Fatalf("a revoked cookie still works: %d", p.Status)
		}
		b3.get("/account").must(t, http.StatusOK)
		b1.post("/account/sessions/revoke-others", url.Values{"_csrf": {b1.csrf()}}).must(t, http.StatusSeeOther)
		if p := b3.get("/account"); p.Status != http.StatusSeeOther {
			t.Fatalf("other sessions survive: %d", p.Status)
		}
		b1.get("/account").must(t, http.StatusOK)
		// Nobody else's session can be revoked from one's page.
		admin := e.browser("en")
		admin.login("admin", adminPassword)
		admin.post("/account/sessions/revoke", url.Values{"_csrf": {admin.csrf()}, "session": {target}}).must(t, http.StatusNotFound)
		// An administrator closes all of a user's sessions.
		admin.post("/users/"+record.Format(uid)+"/revoke-sessions", url.Values{"_csrf": {admin.csrf()}}).must(t, http.StatusSeeOther)
		if p := b1.get("/account"); p.Status != http.StatusSeeOther {
			t.Fatalf("sessions survive an administrator's revocation: %d", p.Status)
		}
		for _, ev := range []string{"session_revoked", "sessions_revoked"} {
			if auditCount(t, e, ev, uid) == 0 {
				t.Fatalf("no %s event", ev)
			}
		}
	})
}

func TestTokenExpiryAndScope(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := newEnv(t, kind)
		b := e.browser("en")
		b.login("admin", adminPassword)
		mk := func(form url.Values) string {
			t.Helper()
			form.Set("_csrf", b.csrf())
			p := b.post("/account/tokens", form).must(t, http.StatusOK)
			m := newSecretRe.FindStringSubmatch(p.Body)
			if m == nil {
				t.Fatalf("no token secret:\n%s", p.Body)
			}
			return m[1]
		}
		call := func(secret, method, path, body string) (int, string) {
			t.Helper()
			req, _ := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+secret)
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept-Language", "en")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			data, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, string(data)
		}
		read := mk(url.Values{"name": {"reader"}, "scope": {"read"}})
		if st, _ := call(read, "GET", "/api/v1/computers", ""); st != http.StatusOK {
			t.Fatalf("read-only token reading: %d", st)
		}
		if st, body := call(read, "POST", "/api/v1/computers", `{"name":"pc-1"}`); st != http.StatusForbidden || !strings.Contains(body, "read-only") {
			t.Fatalf("read-only token writing: %d %s", st, body)
		}
		typed := mk(url.Values{"name": {"computers only"}, "types": {"computers"}})
		if st, body := call(typed, "POST", "/api/v1/computers", `{"name":"pc-2"}`); st != http.StatusCreated {
			t.Fatalf("typed token in scope: %d %s", st, body)
		}
		if st, body := call(typed, "POST", "/api/v1/monitors", `{"name":"screen"}`); st != http.StatusForbidden || !strings.Contains(body, "limited to: computers") {
			t.Fatalf("typed token out of scope: %d %s", st, body)
		}
		if st, _ := call(typed, "POST", "/api/v1/tokens", `{"name":"more"}`); st != http.StatusForbidden {
			t.Fatalf("typed token making tokens: %d", st)
		}
		tomorrow := time.Now().In(time.Local).AddDate(0, 0, 1).Format("2006-01-02")
		soon := mk(url.Values{"name": {"soon"}, "expires": {tomorrow}})
		if st, _ := call(soon, "GET", "/api/v1/me", ""); st != http.StatusOK {
			t.Fatalf("token before expiry: %d", st)
		}
		// Through the API as well: a read-only token with an expiry date.
		st, body := call(soon, "POST", "/api/v1/tokens", `{"name":"api reader","scope":"read","expires_at":"`+time.Now().Add(48*time.Hour).UTC().Format(time.RFC3339)+`"}`)
		m := regexp.MustCompile(`"token":"(parc_[^"]+)"`).FindStringSubmatch(body)
		if st != http.StatusCreated || m == nil || !strings.Contains(body, `"scope":"read"`) {
			t.Fatalf("token made through the API: %d %s", st, body)
		}
		if st, _ := call(m[1], "DELETE", "/api/v1/tokens/1", ""); st != http.StatusForbidden {
			t.Fatalf("read-only API token revoking: %d", st)
		}
		// A plain date is the end of that day; what is not a date is refused.
		if st, body := call(soon, "POST", "/api/v1/tokens", `{"name":"dated","scope":"read","expires_at":"`+time.Now().UTC().AddDate(0, 0, 3).Format("2006-01-02")+`"}`); st != http.StatusCreated {
			t.Fatalf("token with an expiry date: %d %s", st, body)
		}
		if st, body := call(soon, "POST", "/api/v1/tokens", `{"name":"undated","expires_at":"next week"}`); st != http.StatusUnprocessableEntity || !strings.Contains(body, "as a date") {
			t.Fatalf("token with an unreadable expiry: %d %s", st, body)
		}
		if st, body := call(soon, "POST", "/api/v1/tokens", `{"name":"bad","scope":"types:nothing"}`); st != http.StatusUnprocessableEntity && st != http.StatusBadRequest {
			t.Fatalf("unknown scope: %d %s", st, body)
		}
		b.get("/account").must(t, http.StatusOK, "Read only", "Only: Computers", tomorrow[:4])
		// A date already past is refused.
		p := b.post("/account/tokens", url.Values{"_csrf": {b.csrf()}, "name": {"old"}, "expires": {"2001-01-01"}})
		p.must(t, http.StatusUnprocessableEntity, "already past")
		e.app.Auth.Now = func() time.Time { return time.Now().UTC().Add(72 * time.Hour) }
		if st, body := call(soon, "GET", "/api/v1/me", ""); st != http.StatusUnauthorized || !strings.Contains(body, "expired") {
			t.Fatalf("expired token: %d %s", st, body)
		}
	})
}
