package record

import (
	"database/sql"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// NamingKey is the setting holding a type's naming plan, e.g. "PC-{site}-{####}".
func NamingKey(t *Type) string { return "naming." + t.Name }

var counterToken = regexp.MustCompile(`\{#+\}`)

// Naming plan bounds: a plan is at most a name long, and its counter has at most
// maxCounterWidth digits (an int64 counter never needs more).
const (
	maxNamingPlan   = defaultTextMax
	maxCounterWidth = 18
)

// ValidateNamingPlan checks a plan's length, characters and tokens.
func ValidateNamingPlan(plan string) error {
	if plan == "" {
		return nil
	}
	if n := utf8.RuneCountInString(plan); n > maxNamingPlan {
		return fmt.Errorf("a naming plan has at most %d characters, not %d", maxNamingPlan, n)
	}
	if !utf8.ValidString(plan) || strings.IndexFunc(plan, NotInLine) >= 0 {
		return fmt.Errorf("a naming plan holds no line breaks, tabs, control characters or text-direction overrides")
	}
	counters := counterToken.FindAllString(plan, -1)
	if len(counters) != 1 {
		return fmt.Errorf("a naming plan needs exactly one counter such as {####}")
	}
	if w := len(counters[0]) - 2; w > maxCounterWidth {
		return fmt.Errorf("a counter has at most %d digits, not %d", maxCounterWidth, w)
	}
	rest := counterToken.ReplaceAllString(plan, "")
	for _, tok := range regexp.MustCompile(`\{[^}]*\}`).FindAllString(rest, -1) {
		switch tok {
		case "{site}", "{org}", "{yyyy}", "{yy}":
		default:
			return fmt.Errorf("unknown token %s (known: {site}, {org}, {yyyy}, {yy}, {####})", tok)
		}
	}
	return nil
}

// applyNamingPlan names a new record from its type's plan when no name was given.
func (s *Service) applyNamingPlan(w *Write) error {
	v, err := s.OrgSetting(w.Ctx, w.Tx, NamingKey(w.Type), w.New.OrgID)
	plan := v.Value
	if err != nil || plan == "" {
		return err
	}
	now := s.Now()
	prefix := strings.NewReplacer("{yyyy}", now.Format("2006"), "{yy}", now.Format("06")).Replace(plan)
	if strings.Contains(prefix, "{site}") {
		site, err := s.siteCode(w)
		if err != nil {
			return err
		}
		if site == "" {
			w.Errors.Add("location_id", "err.naming_needs_site")
			return nil
		}
		prefix = strings.ReplaceAll(prefix, "{site}", site)
	}
	if strings.Contains(prefix, "{org}") {
		var code sql.NullString
		var name string
		if err := w.Tx.QueryRowContext(w.Ctx, "SELECT code, name FROM organizations WHERE id = ?", w.New.OrgID).Scan(&code, &name); err != nil {
			return err
		}
		if code.String != "" {
			name = code.String
		}
		prefix = strings.ReplaceAll(prefix, "{org}", name)
	}
	tok := counterToken.FindString(prefix)
	width := len(tok) - 2
	key := w.Type.Name + ":" + prefix
	for i := 0; i < 1000; i++ {
		var n int64
		err := w.Tx.QueryRowContext(w.Ctx, "INSERT INTO counters (key, value) VALUES (?, 1) ON CONFLICT (key) DO UPDATE SET value = counters.value + 1 RETURNING value", key).Scan(&n)
		if err != nil {
			return err
		}
		name := strings.Replace(prefix, tok, fmt.Sprintf("%0*d", width, n), 1)
		// A plan saved before plans were bounded, or long site and organisation
		// codes, must not make a name longer than the field takes.
		if f := w.Type.Field(w.Type.NameField); f != nil {
			max := f.Max
			if max == 0 {
				max = defaultTextMax
			}
			if c := utf8.RuneCountInString(name); c > max {
				w.Errors.Add(w.Type.NameField, "err.naming_too_long", c, max)
				return nil
			}
		}
		q := "SELECT COUNT(*) FROM " + w.Type.Table + " WHERE " + w.Type.NameField + " = ? AND deleted_at IS NULL"
		args := []any{name}
		if w.Type.Scope == OrgScoped {
			q += " AND organization_id = ?"
			args = append(args, w.New.OrgID)
		}
		var taken int
		if err := w.Tx.QueryRowContext(w.Ctx, q, args...).Scan(&taken); err != nil {
			return err
		}
		if taken == 0 {
			w.New.Values[w.Type.NameField] = name
			return nil
		}
	}
	return fmt.Errorf("naming plan %q: no free name found", plan)
}

// siteCode walks up from the record's location to the site it is in and gives the
// site's code (or name).
func (s *Service) siteCode(w *Write) (string, error) {
	id, _ := w.New.Values["location_id"].(int64)
	last := ""
	for depth := 0; id != 0 && depth < 16; depth++ {
		var parent sql.NullInt64
		var kind, name string
		var code sql.NullString
		err := w.Tx.QueryRowContext(w.Ctx, "SELECT parent_id, kind, name, code FROM locations WHERE id = ?", id).Scan(&parent, &kind, &name, &code)
		if err == sql.ErrNoRows {
			break
		}
		if err != nil {
			return "", err
		}
		last = name
		if code.String != "" {
			last = code.String
		}
		if kind == "site" {
			return last, nil
		}
		id = parent.Int64
	}
	return last, nil
}
