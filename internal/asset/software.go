package asset

import (
	"strings"

	"parc/internal/record"
	"parc/internal/softver"
)

// softwareFilter selects computers by installed software. The value is a software
// name, optionally with "@version": software:eq:firefox (installed, any version),
// software:lt:openssl@3.0.13 (installed below that version), software:contains:office,
// software:ne:teamviewer (not installed), software:empty: (no software at all).
func softwareFilter(op record.Op, value string) (string, []any, *record.Msg) {
	name, version, hasVersion := strings.Cut(value, "@")
	name = strings.TrimSpace(name)
	const in = "id IN (SELECT i.computer_id FROM software_installations i JOIN software s ON s.id = i.software_id WHERE "
	bad := &record.Msg{Key: "err.bad_software_filter"}
	switch op {
	case record.OpEmpty:
		return "id NOT IN (SELECT computer_id FROM software_installations)", nil, nil
	case record.OpNotEmpty:
		return "id IN (SELECT computer_id FROM software_installations)", nil, nil
	}
	if name == "" {
		return "", nil, bad
	}
	switch op {
	case record.OpEq:
		if hasVersion {
			return in + "s.name_key = ? AND i.version = ?)", []any{SoftwareKey(name), strings.TrimSpace(version)}, nil
		}
		return in + "s.name_key = ?)", []any{SoftwareKey(name)}, nil
	case record.OpNe:
		return "id NOT IN (SELECT i.computer_id FROM software_installations i JOIN software s ON s.id = i.software_id WHERE s.name_key = ?)", []any{SoftwareKey(name)}, nil
	case record.OpContains, record.OpStarts:
		pat := SoftwareKey(name) + "%"
		if op == record.OpContains {
			pat = "%" + pat
		}
		return in + "s.name_key LIKE ?)", []any{pat}, nil
	case record.OpLt, record.OpLte, record.OpGt, record.OpGte:
		if !hasVersion || strings.TrimSpace(version) == "" {
			return "", nil, bad
		}
		cmp := map[record.Op]string{record.OpLt: "<", record.OpLte: "<=", record.OpGt: ">", record.OpGte: ">="}[op]
		return in + "s.name_key = ? AND i.version_key " + cmp + " ?)", []any{SoftwareKey(name), softver.Key(version)}, nil
	}
	return "", nil, bad
}
