package api_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/go-ldap/ldap/v3"

	"parc/internal/apitest"
	"parc/internal/ldaptest"
	"parc/internal/record"
	"parc/internal/secret"
	"parc/internal/storetest"
)

// Directories in the generated permission test: a URL of the right form.
func init() {
	special["directories"] = func(g *recordGen, org int64) record.Input {
		return record.Input{"url": "ldap://127.0.0.1:389", "base_dn": "dc=example,dc=org", "enabled": false}
	}
}

// signIn posts the sign-in form; 303 is a session opened.
func signIn(t testing.TB, base, login, password string) int {
	t.Helper()
	st, _ := session(t, base, login, password)
	return st
}

// session signs in and gives the answer's status and the session cookie.
func session(t testing.TB, base, login, password string) (int, *http.Cookie) {
	t.Helper()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	form := url.Values{"login": {login}, "password": {password}}
	req, _ := http.NewRequest("POST", base+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for _, ck := range resp.Cookies() {
		if ck.Value != "" {
			return resp.StatusCode, ck
		}
	}
	return resp.StatusCode, nil
}

// page gets (or posts to, with the page's CSRF token) a page with a session.
func page(t *testing.T, base string, ck *http.Cookie, method, path string, form url.Values) (int, string) {
	t.Helper()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, base+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Accept-Language", "en")
	req.AddCookie(ck)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// csrfOf finds a page's CSRF token.
func csrfOf(html string) string {
	_, rest, _ := strings.Cut(html, `name="_csrf" value="`)
	v, _, _ := strings.Cut(rest, `"`)
	return v
}

// TestDirectoryLDAP runs a directory against a real slapd through the API: the
// bind password never comes back, the test finds what the filters match, a
// synchronisation creates users and groups, a directory user signs in with the
// directory's password only, one removed from the directory is disabled and
// refused, and another organisation's administrator does not see the directory.
func TestDirectoryLDAP(t *testing.T) {
	srv := ldaptest.Start(t)
	const ldapBase = ldaptest.Base
	storetest.EachStore(t, func(t *testing.T, kind string) {
		t.Setenv(secret.EnvKey, strings.Repeat("55", 32))
		e := apitest.New(t, kind)
		client := e.Org("Client A", e.Root)
		other := e.Org("Client B", e.Root)
		admin := e.User("dir-admin", "admin", client)
		stranger := e.User("other-admin", "admin", other)

		in := map[string]any{"name": "Client A LDAP", "organization_id": client, "url": srv.URL,
			"bind_dn": "cn=reader," + ldapBase, "bind_password": "reader-secret", "base_dn": ldapBase,
			"user_filter": "(&(objectClass=inetOrgPerson)(employeeType=staff))", "group_filter": "(objectClass=groupOfNames)"}
		r := admin.Must(201, "POST", "/api/v1/directories", in)
		id := r.ID()
		if strings.Contains(string(r.Body), "reader-secret") || strings.Contains(string(r.Body), "v1:") {
			t.Fatalf("create answers the bind password: %s", r.Body)
		}
		for _, path := range []string{apitest.Path("/api/v1/directories/%d", id), "/api/v1/directories", apitest.Path("/api/v1/directories/%d/history", id),
			"/api/v1/directories/export.csv", "/api/v1/directories?q=reader"} {
			got := admin.Do("GET", path, nil)
			if got.Status != 200 {
				t.Errorf("%s: %d %s", path, got.Status, got.Body)
			}
			if strings.Contains(string(got.Body), "reader-secret") || strings.Contains(string(got.Body), "bind_password_cipher") || strings.Contains(string(got.Body), "v1:") {
				t.Errorf("%s answers the bind password: %s", path, got.Body)
			}
		}
		// Bad input: a URL of another scheme.
		bad := admin.Do("POST", "/api/v1/directories", map[string]any{"name": "Bad", "organization_id": client, "url": "http://x", "base_dn": ldapBase})
		if bad.Status != 422 || bad.FieldError("url") == "" {
			t.Errorf("http URL: %d %s", bad.Status, bad.Body)
		}

		// Another organisation's administrator does not see it, nor test or sync it.
		for _, c := range []struct{ m, p string }{{"GET", "/api/v1/directories/%d"}, {"POST", "/api/v1/directories/%d/test"}, {"POST", "/api/v1/directories/%d/sync"}} {
			if got := stranger.Do(c.m, apitest.Path(c.p, id), nil); got.Status != 404 {
				t.Errorf("other admin %s %s: %d", c.m, c.p, got.Status)
			}
		}

		test := admin.Must(200, "POST", apitest.Path("/api/v1/directories/%d/test", id), nil).JSON["data"].(map[string]any)
		if test["ok"] != true || test["bind"] != true || test["users"].(float64) != 3 || test["groups"].(float64) != 1 {
			t.Fatalf("test: %v", test)
		}
		if s := fmt.Sprint(test["samples"]); !strings.Contains(s, "alice") || strings.Contains(s, "mallory") {
			t.Errorf("samples: %v", s)
		}
		// TLS with the private authority: ldaps:// and StartTLS; without the
		// authority, the certificate is refused, in words.
		for _, c := range []struct {
			name, url string
			startTLS  bool
			ca        string
			ok        bool
		}{{"ldaps", srv.LDAPSURL, false, srv.CAPEM, true}, {"starttls", srv.URL, true, srv.CAPEM, true}, {"untrusted", srv.LDAPSURL, false, "", false}} {
			tin := map[string]any{"name": "TLS " + c.name, "organization_id": client, "url": c.url, "start_tls": c.startTLS, "ca_pem": c.ca,
				"bind_dn": "cn=reader," + ldapBase, "bind_password": "reader-secret", "base_dn": ldapBase, "user_filter": "(objectClass=inetOrgPerson)"}
			tid := admin.Must(201, "POST", "/api/v1/directories", tin).ID()
			got := admin.Must(200, "POST", apitest.Path("/api/v1/directories/%d/test", tid), nil).JSON["data"].(map[string]any)
			if got["ok"] != c.ok || (c.ok && got["users"].(float64) != 4) || (!c.ok && !strings.Contains(fmt.Sprint(got["error"]), "certificate is not trusted")) {
				t.Errorf("TLS %s: %v", c.name, got)
			}
		}

		// A wrong bind password is reported in words.
		admin.Must(200, "PATCH", apitest.Path("/api/v1/directories/%d", id), map[string]any{"bind_password": "wrong"})
		failed := admin.Must(200, "POST", apitest.Path("/api/v1/directories/%d/test", id), nil).JSON["data"].(map[string]any)
		if failed["ok"] != false || !strings.Contains(fmt.Sprint(failed["error"]), "Invalid Credentials") {
			t.Errorf("wrong bind password: %v", failed)
		}
		admin.Must(200, "PATCH", apitest.Path("/api/v1/directories/%d", id), map[string]any{"bind_password": "reader-secret"})

		sync := func() map[string]any {
			t.Helper()
			r := admin.Must(202, "POST", apitest.Path("/api/v1/directories/%d/sync", id), nil)
			if r.JSON["data"].(map[string]any)["status"] != "running" {
				t.Fatalf("sync: %s", r.Body)
			}
			e.App.Directories.Wait()
			rep := admin.Must(200, "GET", apitest.Path("/api/v1/directories/%d/sync", id), nil).JSON["data"].(map[string]any)
			if rep["status"] != "done" {
				t.Fatalf("sync report: %v", rep)
			}
			return rep
		}
		rep := sync()
		if rep["created"].(float64) != 3 || rep["groups_created"].(float64) != 1 || rep["members_added"].(float64) != 2 {
			t.Fatalf("first sync: %v", rep)
		}
		users := admin.Must(200, "GET", "/api/v1/users?filter=login:eq:alice", nil).Data()
		if len(users) != 1 || users[0]["email"] != "alice@example.org" || users[0]["lastname"] != "Martin" || users[0]["organization_id"].(float64) != float64(client) {
			t.Fatalf("alice: %v", users)
		}
		if users[0]["external_id"] != "uid=alice,ou=people,"+ldapBase || users[0]["directory_id"].(float64) != float64(id) {
			t.Errorf("alice's link: %v", users[0])
		}
		if got := admin.Must(200, "GET", "/api/v1/users?filter=login:eq:mallory", nil).Data(); len(got) != 0 {
			t.Errorf("user outside the filter synchronised: %v", got)
		}
		if rep := sync(); rep["created"].(float64) != 0 || rep["updated"].(float64) != 0 || rep["unchanged"].(float64) != 3 {
			t.Errorf("second sync: %v", rep)
		}

		// The directory's page: connection, mapping, last report, and the test button.
		st, ck := session(t, e.Srv.URL, "dir-admin", "correct horse battery")
		if st != http.StatusSeeOther || ck == nil {
			t.Fatalf("admin sign-in: %d", st)
		}
		dirPage := apitest.Path("/directories/%d", id)
		st, html := page(t, e.Srv.URL, ck, "GET", dirPage, nil)
		if st != 200 || !strings.Contains(html, "3 found: 0 created, 0 updated, 3 unchanged, 0 disabled") || !strings.Contains(html, "Test the connection") ||
			!strings.Contains(html, "stored (encrypted)") || strings.Contains(html, "reader-secret") {
			t.Errorf("directory page: %d\n%s", st, html)
		}
		st, html = page(t, e.Srv.URL, ck, "POST", dirPage+"/test", url.Values{"_csrf": {csrfOf(html)}})
		if st != 200 || !strings.Contains(html, "Bind succeeded: 3 users and 1 groups match the filters.") || !strings.Contains(html, "alice") {
			t.Errorf("test button: %d\n%s", st, html)
		}
		aliceID := int64(users[0]["id"].(float64))
		st, html = page(t, e.Srv.URL, ck, "GET", apitest.Path("/users/%d", aliceID), nil)
		if st != 200 || !strings.Contains(html, "From the directory Client A LDAP, last seen on") {
			t.Errorf("alice's page: %d\n%s", st, html)
		}

		if st := signIn(t, e.Srv.URL, "alice", "alice-pw"); st != http.StatusSeeOther {
			t.Errorf("alice with the directory password: %d", st)
		}
		if st := signIn(t, e.Srv.URL, "alice", "wrong"); st != http.StatusUnauthorized {
			t.Errorf("alice with a wrong password: %d", st)
		}
		// Audited as any sign-in.
		var signedIn, refused int
		if err := e.App.DB.QueryRowContext(context.Background(), "SELECT (SELECT COUNT(*) FROM audit_events WHERE login = ? AND event = ?), (SELECT COUNT(*) FROM audit_events WHERE login = ? AND event = ?)",
			"alice", "login", "alice", "login_failed").Scan(&signedIn, &refused); err != nil || signedIn != 1 || refused != 1 {
			t.Errorf("alice's audit: %d sign-ins, %d failures (%v)", signedIn, refused, err)
		}
		if st := signIn(t, e.Srv.URL, "mallory", "mallory-pw"); st != http.StatusUnauthorized {
			t.Errorf("mallory: %d", st)
		}
		// A parc account keeps working beside the directory.
		if st := signIn(t, e.Srv.URL, "dir-admin", "correct horse battery"); st != http.StatusSeeOther {
			t.Errorf("parc account: %d", st)
		}

		// Bob leaves the directory: the next sync disables him, sign-in refused.
		srv.Root(t, func(c *ldap.Conn) error {
			return c.Del(ldap.NewDelRequest("uid=bob,ou=people,"+ldapBase, nil))
		})
		t.Cleanup(func() {
			srv.Root(t, func(c *ldap.Conn) error {
				req := ldap.NewAddRequest("uid=bob,ou=people,"+ldapBase, nil)
				for k, v := range map[string][]string{"objectClass": {"inetOrgPerson"}, "uid": {"bob"}, "givenName": {"Bob"}, "sn": {"Durand"},
					"cn": {"Bob Durand"}, "mail": {"bob@example.org"}, "telephoneNumber": {"+33 1 23 45 67 89"}, "title": {"Engineer"},
					"employeeType": {"staff"}, "userPassword": {"bob-pw"}} {
					req.Attribute(k, v)
				}
				return c.Add(req)
			})
		})
		if st := signIn(t, e.Srv.URL, "bob", "bob-pw"); st != http.StatusUnauthorized {
			t.Errorf("bob removed, before the sync: %d", st)
		}
		rep = sync()
		if rep["disabled"].(float64) != 1 {
			t.Errorf("sync after removal: %v", rep)
		}
		bob := admin.Must(200, "GET", "/api/v1/users?filter=login:eq:bob", nil).Data()
		if len(bob) != 1 || bob[0]["active"] != false {
			t.Errorf("bob after the sync: %v", bob)
		}
		if st := signIn(t, e.Srv.URL, "bob", "bob-pw"); st != http.StatusUnauthorized {
			t.Errorf("bob disabled: %d", st)
		}
	})
}

// BenchmarkDirectorySignIn: a directory user's sign-in through the form (rate
// limits, bind as the user, filter check, session, audit) on SQLite, beside the
// directory's own bind (sub-benchmark "bind").
func BenchmarkDirectorySignIn(b *testing.B) {
	srv := ldaptest.Start(b)
	b.Setenv(secret.EnvKey, strings.Repeat("55", 32))
	e := apitest.New(b, "sqlite")
	admin := e.User("bench-admin", "admin", e.Root)
	id := admin.Must(201, "POST", "/api/v1/directories", map[string]any{"name": "Bench", "organization_id": e.Root, "url": srv.URL,
		"bind_dn": "cn=reader," + ldaptest.Base, "bind_password": "reader-secret", "base_dn": ldaptest.Base,
		"user_filter": "(&(objectClass=inetOrgPerson)(employeeType=staff))"}).ID()
	admin.Must(202, "POST", apitest.Path("/api/v1/directories/%d/sync", id), nil)
	e.App.Directories.Wait()
	b.Run("bind", func(b *testing.B) {
		for b.Loop() {
			c, err := ldap.DialURL(srv.URL)
			if err != nil {
				b.Fatal(err)
			}
			if err := c.Bind("uid=alice,ou=people,"+ldaptest.Base, "alice-pw"); err != nil {
				b.Fatal(err)
			}
			c.Close()
		}
	})
	b.Run("sign-in", func(b *testing.B) {
		for b.Loop() {
			// Each sign-in from the same address would meet the limits: they
			// count failures only, and these succeed.
			if st := signIn(b, e.Srv.URL, "alice", "alice-pw"); st != http.StatusSeeOther {
				b.Fatalf("sign-in: %d", st)
			}
		}
	})
}
