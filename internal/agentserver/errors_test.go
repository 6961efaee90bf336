package agentserver

import (
	"testing"

	"parc/internal/inventory/inventorytest"
	"parc/internal/record"
)

// TestIngestFieldErrors: an inventory refused for its values is a 400, as in the
// agent protocols every refused document is, and its reply names the fields by
// their labels, in the same order every time.
func TestIngestFieldErrors(t *testing.T) {
	f, e := newFake(t, Options{})
	doc := inventorytest.Read(t, "glpi-inventory-format/fusion-4.xml")
	fe := record.FieldErrors{}
	fe.Add("serial", "err.required")
	fe.Add("name", "err.too_long", 255)
	f.err = fe.Err()
	want := "<REPLY><ERROR>Some values are not valid.; Name: At most 255 characters.; Serial number: Required.</ERROR></REPLY>"
	for range 10 {
		if r := e.fusion(PathGLPI, doc); r.Status != 400 || r.Body != want {
			t.Fatalf("invalid: %d %q", r.Status, r.Body)
		}
	}
}
