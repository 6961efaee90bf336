package auth_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"parc/internal/app"
	"parc/internal/auth"
	"parc/internal/record"
	"parc/internal/storetest"
)

func TestPasswordHashing(t *testing.T) {
	h, err := auth.HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$") || strings.Contains(h, "correct") {
		t.Fatalf("hash %s", h)
	}
	if !auth.CheckPassword(h, "correct horse battery") || auth.CheckPassword(h, "correct horse batterY") || auth.CheckPassword("garbage", "x") {
		t.Fatal("password check")
	}
	h2, _ := auth.HashPassword("correct horse battery")
	if h == h2 {
		t.Fatal("same salt twice")
	}
}

func setup(t *testing.T, kind string) (*app.App, *record.Actor) {
	a := app.New(storetest.OpenTest(t, kind), nil)
	ctx := context.Background()
	if _, err := a.Bootstrap(ctx, "en"); err != nil {
		t.Fatal(err)
	}
	sys, _ := a.System(ctx, record.OriginCLI)
	if _, err := a.Auth.CreateUser(ctx, sys, "eve", "correct horse battery", "technician", sys.Tree.Root); err != nil {
		t.Fatal(err)
	}
	return a, sys
}

func TestLoginRateLimitPerAccountAndAddress(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		a, sys := setup(t, kind)
		ctx := context.Background()
		if _, err := a.Auth.Login(ctx, "eve", "wrong", "10.0.0.1", "test"); err != auth.ErrBadCredentials {
			t.Fatalf("wrong password: %v", err)
		}
		if _, err := a.Auth.Login(ctx, "nobody", "wrong", "10.0.0.1", "test"); err != auth.ErrBadCredentials {
			t.Fatalf("unknown login: %v", err)
		}
		s, err := a.Auth.Login(ctx, "EVE", "correct horse battery", "10.0.0.1", "test")
		if err != nil || s.Token == "" || s.CSRF == "" {
			t.Fatalf("login: %v", err)
		}
		for i := 0; i < auth.MaxLoginFails; i++ {
			a.Auth.Login(ctx, "eve", "guess", "10.0.0.2", "test")
		}
		// Locked for this account from this address now, even with the right password,
		_, err = a.Auth.Login(ctx, "eve", "correct horse battery", "10.0.0.2", "test")
		if secs, ok := auth.RetryAfter(err); !ok || secs < 800 || secs > int(auth.Window.Seconds()) {
			t.Fatalf("after %d failures: %v (retry after %d s)", auth.MaxLoginFails, err, secs)
		}
		// but not from elsewhere: a guesser cannot lock the owner out.
		if _, err := a.Auth.Login(ctx, "eve", "correct horse battery", "10.0.0.3", "test"); err != nil {
			t.Fatalf("another address locked out: %v", err)
		}
		// After the window it opens again.
		a.Auth.Now = func() time.Time { return time.Now().UTC().Add(auth.Window + time.Minute) }
		if _, err := a.Auth.Login(ctx, "eve", "correct horse battery", "10.0.0.2", "test"); err != nil {
			t.Fatalf("after the window: %v", err)
		}
		a.Auth.Now = func() time.Time { return time.Now().UTC() }
		// Per address: many accounts tried from one address.
		if _, err := a.Auth.CreateUser(ctx, sys, "frank", "correct horse battery", "observer", sys.Tree.Root); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < auth.MaxAddressFails; i++ {
			a.Auth.Login(ctx, "spray"+string(rune('a'+i)), "guess", "10.9.9.9", "test")
		}
		if _, err := a.Auth.Login(ctx, "frank", "correct horse battery", "10.9.9.9", "test"); !isThrottled(err) {
			t.Fatalf("address not throttled: %v", err)
		}
		if _, err := a.Auth.Login(ctx, "frank", "correct horse battery", "10.9.9.8", "test"); err != nil {
			t.Fatalf("other address throttled: %v", err)
		}
		var n int
		a.DB.R.QueryRow("SELECT COUNT(*) FROM audit_events WHERE event = 'login_throttled'").Scan(&n)
		if n < 2 {
			t.Fatalf("throttled logins not audited: %d", n)
		}
	})
}

