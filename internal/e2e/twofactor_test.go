package e2e_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"parc/internal/record"
	"parc/internal/storetest"
)

// TestBrowserTwoFactor: a technician whose profile requires a second factor is
// taken to its enrolment right after the password, sets up the app from the key
// shown, confirms with its code and gets recovery codes; signing in again asks
// for the code on a second page, which a wrong code does not pass. Every page is
// checked with axe-core.
func TestBrowserTwoFactor(t *testing.T) {
	t.Parallel()
	exe := chromium(t)
	storetest.EachStore(t, func(t *testing.T, kind string) {
		ctx := context.Background()
		a, sys, _ := clientA(t, kind)
		var prof int64
		if err := a.DB.QueryRowContext(ctx, "SELECT id FROM profiles WHERE name = 'technician'").Scan(&prof); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Records.Update(ctx, sys, a.Reg.MustType("profiles"), prof, record.Input{"two_factor_required": true}); err != nil {
			t.Fatal(err)
		}
		srv, cat := serve(t, a)
		fr := func(key string, args ...any) string { return cat.T("fr", key, args...) }
		b := newBrowser(t, exe, srv.URL, kind+"-twofactor")

		signIn := func() {
			b.open("/login")
			b.typeIn("#login", techLogin)
			b.typeIn("#password", techPassword)
			b.clickTo(`form[action="/login"] button[type="submit"]`, http.StatusOK)
		}
		signIn()
		b.wantPath("/account/two-factor")
		b.wantContains("main", fr("ui.twofactor.must_enrol"), fr("ui.twofactor.secret_text"))
		secret := strings.ReplaceAll(b.text("#totp-secret"), " ", "")
		b.shots("two-factor-enrol")
		code, err := totp.GenerateCode(secret, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		b.typeIn("#code", code)
		b.clickTo(`form[action="/account/two-factor"] button[type="submit"]`, http.StatusOK)
		b.wantContains("main", fr("ui.twofactor.recovery_title"), fr("ui.twofactor.enrolled"))
		b.shots("two-factor-recovery")
		b.open("/tickets")

		b.clickTo(logoutButton, http.StatusOK)
		signIn()
		b.wantPath("/login/code")
		b.wantText("h1", fr("ui.twofactor.code_title"))
		b.typeIn("#code", "000000")
		b.clickTo(`form[action="/login/code"] button[type="submit"]`, http.StatusUnauthorized)
		b.wantContains(".flash.error", fr("err.bad_code"))
		b.shots("two-factor-code-refused")
		// The next step's code: the enrolment's own step is used up.
		code, err = totp.GenerateCode(secret, time.Now().Add(30*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		b.clear("#code")
		b.typeIn("#code", code)
		b.clickTo(`form[action="/login/code"] button[type="submit"]`, http.StatusOK)
		b.wantPath("/")
		b.open("/account")
		b.wantContains("#two-factor", fr("ui.twofactor.on"))
		b.wantContains("#sessions", fr("ui.sessions.current"))
		b.noPageErrors()
	})
}
