package record

import (
	"strings"
	"testing"
	"unicode"
)

// TestExportCellByKind: text is neutralised, numbers are not (a negative number is
// not a formula), whatever the value.
func TestExportCellByKind(t *testing.T) {
	r := &Record{Values: map[string]any{"t": "-5", "n": int64(-5), "d": -2.5, "m": -10.25, "l": "=1+1", "e": "+x@example.org"},
		Display: map[string]string{"r": "@Acme"}}
	for _, c := range []struct {
		f    *Field
		want string
	}{
		{&Field{Name: "t", Kind: Text}, "'-5"},
		{&Field{Name: "l", Kind: LongText}, "'=1+1"},
		{&Field{Name: "e", Kind: Email}, "'+x@example.org"},
		{&Field{Name: "r", Kind: Ref}, "'@Acme"},
		{&Field{Name: "n", Kind: Int}, "-5"},
		{&Field{Name: "d", Kind: Decimal}, "-2.5"},
		{&Field{Name: "m", Kind: Money}, "-10.25"},
	} {
		if got := ExportCell(c.f, r); got != c.want {
			t.Errorf("%s %s: %q, want %q", c.f.Kind, c.f.Name, got, c.want)
		}
	}
	// What import reads of the neutralised cells, and of a number quoted elsewhere.
	for cell, want := range map[string]string{"'-5": "-5", "'=1+1": "=1+1", "''=1": "'=1", "'abc": "'abc", "'": "'", " '\t ": "", "'\t=1 ": "\t=1", " x ": "x"} {
		if got := cellValue(cell); got != want {
			t.Errorf("cell %q reads %q, want %q", cell, got, want)
		}
	}
}

// FuzzCSVCell: a neutralised cell never starts a formula, and import reads back
// the text exported (less the spaces at its end, which import trims).
func FuzzCSVCell(f *testing.F) {
	for _, s := range []string{"", "=1+1", "-5", "@SUM(A1)", "+33", "\t=x", "\r", "'", "'=1", "''+2", " =x", "abc", "\u00a0=x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := NeutraliseCell(s)
		if n != "" && strings.IndexByte(formulaStarts, n[0]) >= 0 {
			t.Fatalf("%q exported as %q", s, n)
		}
		want := strings.TrimSpace(s)
		if n != s {
			want = strings.TrimRightFunc(s, unicode.IsSpace)
		}
		if got := cellValue(n); got != want && (n != s || s == strings.TrimSpace(s)) {
			t.Fatalf("%q exported as %q reads back as %q, want %q", s, n, got, want)
		}
	})
}
