package api_test

import (
	"encoding/json"
	"net/url"
	"slices"
	"strconv"
	"testing"

	"parc/internal/apitest"
	"parc/internal/record"
	"parc/internal/storetest"
)

// listField reads every page of a list, limit records at a time, and returns
// the field's values in the order the pages gave them.
func listField(t *testing.T, c *apitest.Client, path, field string, limit int) []string {
	t.Helper()
	var out []string
	cursor := ""
	for pages := 0; pages < 100; pages++ {
		u, _ := url.Parse(path)
		v := u.Query()
		v.Set("limit", strconv.Itoa(limit))
		if cursor != "" {
			v.Set("cursor", cursor)
		}
		u.RawQuery = v.Encode()
		r := c.Must(200, "GET", u.String(), nil)
		for _, d := range r.Data() {
			if s, ok := d[field].(string); ok {
				out = append(out, s)
			}
		}
		var body struct {
			Next string `json:"next_cursor"`
		}
		if err := json.Unmarshal(r.Body, &body); err != nil {
			t.Fatal(err)
		}
		if body.Next == "" {
			return out
		}
		cursor = body.Next
	}
	t.Fatal("pages never end")
	return nil
}

// Canned responses, article titles and people's last names sort ignoring case
// and accents too (migration 0028), both ways, in keyset pages that neither skip
// nor repeat a record, on both stores.
func TestMoreNamesSortIgnoringCaseAndAccents(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := apitest.New(t, kind)
		admin := e.User("admin-sort", "super-admin", e.Root)
		in := []string{"Zoom", "adduser", "Éditeur PDF", "Bash", "editeur", "Écran", "Œuvre", "oeil"}
		want := []string{"adduser", "Bash", "Écran", "editeur", "Éditeur PDF", "oeil", "Œuvre", "Zoom"}
		for i, n := range in {
			e.Create("canned-responses", record.Input{"name": n, "kind": "followup", "content": "Texte " + strconv.Itoa(i), "organization_id": e.Root})
			e.Create("kb-articles", record.Input{"title": n, "organization_id": e.Root})
			e.Create("users", record.Input{"login": "u" + strconv.Itoa(i), "lastname": n, "organization_id": e.Root})
		}
		rev := slices.Clone(want)
		slices.Reverse(rev)
		for _, c := range []struct{ path, field string }{
			{"/api/v1/canned-responses?sort=name", "name"},
			{"/api/v1/kb-articles?sort=title", "title"},
			{"/api/v1/users?sort=lastname", "lastname"},
		} {
			for _, limit := range []int{1, 3, 50} {
				if got := listField(t, admin, c.path, c.field, limit); !slices.Equal(got, want) {
					t.Errorf("%s by %d:\n got %q\nwant %q", c.path, limit, got, want)
				}
			}
			desc := c.path[:len(c.path)-len(c.field)] + "-" + c.field
			if got := listField(t, admin, desc, c.field, 3); !slices.Equal(got, rev) {
				t.Errorf("%s by 3:\n got %q\nwant %q", desc, got, rev)
			}
		}
	})
}
