package ui_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"parc/internal/auth"
	"parc/internal/httpctx"
	"parc/internal/storetest"
	"parc/internal/web"
)

// signIn is one login form post from a client address (any 127.x.y.z reaches the
// test server on Linux), without a test's Fatal so that goroutines may send it.
type signIn struct {
	status     int
	retryAfter string
	location   string
	cookie     string
	body       string
	err        error
}

func (e *env) signInFrom(addr, login, password string) signIn {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(addr)}, Timeout: 10 * time.Second}
	c := &http.Client{Transport: &http.Transport{DialContext: d.DialContext, DisableKeepAlives: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	form := url.Values{"login": {login}, "password": {password}}
	req, _ := http.NewRequest("POST", e.srv.URL+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept-Language", "en")
	resp, err := c.Do(req)
	if err != nil {
		return signIn{err: err}
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return signIn{status: resp.StatusCode, retryAfter: resp.Header.Get("Retry-After"), location: resp.Header.Get("Location"),
		cookie: resp.Header.Get("Set-Cookie"), body: string(b)}
}

// burst sends n sign-ins at once and counts the answers by status.
func (e *env) burst(n int, attempt func(i int) signIn) (map[int]int, []signIn) {
	e.t.Helper()
	out := make([]signIn, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			out[i] = attempt(i)
		}()
	}
	close(start)
	wg.Wait()
	counts := map[int]int{}
	for _, r := range out {
		if r.err != nil {
			e.t.Fatal(r.err)
		}
		counts[r.status]++
	}
	return counts, out
}

// guessUntilThrottled sends guesses one at a time until the limits refuse one
// (a busy gate's refusal is waited out) and returns how many were checked in all.
func (e *env) guessUntilThrottled(checked int, guess func(i int) signIn) int {
	e.t.Helper()
	limited := e.cat.T("en", "err.login_busy")
	for i := 0; i < 100; i++ {
		r := guess(i)
		switch {
		case r.status == http.StatusUnauthorized:
			checked++
		case r.status == http.StatusTooManyRequests && strings.Contains(r.body, esc(limited)):
			time.Sleep(100 * time.Millisecond)
		case r.status == http.StatusTooManyRequests:
			return checked
		default:
			e.t.Fatalf("guess: %d", r.status)
		}
	}
	return checked
}

func (e *env) user(login, password, profile string) int64 {
	e.t.Helper()
	u, err := e.app.Auth.CreateUser(context.Background(), e.sys, login, password, profile, e.sys.Tree.Root)
	if err != nil {
		e.t.Fatal(err)
	}
	return u.ID
}

// Parallel guesses are each charged before their password is checked: they used to
// be counted only afterwards, so that all of 40 parallel guesses at one account were
// evaluated (limit 5), and 150 from one address (limit 20).
func TestParallelGuessesAreCountedBeforeTheCheck(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := newEnv(t, kind)
		e.user("eve", "correct horse battery", "technician")
		counts, answers := e.burst(20, func(int) signIn { return e.signInFrom("127.0.0.2", "eve", "guess") })
		if counts[http.StatusUnauthorized] > auth.MaxLoginFails || counts[http.StatusUnauthorized]+counts[http.StatusTooManyRequests] != 20 {
			t.Fatalf("20 parallel guesses at one account: %v, want at most %d checked", counts, auth.MaxLoginFails)
		}
		for _, a := range answers {
			if a.status == http.StatusTooManyRequests && a.retryAfter == "" {
				t.Fatal("throttled answer without Retry-After")
			}
		}
		// Guessing on (the burst may have been partly told to retry in a second)
		// reaches the limit exactly.
		if n := e.guessUntilThrottled(counts[http.StatusUnauthorized], func(int) signIn { return e.signInFrom("127.0.0.2", "eve", "guess") }); n != auth.MaxLoginFails {
			t.Fatalf("guesses checked at one account: %d, want %d", n, auth.MaxLoginFails)
		}
		spray := func(i int) signIn { return e.signInFrom("127.0.0.3", "spray"+strconv.Itoa(i), "guess") }
		counts, _ = e.burst(60, spray)
		if counts[http.StatusUnauthorized] > auth.MaxAddressFails || counts[http.StatusUnauthorized]+counts[http.StatusTooManyRequests] != 60 {
			t.Fatalf("60 parallel guesses from one address: %v, want at most %d checked", counts, auth.MaxAddressFails)
		}
		if n := e.guessUntilThrottled(counts[http.StatusUnauthorized], func(i int) signIn { return spray(100 + i) }); n != auth.MaxAddressFails {
			t.Fatalf("guesses checked from one address: %d, want %d", n, auth.MaxAddressFails)
		}
		// The owner, elsewhere, still signs in.
		if r := e.signInFrom("127.0.0.4", "eve", "correct horse battery"); r.status != http.StatusSeeOther {
			t.Fatalf("owner: %d %s", r.status, r.body)
		}
	})
}

