package api_test

import (
	"context"
	"net/http"
	"testing"

	"parc/internal/apitest"
	"parc/internal/record"
	"parc/internal/storetest"
)

// TestCreateDefaultsToTheUsersOrganisation: a record posted without an
// organisation goes where the caller's rights leave one obvious choice, their
// user's organisation (a requester's ticket, an administrator's computer); when
// their user's organisation is not one they may write in and they may write in
// several, the answer is 422 naming organization_id. Records that take their
// ticket's organisation (follow-ups) and authorizations get no default.
func TestCreateDefaultsToTheUsersOrganisation(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := apitest.New(t, kind)
		ctx := context.Background()
		esn := e.Org("ESN", e.Root)
		client := e.Org("Client", esn)
		sub := e.Org("Filiale", client)
		other := e.Org("Autre client", esn)

		admin := e.User("boss", "super-admin", esn)
		r := admin.Must(http.StatusCreated, "POST", "/api/v1/computers", map[string]any{"name": "PC-0042", "serial": "5CG1234XYZ"})
		if got := int64(r.JSON["organization_id"].(float64)); got != esn {
			t.Errorf("admin's computer in %d, want their organisation %d", got, esn)
		}

		marie := e.User("marie", "self-service", client)
		tk := marie.Must(http.StatusCreated, "POST", "/api/v1/tickets", map[string]any{"title": "Caisse bloquée", "type": "incident"})
		if got := int64(tk.JSON["organization_id"].(float64)); got != client {
			t.Errorf("requester's ticket in %d, want %d", got, client)
		}
		fu := marie.Must(http.StatusCreated, "POST", apitest.Path("/api/v1/tickets/%d/followups", tk.ID()), map[string]any{"content": "Toujours bloquée"})
		if got := int64(fu.JSON["organization_id"].(float64)); got != client {
			t.Errorf("follow-up in %d, want its ticket's %d", got, client)
		}

		// A technician of two clients whose own record sits at the provider's,
		// where they may not work: the choice is theirs to make.
		tech := e.User("tech", "technician", client)
		var prof int64
		if err := e.App.DB.QueryRowContext(ctx, "SELECT id FROM profiles WHERE name = 'technician'").Scan(&prof); err != nil {
			t.Fatal(err)
		}
		if _, err := e.App.Records.Update(ctx, e.Sys, e.App.Reg.MustType("users"), tech.UserID, record.Input{"organization_id": esn}); err != nil {
			t.Fatal(err)
		}
		e.Create("authorizations", record.Input{"user_id": tech.UserID, "profile_id": prof, "organization_id": other, "recursive": false})
		bad := tech.Must(http.StatusUnprocessableEntity, "POST", "/api/v1/computers", map[string]any{"name": "PC-0043"})
		if bad.FieldError("organization_id") == "" {
			t.Errorf("no organization_id error: %s", bad.Body)
		}
		ok := tech.Must(http.StatusCreated, "POST", "/api/v1/computers", map[string]any{"name": "PC-0043", "organization_id": sub})
		if got := int64(ok.JSON["organization_id"].(float64)); got != sub {
			t.Errorf("named organisation %d, got %d", sub, got)
		}

		// An authorization grants where it says: never by default.
		grant := admin.Must(http.StatusUnprocessableEntity, "POST", "/api/v1/authorizations", map[string]any{"user_id": marie.UserID, "profile_id": prof})
		if grant.FieldError("organization_id") == "" {
			t.Errorf("authorization without organisation: %s", grant.Body)
		}
	})
}
