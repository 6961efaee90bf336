package api_test

import (
	"strings"
	"testing"

	"parc/internal/apitest"
	"parc/internal/auth"
	"parc/internal/record"
	"parc/internal/secret"
	"parc/internal/storetest"
)

// Licences in the generated permission test: seats (required but for site
// licences), and an assignment names a computer of the licence's organisation.
func init() {
	special["licenses"] = func(g *recordGen, org int64) record.Input { return record.Input{"seats": 5} }
	special["license-assignments"] = func(g *recordGen, org int64) record.Input {
		id, err := g.create(g.e.App.Reg.MustType("computers"), org, 1)
		if err != nil {
			g.e.T.Fatal(err)
		}
		return record.Input{"computer_id": id}
	}
}

// TestLicenceKeyPermissions: a licence key is answered to every builtin profile
// exactly where its rights document grants read_key on licences (by name, never
// through "*"), refused (403) where it reads the licence only, and not found
// where it does not read it; the key never comes with the licence itself.
func TestLicenceKeyPermissions(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		t.Setenv(secret.EnvKey, strings.Repeat("44", 32))
		e := apitest.New(t, kind)
		parent := e.Org("Parent", e.Root)
		own := e.Org("Own", parent)
		child := e.Org("Child", own)
		sibling := e.Org("Sibling", parent)
		places := map[string]int64{"own": own, "parent": parent, "sibling": sibling, "child": child}
		covered := map[string]bool{"own": true, "child": true}
		lic := map[string]int64{}
		for place, org := range places {
			lic[place] = e.Create("licenses", record.Input{"name": "Licence " + place, "license_type": "volume", "seats": 3,
				"organization_id": org, "license_key": "KEY-" + place + "-SECRET"})
		}
		for _, p := range auth.BuiltinProfiles() {
			u := e.User("k-"+p.Name, p.Name, own)
			for place, id := range lic {
				in := covered[place]
				want := 404
				switch {
				case in && allows(p.Rights, "licenses", "read_key"):
					want = 200
				case in && allows(p.Rights, "licenses", record.Read):
					want = 403
				}
				r := u.Do("GET", apitest.Path("/api/v1/licenses/%d/key", id), nil)
				if r.Status != want {
					t.Errorf("%s, licence in %s: key status %d, want %d", p.Name, place, r.Status, want)
				}
				if want == 200 && !strings.Contains(string(r.Body), "KEY-"+place+"-SECRET") {
					t.Errorf("%s, licence in %s: key answer %s", p.Name, place, r.Body)
				}
				if g := u.Do("GET", apitest.Path("/api/v1/licenses/%d", id), nil); strings.Contains(string(g.Body), "SECRET") {
					t.Errorf("%s: the licence's read shows its key: %s", p.Name, g.Body)
				}
			}
		}
	})
}