// Five bad passwords from anywhere used to lock any account's web sign-in for 15
// minutes. The limit is now per account and address; guesses from many addresses
// meet a per-account delay that grows with the failures.
func TestGuessesDoNotLockTheOwnerOut(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := newEnv(t, kind)
		e.user("eve", "correct horse battery", "technician")
		for range auth.MaxLoginFails {
			if r := e.signInFrom("127.0.0.2", "eve", "guess"); r.status != http.StatusUnauthorized {
				t.Fatalf("guess: %d", r.status)
			}
		}
		r := e.signInFrom("127.0.0.2", "eve", "correct horse battery")
		secs, _ := strconv.Atoi(r.retryAfter)
		if r.status != http.StatusTooManyRequests || secs < int(auth.Window.Seconds())-60 || secs > int(auth.Window.Seconds()) ||
			!strings.Contains(r.body, e.cat.T("en", "err.too_many_attempts", secs)) {
			t.Fatalf("guesser's address: %d, Retry-After %q", r.status, r.retryAfter)
		}
		if r := e.signInFrom("127.0.0.3", "eve", "correct horse battery"); r.status != http.StatusSeeOther {
			t.Fatalf("the owner from another address is locked out: %d %s", r.status, r.body)
		}
		// Guesses from many addresses: free up to FreeAccountFails, then one second,
		// two, four... between attempts, whoever makes them.
		for i := auth.MaxLoginFails; i < auth.FreeAccountFails; i++ {
			if r := e.signInFrom("127.0.1."+strconv.Itoa(i), "eve", "guess"); r.status != http.StatusUnauthorized {
				t.Fatalf("guess %d: %d", i, r.status)
			}
		}
		r = e.signInFrom("127.0.1.100", "eve", "guess")
		if r.status != http.StatusTooManyRequests || r.retryAfter != "1" {
			t.Fatalf("account delay: %d, Retry-After %q", r.status, r.retryAfter)
		}
		e.app.Auth.Now = func() time.Time { return time.Now().UTC().Add(2 * time.Second) }
		if r := e.signInFrom("127.0.1.101", "eve", "guess"); r.status != http.StatusUnauthorized {
			t.Fatalf("after the delay: %d", r.status)
		}
		if r := e.signInFrom("127.0.1.102", "eve", "correct horse battery"); r.status != http.StatusTooManyRequests || r.retryAfter != "2" {
			t.Fatalf("doubled delay: %d, Retry-After %q", r.status, r.retryAfter)
		}
	})
}

// Password verifications (19 MiB each) run a bounded number at a time; attempts
// beyond the bound are told to retry at once, uncounted.
func TestPasswordVerificationsAreBounded(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := newEnv(t, kind)
		const n = 12
		for i := range n {
			e.user("user"+strconv.Itoa(i), "correct horse battery", "observer")
		}
		e.app.Auth.Gate = auth.NewGate(1, 0, 0)
		counts, answers := e.burst(n, func(i int) signIn {
			return e.signInFrom("127.0.2."+strconv.Itoa(i+1), "user"+strconv.Itoa(i), "guess")
		})
		if counts[http.StatusTooManyRequests] == 0 || counts[http.StatusTooManyRequests]+counts[http.StatusUnauthorized] != n {
			t.Fatalf("%d parallel verifications with one slot: %v", n, counts)
		}
		for _, a := range answers {
			if a.status == http.StatusTooManyRequests && (a.retryAfter != "1" || !strings.Contains(a.body, esc(e.cat.T("en", "err.login_busy")))) {
				t.Fatalf("busy answer: Retry-After %q %s", a.retryAfter, a.body)
			}
		}
		// The refused ones were not counted: no failure of theirs is kept.
		var kept int
		if err := e.app.DB.R.QueryRow("SELECT COUNT(*) FROM login_failures WHERE key LIKE 'pair:%'").Scan(&kept); err != nil || kept != counts[http.StatusUnauthorized] {
			t.Fatalf("failures kept: %d for %d checked (%v)", kept, counts[http.StatusUnauthorized], err)
		}
		e.app.Auth.Gate = auth.DefaultGate()
		if r := e.signInFrom("127.0.0.9", "admin", adminPassword); r.status != http.StatusSeeOther {
			t.Fatalf("legitimate sign-in: %d %s", r.status, r.body)
		}
	})
}

