package agentserver

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"parc/internal/inventory/inventorytest"
	"parc/internal/storetest"
)

// TestDeviceFixturesThroughHTTP: GLPI Agent's inventories of network equipment,
// printers and phones, sent to GLPI's URL plain or compressed, are stored as records
// of their own types; sent again, they write nothing.
func TestDeviceFixturesThroughHTTP(t *testing.T) {
	cases := []struct {
		file, table, serial string
		want                string // name ip mac
	}{
		{"networkequipment_1.json", "network_equipment", "SSI1912014B", "ucs6248up-cluster-pa3-B 10.2.5.10 8c:60:4f:8d:ae:fc 163"},
		{"networkequipment_4.json", "network_equipment", "FCH1946V219", "CH-GV1-DSI-WLC-INSID-1 1.1.1.1 58:ac:78:59:45:fb 3"},
		{"printer_1.json", "printers", "PHCVN191TG", "NPIF2BE10 10.59.29.175 00:68:eb:f2:be:10 -"},
		{"printer_3.json", "printers", "SDFSDF9874", "MX5970 10.59.29.176 00:85:eb:f4:be:20 -"},
		{"phone_1.json", "phones", "af8d8fcfa6fa4794", "Mi9TPro-TéléphoneM - e0:dc:ff:ed:09:59 -"},
	}
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := newEnv(t, kind, Options{})
		for i, c := range cases {
			doc := inventorytest.Read(t, "glpi-inventory-format/"+c.file)
			send := func() *reply {
				if i%2 == 1 {
					return e.post(PathGLPI, zlibBytes(t, doc), "Content-Type", "application/x-compress-zlib", "User-Agent", "GLPI-Agent_v1.7")
				}
				return e.post(PathGLPI, doc, "Content-Type", "application/json", "User-Agent", "GLPI-Agent_v1.7")
			}
			if r := send(); r.Status != http.StatusOK || r.Body != `{"status":"ok","expiration":24}` {
				t.Fatalf("%s: %d %q\n%s", c.file, r.Status, r.Body, e.log)
			}
			ip, ports := "'-'", "'-'"
			if c.table != "phones" {
				ip = "COALESCE(ip_address, '')"
			}
			if c.table == "network_equipment" {
				ports = "CAST(ports AS TEXT)"
			}
			var got string
			q := fmt.Sprintf("SELECT name || ' ' || %s || ' ' || mac_address || ' ' || %s FROM %s WHERE serial = ?", ip, ports, c.table)
			if err := e.app.DB.QueryRowContext(context.Background(), q, c.serial).Scan(&got); err != nil {
				t.Fatalf("%s: %v", c.file, err)
			}
			if got != c.want {
				t.Errorf("%s: %q, want %q", c.file, got, c.want)
			}
			before := e.rows()
			if r := send(); r.Status != http.StatusOK {
				t.Fatalf("%s again: %d %q", c.file, r.Status, r.Body)
			}
			if after := e.rows(); fmt.Sprint(after) != fmt.Sprint(before) {
				t.Errorf("%s again: %v -> %v", c.file, before, after)
			}
		}
		if n := e.count("SELECT COUNT(*) FROM computers"); n != 0 {
			t.Errorf("%d computers", n)
		}
	})
}
