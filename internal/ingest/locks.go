package ingest

import (
	"strings"

	"parc/internal/record"
)

// locks reads a record's locked_fields: the fields a technician locked against
// overwrite by inventory. Every type an inventory writes reads its locks here.
func locks(rec *record.Record) map[string]bool {
	out := map[string]bool{}
	for _, f := range strings.Split(rec.String("locked_fields"), ",") {
		if f = strings.TrimSpace(f); f != "" {
			out[f] = true
		}
	}
	return out
}

// unlocked is in without the fields rec's locks keep.
func unlocked(rec *record.Record, in record.Input) record.Input {
	l := locks(rec)
	for f := range in {
		if l[f] {
			delete(in, f)
		}
	}
	return in
}
