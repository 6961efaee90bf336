package api_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"parc/internal/agentserver"
	"parc/internal/apitest"
	"parc/internal/inventory/inventorytest"
	"parc/internal/storetest"
)

// withSoftware adds software entries to a recorded FusionInventory document.
func withSoftware(doc []byte, entries ...[3]string) []byte {
	var b strings.Builder
	for _, e := range entries {
		b.WriteString("<SOFTWARES><NAME>" + e[0] + "</NAME><PUBLISHER>" + e[1] + "</PUBLISHER>")
		if e[2] != "" {
			b.WriteString("<VERSION>" + e[2] + "</VERSION>")
		}
		b.WriteString("</SOFTWARES>\n    ")
	}
	return bytes.Replace(doc, []byte("<SOFTWARES>"), []byte(b.String()+"<SOFTWARES>"), 1)
}

// TestDictionaryRulesRefileTheCatalogue: two real agent documents (two machines) report
// "Firefox" and "Mozilla Firefox", "Acrobat Reader" and its "(64-bit)" variant,
// and 7-Zip with its version in its name. The version goes to the version at
// once; the names stay apart until rules join them. Saving the rules answers at
// once, with a preview of the moves beforehand, and the re-filing job merges
// the entries and their installations, with history on both sides; the next
// inventories file the same way.
func TestDictionaryRulesRefileTheCatalogue(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := apitest.New(t, kind)
		ctx := context.Background()
		admin := e.User("dict-admin", "admin", e.Root)
		agents := httptest.NewServer(e.App.Agents(agentserver.Options{}).Handler())
		defer agents.Close()
		send := func(doc []byte) {
			t.Helper()
			resp, err := http.Post(agents.URL+"/front/inventory.php", "application/xml", bytes.NewReader(doc))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Fatalf("inventory: %d", resp.StatusCode)
			}
		}
		first := withSoftware(inventorytest.Read(t, "fusioninventory-2.6-debian12.xml"),
			[3]string{"Firefox", "Mozilla", "128.0"}, [3]string{"Acrobat Reader", "Adobe", "24.1"}, [3]string{"7-Zip 23.01 (x64)", "Igor Pavlov", ""})
		second := withSoftware(inventorytest.Read(t, "glpi-inventory-format/fusion-1.xml"),
			[3]string{"Mozilla Firefox 128.0 (x64 fr)", "Mozilla", "128.0"}, [3]string{"Acrobat Reader (64-bit)", "Adobe", "24.1"}, [3]string{"7-Zip 22.01 (x64)", "Igor Pavlov", "22.01"})
		send(first)
		send(second)
		software := func(name string) []map[string]any {
			return admin.Must(200, "GET", "/api/v1/software?filter=name:eq:"+strings.ReplaceAll(name, " ", "+"), nil).Data()
		}
		// The version in the name went to the version: one 7-Zip, two versions.
		if got := software("7-Zip"); len(got) != 1 {
			t.Fatalf("7-Zip entries: %v", got)
		}
		for _, v := range []string{"23.01", "22.01"} {
			if n := admin.Must(200, "GET", "/api/v1/computers?count=1&filter=software:eq:7-Zip@"+v, nil).JSON["total"]; n != 1.0 {
				t.Errorf("computers with 7-Zip %s: %v", v, n)
			}
		}
		// Debian's python3.11 keeps its name: a number joined to it is part of it.
		if got := software("python3.11"); len(got) != 1 {
			t.Errorf("python3.11: %v", got)
		}
		firefox, mozilla := software("Firefox"), software("Mozilla Firefox")
		if len(firefox) != 1 || len(mozilla) != 1 || len(software("Acrobat Reader (64-bit)")) != 1 {
			t.Fatalf("before the rules: Firefox %v, Mozilla Firefox %v", firefox, mozilla)
		}
		mozillaID := int64(mozilla[0]["id"].(float64))

		// The preview of a rule being written: what would move, and nothing moved.
		tech := e.User("dict-tech", "technician", e.Root)
		rule := map[string]any{"match_name": "^Firefox$", "action": "rename", "new_name": "Mozilla Firefox"}
		tech.Must(403, "POST", "/api/v1/software-rules/refile-preview", rule)
		admin.Must(422, "POST", "/api/v1/software-rules/refile-preview", map[string]any{"match_name": "(", "action": "rename", "new_name": "x"})
		moves := admin.Must(200, "POST", "/api/v1/software-rules/refile-preview", rule).Data()
		if len(moves) != 1 || moves[0]["name"] != "Firefox" || moves[0]["into"] != float64(mozillaID) || moves[0]["installations"] != 1.0 {
			t.Fatalf("preview: %v", moves)
		}
		if len(admin.Must(200, "GET", "/api/v1/software-rules/refile-preview", nil).Data()) != 0 {
			t.Fatal("the saved rules (none) move something")
		}
		if len(software("Firefox")) != 1 {
			t.Fatal("the preview moved Firefox")
		}

		// An entry filed before versions left names, installed without a version.
		winscp := admin.Must(201, "POST", "/api/v1/software", map[string]any{"name": "WinSCP 6.3.1", "publisher": "Martin Prikryl"}).JSON["id"]
		computer := admin.Must(200, "GET", "/api/v1/computers?filter=software:eq:Firefox", nil).Data()[0]["id"]
		if _, err := e.App.DB.Exec(ctx, "INSERT INTO software_installations (computer_id, software_id, version, version_key, arch) VALUES (?, ?, '', '', '')",
			int64(computer.(float64)), int64(winscp.(float64))); err != nil {
			t.Fatal(err)
		}

		// Saving the rules only marks the re-filing owed; the job does it.
		admin.Must(201, "POST", "/api/v1/software-rules", map[string]any{"name": "Firefox", "position": 10, "match_name": "^Firefox$", "action": "rename", "new_name": "Mozilla Firefox"})
		admin.Must(201, "POST", "/api/v1/software-rules", map[string]any{"name": "Acrobat", "position": 20, "match_name": `^Acrobat Reader \(64-bit\)$`, "action": "rename", "new_name": "Acrobat Reader"})
		if len(software("Firefox")) != 1 {
			t.Fatal("re-filed during the request")
		}
		if p := admin.Must(200, "GET", "/api/v1/software-rules/refile-preview", nil).Data(); len(p) != 3 {
			t.Fatalf("the saved rules' preview: %v", p)
		}
		if did, err := e.App.Inventory.RefileOwed(ctx); err != nil || !did {
			t.Fatalf("re-filing: %v %v", did, err)
		}
		if did, _ := e.App.Inventory.RefileOwed(ctx); did {
			t.Fatal("re-filed twice for one change")
		}
		if _, err := e.App.Inventory.FoldInstallCounts(ctx); err != nil {
			t.Fatal(err)
		}
		if len(software("Firefox")) != 0 || len(software("Acrobat Reader (64-bit)")) != 0 {
			t.Fatal("the merged entries remain")
		}
		for _, name := range []string{"Mozilla Firefox", "Acrobat Reader"} {
			got := software(name)
			if len(got) != 1 || got[0]["install_count"] != 2.0 {
				t.Errorf("%s after re-filing: %v", name, got)
			}
			if n := admin.Must(200, "GET", "/api/v1/computers?count=1&filter=software:eq:"+strings.ReplaceAll(name, " ", "+")+"@128.0", nil).JSON["total"]; name == "Mozilla Firefox" && n != 2.0 {
				t.Errorf("computers with %s 128.0: %v", name, n)
			}
		}
		// WinSCP lost its number to its installation, in place.
		if w := admin.Must(200, "GET", apitest.Path("/api/v1/software/%d", int64(winscp.(float64))), nil); w.JSON["name"] != "WinSCP" {
			t.Errorf("WinSCP re-filed as %v", w.JSON["name"])
		}
		if n := admin.Must(200, "GET", "/api/v1/computers?count=1&filter=software:eq:WinSCP@6.3.1", nil).JSON["total"]; n != 1.0 {
			t.Errorf("computers with WinSCP 6.3.1: %v", n)
		}
		h := admin.Must(200, "GET", apitest.Path("/api/v1/software/%d/history", mozillaID), nil).Data()
		found := false
		for _, x := range h {
			if x["field"] == "merged_from" && x["new_value"] == "Firefox" && x["origin"] == "rule" {
				found = true
			}
		}
		if !found {
			t.Errorf("no merge in the history: %v", h)
		}

		// The next inventories file the same way: no Firefox comes back.
		send(first)
		send(second)
		if _, err := e.App.Inventory.FoldInstallCounts(ctx); err != nil {
			t.Fatal(err)
		}
		if len(software("Firefox")) != 0 || len(software("Acrobat Reader (64-bit)")) != 0 {
			t.Fatal("an inventory brought back a merged entry")
		}
		if got := software("Mozilla Firefox"); got[0]["install_count"] != 2.0 {
			t.Errorf("Mozilla Firefox after re-inventory: %v", got)
		}
	})
}
