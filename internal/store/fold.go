package store

import (
	"database/sql/driver"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/unicode/norm"
	"modernc.org/sqlite"
)

// Names are sorted as people read them, ignoring case and accents ("adduser"
// before "Zoom", "Éditeur" among the E): lists sort such a column on
// parc_fold(name), an SQL function both stores have, and an expression index on
// parc_fold(name), id keeps keyset pages on an index (migration 0025). The store
// maintains the key itself: the index is updated with the row, by whatever writes
// it (the record framework, inventory, raw SQL). On SQLite the function is this
// package's Go code, registered with the driver; on PostgreSQL it is an IMMUTABLE
// SQL function (translate, then lower) generated from the same table of letters.
// Both agree on Latin letters; lower() of other scripts follows PostgreSQL's
// locale there.

// FoldFunc is the SQL function name.
const FoldFunc = "parc_fold"

// foldTables are the tables whose name column sorts folded. Record lists ask
// FoldedSort; migration 0025 creates the indexes from this list.
var foldTables = []string{"computers", "monitors", "network_equipment", "printers", "phones", "peripherals",
	"software", "locations", "manufacturers", "models", "asset_types", "states", "suppliers", "organizations",
	"ticket_categories", "kb_categories", "calendars", "slas", "groups", "profiles"}

// foldOrgTables also get an index leading with the organisation: technicians'
// lists of large tables run inside their organisations.
var foldOrgTables = []string{"computers", "monitors", "network_equipment", "printers", "phones", "peripherals"}

// FoldedSort reports whether lists sort this column of the table on its folded
// form.
func FoldedSort(table, column string) bool {
	return column == "name" && slices.Contains(foldTables, table) || foldedMore(table, column)
}

// foldLetters maps each accented Latin letter (U+00C0 to U+024F) to its letters
// without marks, plus the ligatures French writes.
var foldLetters = sync.OnceValue(func() map[rune]string {
	m := map[rune]string{'Œ': "OE", 'œ': "oe", 'Æ': "AE", 'æ': "ae", 'ß': "ss"}
	for r := rune(0xC0); r <= 0x24F; r++ {
		d := []rune(norm.NFD.String(string(r)))
		if len(d) < 2 || !unicode.IsLetter(d[0]) || d[0] > unicode.MaxASCII {
			continue
		}
		marks := true
		for _, x := range d[1:] {
			marks = marks && unicode.Is(unicode.Mn, x)
		}
		if marks {
			m[r] = string(d[0])
		}
	}
	return m
})

// Fold is a name's sort key: accents and ligatures removed, then lower case.
func Fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(s)
	}
	m := foldLetters()
	var b strings.Builder
	for _, r := range s {
		if x, ok := m[r]; ok {
			b.WriteString(x)
		} else {
			b.WriteRune(r)
		}
	}
	return strings.ToLower(b.String())
}

// registerFold gives SQLite connections parc_fold. The driver keeps functions
// for every connection opened after, process-wide, so it is done once.
var registerFold = sync.OnceValue(func() error {
	return sqlite.RegisterDeterministicScalarFunction(FoldFunc, 1, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		switch v := args[0].(type) {
		case string:
			return Fold(v), nil
		case []byte:
			return Fold(string(v)), nil
		case nil:
			return nil, nil
		default:
			return Fold(fmt.Sprint(v)), nil
		}
	})
})

// foldFunctionSQL is PostgreSQL's parc_fold: the ligatures replaced, the
// accented letters translated, then lower case. IMMUTABLE and plain SQL, so that
// indexes may use it and the planner inlines it.
func foldFunctionSQL() string {
	m := foldLetters()
	var from, to strings.Builder
	expr := "s"
	keys := make([]rune, 0, len(m))
	for r := range m {
		keys = append(keys, r)
	}
	slices.Sort(keys)
	for _, r := range keys {
		if x := m[r]; len(x) == 1 {
			from.WriteRune(r)
			to.WriteString(x)
		} else {
			expr = "replace(" + expr + ", '" + string(r) + "', '" + x + "')"
		}
	}
	return "CREATE OR REPLACE FUNCTION " + FoldFunc + "(s text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT lower(translate(" +
		expr + ", '" + from.String() + "', '" + to.String() + "')) $$;"
}

// foldIndexes are migration 0025's statements: the function on PostgreSQL,
// and the folded name indexes of live rows.
func foldIndexes(pg bool) string {
	var b strings.Builder
	if pg {
		b.WriteString(foldFunctionSQL() + "\n")
	}
	for _, t := range foldTables {
		fmt.Fprintf(&b, "CREATE INDEX %s_live_fold_name ON %s(%s(name), id) WHERE deleted_at IS NULL;\n", t, t, FoldFunc)
	}
	for _, t := range foldOrgTables {
		fmt.Fprintf(&b, "CREATE INDEX %s_live_org_fold_name ON %s(organization_id, %s(name), id) WHERE deleted_at IS NULL;\n", t, t, FoldFunc)
	}
	return b.String()
}
