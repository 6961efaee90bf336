package record_test

import (
	"strings"
	"testing"

	"parc/internal/i18n"
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

// TestErrorRender: an error reads in the user's language with each field's label,
// never its internal name, fields in the type's order then the others by name, the
// same every time (they are kept in a map).
func TestErrorRender(t *testing.T) {
	typ := &record.Type{Name: "widgets", Table: "widgets", NameField: "name", Fields: []*record.Field{
		{Name: "serial", Kind: record.Text},
		{Name: "name", Kind: record.Text},
		{Name: "state_id", Kind: record.Text, Label: "field.state_id"},
	}}
	record.MustRegistry(typ)
	cat := i18n.MustLoad()
	fe := record.FieldErrors{}
	fe.Add("zz_extra", "err.required")
	fe.Add("state_id", "err.required")
	fe.Add("organization_id", "err.required")
	fe.Add("name", "err.too_long", 10)
	fe.Add("serial", "err.required")
	e, _ := record.AsError(fe.Err())

	want := []string{
		"N° de série : Obligatoire.",
		"Nom : 10 caractères au maximum.",
		"Statut : Obligatoire.",
		"Organisation : Obligatoire.",
		"zz_extra : Obligatoire.", // no label anywhere: the name is all there is
	}
	for range 20 {
		got := e.Render(cat, "fr", typ)
		if got.Message != "Certaines valeurs ne sont pas valides." || strings.Join(got.Lines(), "|") != strings.Join(want, "|") {
			t.Fatalf("fr: %q %q", got.Message, got.Lines())
		}
		if got.Fields[1].Field != "name" || got.Fields[1].Label != "Nom" || got.Fields[1].Text != "10 caractères au maximum." {
			t.Fatalf("field: %+v", got.Fields[1])
		}
	}
	// Without the type: the catalogue's labels, by name.
	if got := e.Render(cat, "en", nil).String(); got != "Some values are not valid.; Name: At most 10 characters.; Organisation: Required.; Serial number: Required.; State: Required.; zz_extra: Required." {
		t.Errorf("en: %q", got)
	}
	if got := e.Render(cat, "en", nil).ByField(); got["name"] != "At most 10 characters." || len(got) != 5 {
		t.Errorf("by field: %q", got)
	}
	// The untranslated text, for logs, is in a stable order too.
	for range 20 {
		if got := e.Error(); got != "invalid: err.invalid; name: err.too_long [10]; organization_id: err.required []; serial: err.required []; state_id: err.required []; zz_extra: err.required []" {
			t.Fatalf("log text %q", got)
		}
	}
}

// TestHTTPStatus: one table from error codes to HTTP statuses, the one docs/api.md
// lists; validation is 422, anything unexpected 500.
func TestHTTPStatus(t *testing.T) {
	for code, want := range map[record.Code]int{
		record.CodeUnauthorized: 401, record.CodeForbidden: 403, record.CodeNotFound: 404, record.CodeConflict: 409,
		record.CodeTooLarge: 413, record.CodeInvalid: 422, record.CodeRateLimited: 429, "internal": 500, "": 500,
	} {
		if got := code.HTTPStatus(); got != want {
			t.Errorf("%q: %d, want %d", code, got, want)
		}
	}
}
