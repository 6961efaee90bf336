package e2e_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"

	"parc/internal/record"
	"parc/internal/storetest"
)

// TestBrowserBell drives the header's bell: a ticket for the technician's group
// makes it show one unread notification; following it lists the notification as
// new, the bell empties, and the notification opens its ticket.
func TestBrowserBell(t *testing.T) {
	t.Parallel()
	exe := chromium(t)
	storetest.EachStore(t, func(t *testing.T, kind string) {
		ctx := context.Background()
		a, sys, org := clientA(t, kind)
		create := func(typeName string, in record.Input) int64 {
			r, err := a.Records.Create(ctx, sys, a.Reg.MustType(typeName), in)
			if err != nil {
				t.Fatalf("create %s: %v", typeName, err)
			}
			return r.ID
		}
		var tech int64
		if err := a.DB.QueryRowContext(ctx, "SELECT id FROM users WHERE login = ?", techLogin).Scan(&tech); err != nil {
			t.Fatal(err)
		}
		group := create("groups", record.Input{"name": "Support", "organization_id": org.ID})
		create("group-members", record.Input{"group_id": group, "user_id": tech, "organization_id": org.ID})
		srv, cat := serve(t, a)
		fr := func(key string, args ...any) string { return cat.T("fr", key, args...) }
		b := newBrowser(t, exe, srv.URL, kind+"-bell")

		b.open("/login")
		b.typeIn("#login", techLogin)
		b.typeIn("#password", techPassword)
		b.clickTo(`form[action="/login"] button[type="submit"]`, http.StatusOK)
		b.wantPath("/")
		b.wantAbsent("#bell-count")
		b.wantAttr("#bell", "aria-label", fr("notif.bell"))

		id := create("tickets", record.Input{"title": "Scanner hors service", "organization_id": org.ID, "assigned_group_id": group})
		b.open("/")
		b.wantText("#bell-count", "1")
		b.wantAttr("#bell", "aria-label", fr("notif.bell_unread", 1))
		b.shots("home-bell")
		b.clickTo("#bell", http.StatusOK)
		b.wantPath("/notifications")
		b.wantText("h1", fr("notif.title"))
		b.wantContains("#notifications li.unread", fr("notif.event.created"), "Scanner hors service", fr("notif.unread"))
		b.wantAbsent("#bell-count")
		b.shots("notifications")
		b.clickTo("#notifications a", http.StatusOK)
		b.wantPath("/tickets/" + strconv.FormatInt(id, 10))
		b.open("/notifications")
		b.wantAbsent("#notifications li.unread")
		b.noPageErrors()
	})
}
