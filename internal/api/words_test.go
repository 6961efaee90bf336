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

// listNames reads every page of a list, limit records at a time, and returns the
// names in the order the pages gave them.
func listNames(t *testing.T, c *apitest.Client, path string, limit int) []string {
	t.Helper()
	var names []string
	cursor := ""
	for pages := 0; ; pages++ {
		if pages > 100 {
			t.Fatal("pages never end")
		}
		u, _ := url.Parse(path)
		v := u.Query()
		v.Set("limit", strconv.Itoa(limit))
		if cursor != "" {
			v.Set("cursor", cursor)
		}
		u.RawQuery = v.Encode()
		r := c.Must(200, "GET", u.String(), nil)
		for _, d := range r.Data() {
			names = append(names, d["name"].(string))
		}
		var body struct {
			Next string `json:"next_cursor"`
		}
		if err := json.Unmarshal(r.Body, &body); err != nil {
			t.Fatal(err)
		}
		if body.Next == "" {
			return names
		}
		cursor = body.Next
	}
}

// Names sort ignoring case and accents, ascending and descending, and keyset
// pages of any size neither skip nor repeat a record, on both stores. Before,
// "adduser" (lowercase, as Debian packages are named) came after "Zoom", and
// "Éditeur" after every other letter.
func TestNamesSortIgnoringCaseAndAccents(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := apitest.New(t, kind)
		admin := e.User("admin-sort", "super-admin", e.Root)
		in := []string{"Zoom", "adduser", "Éditeur PDF", "apt", "Bash", "editeur", "zlib1g", "Écran", "bc", "Œuvre", "oeil", "Acrobat"}
		for _, n := range in {
			e.Create("software", record.Input{"name": n})
		}
		want := []string{"Acrobat", "adduser", "apt", "Bash", "bc", "Écran", "editeur", "Éditeur PDF", "oeil", "Œuvre", "zlib1g", "Zoom"}
		for _, limit := range []int{1, 3, 5, 50} {
			if got := listNames(t, admin, "/api/v1/software?sort=name", limit); !slices.Equal(got, want) {
				t.Errorf("ascending by %d:\n got %q\nwant %q", limit, got, want)
			}
		}
		rev := slices.Clone(want)
		slices.Reverse(rev)
		for _, limit := range []int{2, 7} {
			if got := listNames(t, admin, "/api/v1/software?sort=-name", limit); !slices.Equal(got, rev) {
				t.Errorf("descending by %d:\n got %q\nwant %q", limit, got, rev)
			}
		}
		// A filter keeps the same order.
		if got := listNames(t, admin, "/api/v1/software?sort=name&filter=name:contains:e", 2); !slices.Equal(got, []string{"adduser", "editeur", "Éditeur PDF", "oeil", "Œuvre"}) {
			t.Errorf("filtered: %q", got)
		}
		// Computers, within a technician's organisation: the same order, paged.
		org := e.Org("Client", e.Root)
		other := e.Org("Other", e.Root)
		tech := e.User("tech-sort", "technician", org)
		// Equal keys ("PC-A", "pc-a") come by id: created in that order.
		for _, n := range []string{"pc-b", "PC-A", "Pc-c", "PC-Ä2", "pc-a"} {
			e.Create("computers", record.Input{"name": n, "organization_id": org})
		}
		e.Create("computers", record.Input{"name": "PC-A0", "organization_id": other})
		if got := listNames(t, tech, "/api/v1/computers?sort=name", 1); !slices.Equal(got, []string{"PC-A", "pc-a", "PC-Ä2", "pc-b", "Pc-c"}) {
			t.Errorf("computers: %q", got)
		}
	})
}

// A list's free text finds tickets by their words, as the search does: every
// word, in any form, accents ignored; within the caller's tickets only.
func TestListTextMatchesWords(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		w := newSearchWorld(t, kind)
		ids := func(c *apitest.Client, q string) []int64 {
			var out []int64
			for _, d := range c.Must(200, "GET", "/api/v1/tickets?q="+url.QueryEscape(q), nil).Data() {
				out = append(out, int64(d["id"].(float64)))
			}
			slices.Sort(out)
			return out
		}
		// "imprimantes" (plural) matched nothing as a substring of "imprimante".
		if got := ids(w.techA, "imprimantes"); !slices.Equal(got, []int64{w.t1, w.t2}) {
			t.Errorf("imprimantes: %v, want %v", got, []int64{w.t1, w.t2})
		}
		if got := ids(w.techA, "reseau imprimante"); !slices.Equal(got, []int64{w.t1}) {
			t.Errorf("two words, one without its accent: %v, want %v", got, []int64{w.t1})
		}
		if got := ids(w.techA, "imprimante zèbre"); len(got) != 0 {
			t.Errorf("a word no ticket has: %v", got)
		}
		// Another organisation's technician finds none of them.
		if got := ids(w.techB, "imprimantes"); slices.Contains(got, w.t1) || slices.Contains(got, w.t2) {
			t.Errorf("tech B sees A's tickets: %v", got)
		}
	})
}
