package asset

import (
	"fmt"
	"net/netip"
	"regexp"
	"strings"
	"time"

	"parc/internal/record"
)

// SoftwareKey is the catalogue key of a software or publisher name: case, spacing and
// punctuation differences do not make two entries.
func SoftwareKey(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case r == ',' || r == '.' || r == '(' || r == ')':
			continue
		case r == ' ' || r == '\t' || r == '_':
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

func softwareKeys(w *record.Write) error {
	w.New.Values["name_key"] = SoftwareKey(w.New.String("name"))
	w.New.Values["publisher_key"] = SoftwareKey(w.New.String("publisher"))
	if w.Old == nil || w.New.Values["name_key"] != w.Old.Values["name_key"] || w.New.Values["publisher_key"] != w.Old.Values["publisher_key"] {
		var n int
		err := w.Tx.QueryRowContext(w.Ctx, "SELECT COUNT(*) FROM software WHERE name_key = ? AND publisher_key = ? AND id <> ?",
			w.New.Values["name_key"], w.New.Values["publisher_key"], w.New.ID).Scan(&n)
		if err != nil {
			return err
		}
		if n > 0 {
			w.Errors.Add("name", "err.duplicate")
		}
	}
	return nil
}

// checkPatterns validates the regular expressions of dictionary rules.
func checkPatterns(fields ...string) func(w *record.Write) error {
	return func(w *record.Write) error {
		given := false
		for _, f := range fields {
			p := w.New.String(f)
			if p == "" {
				continue
			}
			given = true
			if _, err := regexp.Compile("(?i)" + p); err != nil {
				w.Errors.Add(f, "err.bad_pattern", err.Error())
			}
		}
		if !given {
			w.Errors.Add(fields[0], "err.required")
		}
		act := w.New.String("action")
		if (act == "rename" || act == "set_category") && w.New.String("new_name") == "" {
			w.Errors.Add("new_name", "err.required")
		}
		if act == "set_publisher" && w.New.String("new_publisher") == "" {
			w.Errors.Add("new_publisher", "err.required")
		}
		return nil
	}
}

func checkInventoryRule(w *record.Write) error {
	switch w.New.String("kind") {
	case "match":
		if w.New.String("match_on") == "" {
			w.Errors.Add("match_on", "err.required")
		}
	case "assign":
		if r := w.New.String("ip_range"); r != "" {
			if _, err := netip.ParsePrefix(r); err != nil {
				w.Errors.Add("ip_range", "err.bad_cidr")
			}
		}
		if w.New.String("ip_range") == "" && w.New.String("tag") == "" && w.New.String("domain") == "" {
			w.Errors.Add("ip_range", "err.rule_needs_condition")
		}
	}
	return nil
}

// RefileSetting holds, while the catalogue owes a re-filing through the
// dictionary, a mark of the last rule saved (internal/ingest's re-filing job
// clears it when done).
const RefileSetting = "software.refile_pending"

// markRefile asks for the catalogue to be re-filed once a dictionary rule is
// saved: the job does it in the background, so the save does not wait for it.
func markRefile(w *record.Write) error {
	mark := fmt.Sprintf("%d@%d", w.New.ID, time.Now().UnixNano())
	_, err := w.Tx.ExecContext(w.Ctx, "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", RefileSetting, mark)
	return err
}