func TestSessionsExpireAndPasswordResetClosesThem(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		a, sys := setup(t, kind)
		ctx := context.Background()
		s, err := a.Auth.Login(ctx, "eve", "correct horse battery", "127.0.0.1", "test")
		if err != nil {
			t.Fatal(err)
		}
		got, err := a.Auth.SessionByToken(ctx, s.Token)
		if err != nil || got.UserID != s.UserID || got.CSRF != s.CSRF {
			t.Fatalf("session %v %v", got, err)
		}
		a.Auth.Now = func() time.Time { return time.Now().UTC().Add(auth.SessionIdle + time.Minute) }
		if _, err := a.Auth.SessionByToken(ctx, s.Token); err == nil {
			t.Fatal("idle session still valid")
		}
		a.Auth.Now = func() time.Time { return time.Now().UTC() }
		s, _ = a.Auth.Login(ctx, "eve", "correct horse battery", "127.0.0.1", "test")
		if err := a.Auth.SetPassword(ctx, sys, s.UserID, "short"); err == nil {
			t.Fatal("short password accepted")
		}
		if err := a.Auth.SetPassword(ctx, sys, s.UserID, "another long password"); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Auth.SessionByToken(ctx, s.Token); err == nil {
			t.Fatal("session survived a password reset")
		}
		if _, err := a.Auth.Login(ctx, "eve", "another long password", "127.0.0.1", "test"); err != nil {
			t.Fatal(err)
		}
		// The password change is in the history, without the hash.
		h, err := a.Records.History(ctx, sys, a.Reg.MustType("users"), s.UserID, 0, 0)
		if err != nil || h[0].Field != "password_hash" || h[0].NewValue != "" {
			t.Fatalf("history %+v %v", h, err)
		}
		// A deactivated user can no longer sign in, nor use an old session.
		s, _ = a.Auth.Login(ctx, "eve", "another long password", "127.0.0.1", "test")
		if _, err := a.Records.Update(ctx, sys, a.Reg.MustType("users"), s.UserID, record.Input{"active": false}); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Auth.Login(ctx, "eve", "another long password", "127.0.0.2", "test"); err != auth.ErrBadCredentials {
			t.Fatalf("inactive login: %v", err)
		}
		if _, err := a.Auth.Actor(ctx, s.UserID, "web"); err == nil {
			t.Fatal("inactive user still acts")
		}
	})
}

func TestChangePasswordChecksTheCurrentOneUnderThrottle(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		a, _ := setup(t, kind)
		ctx := context.Background()
		s, _ := a.Auth.Login(ctx, "eve", "correct horse battery", "127.0.0.1", "test")
		err := a.Auth.ChangePassword(ctx, s.UserID, "wrong", "a brand new password", "127.0.0.1")
		if e, ok := record.AsError(err); !ok || e.Fields["current"].Key != "err.wrong_current_password" {
			t.Fatalf("wrong current password: %v", err)
		}
		for i := 0; i < auth.MaxLoginFails; i++ {
			a.Auth.ChangePassword(ctx, s.UserID, "guess", "a brand new password", "127.0.0.1")
		}
		if err := a.Auth.ChangePassword(ctx, s.UserID, "correct horse battery", "a brand new password", "127.0.0.1"); !isThrottled(err) {
			t.Fatalf("guessing not throttled: %v", err)
		}
		a.Auth.Now = func() time.Time { return time.Now().UTC().Add(auth.Window + time.Minute) }
		if err := a.Auth.ChangePassword(ctx, s.UserID, "correct horse battery", "a brand new password", "127.0.0.1"); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Auth.Login(ctx, "eve", "a brand new password", "127.0.0.1", "test"); err != nil {
			t.Fatal(err)
		}
	})
}

func isThrottled(err error) bool {
	_, ok := auth.RetryAfter(err)
	return ok
}

// TestTechniciansOfOlderStoresGetTheNewTypes: built-in profiles are seeded once, so
// migration 0027 gives the technicians of a store made before canned responses and
// ticket templates the rights a new store gives them, and leaves a profile that
// grants every type alone.
func TestTechniciansOfOlderStoresGetTheNewTypes(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		a, sys := setup(t, kind)
		ctx := context.Background()
		var rights string
		if err := a.DB.QueryRowContext(ctx, "SELECT rights FROM profiles WHERE name = 'technician'").Scan(&rights); err != nil {
			t.Fatal(err)
		}
		var m map[string][]string
		if err := json.Unmarshal([]byte(rights), &m); err != nil {
			t.Fatal(err)
		}
		delete(m, "canned-responses")
		delete(m, "ticket-templates")
		old, _ := json.Marshal(m)
		// The technician profile as an older store has it, and a site's own profile
		// granting everything; then the store is migrated as an upgrade does.
		if _, err := a.DB.Exec(ctx, "UPDATE profiles SET rights = ? WHERE name = 'technician'", string(old)); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Records.Create(ctx, sys, a.Reg.MustType("profiles"), record.Input{"name": "all-seeing", "rights": `{"*":["read"]}`}); err != nil {
			t.Fatal(err)
		}
		if _, err := a.DB.Exec(ctx, "DELETE FROM schema_migrations WHERE version = 27"); err != nil {
			t.Fatal(err)
		}
		if err := a.DB.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		var eve int64
		if err := a.DB.QueryRowContext(ctx, "SELECT id FROM users WHERE login = 'eve'").Scan(&eve); err != nil {
			t.Fatal(err)
		}
		actor, err := a.Auth.Actor(ctx, eve, record.OriginWeb)
		if err != nil {
			t.Fatal(err)
		}
		if !actor.Can(a.Reg.MustType("canned-responses"), record.Create) || !actor.Can(a.Reg.MustType("ticket-templates"), record.Read) {
			t.Fatal("the technician of an upgraded store cannot use canned responses and ticket templates")
		}
		if actor.Can(a.Reg.MustType("ticket-templates"), record.Create) {
			t.Fatal("technicians got more than reading ticket templates")
		}
		var all string
		if err := a.DB.QueryRowContext(ctx, "SELECT rights FROM profiles WHERE name = 'all-seeing'").Scan(&all); err != nil {
			t.Fatal(err)
		}
		if all != `{"*":["read"]}` {
			t.Fatalf("a profile granting every type was changed: %s", all)
		}
	})
}
