package store

import (
	"fmt"
	"strings"
)

// foldMore are the name columns migration 0028 added to the folded sort (0025
// covered the fleet and the catalogues): the helpdesk's and inventory's named
// settings, the articles' titles and people's names. org: technicians list them
// within their organisations, so an index leads with the organisation too.
var foldMore = []struct {
	table, column string
	org           bool
}{
	{"canned_responses", "name", false},
	{"sla_levels", "name", false},
	{"ticket_templates", "name", false},
	{"inventory_rules", "name", false},
	{"software_rules", "name", false},
	{"kb_articles", "title", true},
	{"users", "lastname", true},
	{"users", "firstname", false},
}

// foldedMore reports whether migration 0028 sorts this column folded.
func foldedMore(table, column string) bool {
	for _, f := range foldMore {
		if f.table == table && f.column == column {
			return true
		}
	}
	return false
}

// foldIndexesMore are migration 0028's statements: the folded indexes of live
// rows for foldMore, as foldIndexes writes those of 0025.
func foldIndexesMore() string {
	var b strings.Builder
	for _, f := range foldMore {
		fmt.Fprintf(&b, "CREATE INDEX %s_live_fold_%s ON %s(%s(%s), id) WHERE deleted_at IS NULL;\n", f.table, f.column, f.table, FoldFunc, f.column)
		if f.org {
			fmt.Fprintf(&b, "CREATE INDEX %s_live_org_fold_%s ON %s(organization_id, %s(%s), id) WHERE deleted_at IS NULL;\n", f.table, f.column, f.table, FoldFunc, f.column)
		}
	}
	return b.String()
}
