package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"parc/internal/storetest"
)

// The one-time administrator password of a new store opens the password form and
// nothing else; served as https://, the session cookie is Secure.
func TestNewStoreAdminChoosesAPassword(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		cfg := storetest.TestConfig(t, kind)
		t.Setenv("PARC_DATABASE_URL", cfg.DatabaseURL)
		t.Setenv("PARC_BASE_URL", "https://parc.example.org")
		data := cfg.DataDir
		if data == "" {
			data = t.TempDir()
		}
		ctx, cancel := context.WithCancel(context.Background())
		pr, pw := io.Pipe()
		done := make(chan error, 1)
		go func() {
			done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--data", data}, strings.NewReader(""), pw, io.Discard)
			pw.Close()
		}()
		t.Cleanup(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("serve: %v", err)
			}
		})
		var password, base string
		lines := bufio.NewScanner(pr)
		pwRe := regexp.MustCompile(`one-time password: (\S+)`)
		for base == "" && lines.Scan() {
			if m := pwRe.FindStringSubmatch(lines.Text()); m != nil {
				password = m[1]
			}
			if _, addr, ok := strings.Cut(lines.Text(), "listening on "); ok {
				base = addr
			}
		}
		go io.Copy(io.Discard, pr)
		if password == "" || base == "" {
			t.Fatalf("serve printed no password or address")
		}
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar, Timeout: 20 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := c.PostForm(base+"/login", url.Values{"login": {"admin"}, "password": {password}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/account" {
			t.Fatalf("first sign-in: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		cookie := resp.Header.Get("Set-Cookie")
		if !strings.Contains(cookie, "; Secure") {
			t.Fatalf("session cookie of an https:// parc: %q", cookie)
		}
		// The jar keeps Secure cookies for https:// only: send the session by hand.
		session := strings.SplitN(cookie, ";", 2)[0]
		get := func(path string) *http.Response {
			req, _ := http.NewRequest("GET", base+path, nil)
			req.Header.Set("Cookie", session)
			resp, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp
		}
		if r := get("/computers"); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/account" {
			t.Fatalf("a page before the new password: %d to %q", r.StatusCode, r.Header.Get("Location"))
		}
		if r := get("/api/v1/me"); r.StatusCode != http.StatusForbidden {
			t.Fatalf("the API before the new password: %d", r.StatusCode)
		}
		if r := get("/account"); r.StatusCode != http.StatusOK {
			t.Fatalf("account page: %d", r.StatusCode)
		}
	})
}