// A user with a one-time password may only choose a new one.
func TestOneTimePasswordOpensOnlyThePasswordForm(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := newEnv(t, kind)
		id := e.user("newadmin", "one-time-password", "super-admin")
		if err := e.app.Auth.RequirePasswordChange(context.Background(), id); err != nil {
			t.Fatal(err)
		}
		b := e.browser("en")
		p := b.post("/login", url.Values{"login": {"newadmin"}, "password": {"one-time-password"}, "next": {"/computers"}})
		if p.Status != http.StatusSeeOther || p.Header.Get("Location") != "/account" {
			t.Fatalf("first sign-in: %d %v", p.Status, p.Header)
		}
		if p := b.get("/computers"); p.Status != http.StatusSeeOther || p.Header.Get("Location") != "/account" {
			t.Fatalf("another page: %d %v", p.Status, p.Header)
		}
		b.get("/account").must(t, 200, esc(e.cat.T("en", "ui.account.must_change")))
		if p := b.get("/api/v1/me"); p.Status != http.StatusForbidden || !strings.Contains(p.Body, "password_change_required") && !strings.Contains(p.Body, "forbidden") {
			t.Fatalf("API with the session: %d %s", p.Status, p.Body)
		}
		tok := b.csrf()
		p = b.post("/account/password", url.Values{"_csrf": {tok}, "current": {"one-time-password"}, "new": {"my own long password"}, "confirm": {"my own long password"}})
		if p.Status != http.StatusSeeOther {
			t.Fatalf("password change: %d %s", p.Status, p.Body)
		}
		b.get("/computers").must(t, 200)
		b.get("/account").lacks(t, esc(e.cat.T("en", "ui.account.must_change")))
		b2 := e.browser("en")
		if p := b2.post("/login", url.Values{"login": {"newadmin"}, "password": {"my own long password"}}); p.Header.Get("Location") != "/" {
			t.Fatalf("later sign-in: %d %v", p.Status, p.Header)
		}
	})
}

// An audit event that cannot be written fails its action instead of vanishing.
func TestUnrecordedAuditFailsTheAction(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := newEnv(t, kind)
		ctx := context.Background()
		admin := e.signInFrom("127.0.0.2", "admin", adminPassword)
		if admin.status != http.StatusSeeOther {
			t.Fatalf("sign-in: %d", admin.status)
		}
		var uid int64
		e.app.DB.R.QueryRow("SELECT id FROM users WHERE login = 'admin'").Scan(&uid)
		secret, _, err := e.app.Auth.CreateToken(ctx, uid, "script", 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.app.DB.W.Exec("ALTER TABLE audit_events RENAME TO audit_events_away"); err != nil {
			t.Fatal(err)
		}
		if r := e.signInFrom("127.0.0.3", "admin", adminPassword); r.status != http.StatusInternalServerError || strings.Contains(r.cookie, httpctx.SessionCookie+"=") {
			t.Fatalf("sign-in without its audit event: %d, cookie %q", r.status, r.cookie)
		}
		req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/tokens", strings.NewReader(`{"name":"second"}`))
		req.Header.Set("Authorization", "Bearer "+secret)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		var tokens int
		e.app.DB.R.QueryRow("SELECT COUNT(*) FROM api_tokens").Scan(&tokens)
		if resp.StatusCode != http.StatusInternalServerError || tokens != 1 {
			t.Fatalf("token created without its audit event: %d, %d tokens", resp.StatusCode, tokens)
		}
		if _, err := e.app.DB.W.Exec("ALTER TABLE audit_events_away RENAME TO audit_events"); err != nil {
			t.Fatal(err)
		}
		if r := e.signInFrom("127.0.0.3", "admin", adminPassword); r.status != http.StatusSeeOther {
			t.Fatalf("sign-in once audit works again: %d", r.status)
		}
	})
}

// A form that cannot be read is answered as such, not taken for a missing token.
func TestUnreadableFormIsNotACSRFFailure(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := newEnv(t, kind)
		b := e.browser("en")
		b.login("admin", adminPassword)
		tok := b.csrf()
		body := "--XYZ\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n" + tok + "\r\n--XYZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\nname\nPC-1\n"
		p := b.do("POST", "/computers/import", strings.NewReader(body), "multipart/form-data; boundary=XYZ")
		p.must(t, http.StatusUnprocessableEntity, esc(e.cat.T("en", "ui.bad_form")))
		var n int
		e.app.DB.R.QueryRow("SELECT COUNT(*) FROM audit_events WHERE event = 'csrf_rejected'").Scan(&n)
		if n != 0 {
			t.Fatalf("unreadable form audited as a CSRF failure")
		}
	})
}

// Behind a proxy that ends TLS, the session cookie is still Secure.
func TestCookiesAreSecureOverHTTPS(t *testing.T) {
	e := newEnv(t, "sqlite")
	if r := e.signInFrom("127.0.0.2", "admin", adminPassword); strings.Contains(r.cookie, "Secure") {
		t.Fatalf("plain HTTP cookie marked Secure: %q", r.cookie)
	}
	e.srv.Config.Handler.(*web.Server).HTTPS = true
	if r := e.signInFrom("127.0.0.2", "admin", adminPassword); !strings.Contains(r.cookie, "; Secure") {
		t.Fatalf("cookie over HTTPS: %q", r.cookie)
	}
}
