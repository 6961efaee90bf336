package record_test

import (
	"strings"
	"testing"

	"parc/internal/record"
)

// TestErrorText: the text of an error, for logs and the command line, keeps what the
// message's arguments say, not only its key.
func TestErrorText(t *testing.T) {
	err := record.E(record.CodeInvalid, "err.inventory_invalid", "deviceid: missing")
	if got := err.Error(); !strings.Contains(got, "err.inventory_invalid") || !strings.Contains(got, "deviceid: missing") {
		t.Errorf("error text %q", got)
	}
	fe := record.FieldErrors{}
	fe.Add("name", "err.too_long", 255)
	if got := fe.Err().Error(); !strings.Contains(got, "name: err.too_long [255]") {
		t.Errorf("field error text %q", got)
	}
}
