package contract

import (
	"context"
	"database/sql"
	"sort"
	"strconv"
	"time"

	"parc/internal/record"
	"parc/internal/store"
)

// Service is the contracts' use cases: what covers an asset now, a contract's
// yearly cost, hours used and response times, its alerts and tacit renewals.
type Service struct {
	Rec *record.Service
	// Loc is the time zone "today" is counted in.
	Loc *time.Location
}

// NewService makes the service over the record service (store, registry, clock).
func NewService(rec *record.Service) *Service { return &Service{Rec: rec, Loc: time.Local} }

func (s *Service) contracts() *record.Type { return s.Rec.Reg.MustType("contracts") }

// Today is the current day in the service's time zone.
func (s *Service) Today() time.Time { return Today(s.Rec.Now(), s.Loc) }

// ActiveOn reports whether a live contract covers day: started, not ended.
func ActiveOn(ct *record.Record, day time.Time) bool {
	if ct.DeletedAt != nil {
		return false
	}
	start, ok1 := parseDay(ct.String("start_date"))
	end, ok2 := parseDay(ct.String("end_date"))
	return ok1 && ok2 && !day.Before(start) && !day.After(end)
}

// Cover is one contract covering an asset, as the asset's and tickets' pages
// show it.
type Cover struct {
	LinkID     int64  `json:"link_id"`
	ContractID int64  `json:"contract_id"`
	Label      string `json:"label"`
	Kind       string `json:"kind"`
	Start      string `json:"start_date"`
	End        string `json:"end_date"`
	Active     bool   `json:"covered_now"` // covers today
	// Response and repair commitments in hours (0: none said).
	ResponseHours int64  `json:"response_hours"`
	RepairHours   int64  `json:"repair_hours"`
	Coverage      string `json:"coverage"`
	Supplier      string `json:"supplier"`
}

// AssetCoverage is an asset's contracts as the API gives them.
type AssetCoverage struct {
	CoveredNow bool    `json:"covered_now"`
	Data       []Cover `json:"data"`
}

// OfAsset reads the contracts covering an asset the actor reads (not found
// otherwise).
func (s *Service) OfAsset(ctx context.Context, a *record.Actor, itemType string, itemID int64) (*AssetCoverage, error) {
	t, ok := s.Rec.Reg.Type(itemType)
	if !ok {
		return nil, record.ErrNotFound()
	}
	if _, err := s.Rec.Get(ctx, a, t, itemID); err != nil {
		return nil, err
	}
	cs, err := s.Coverage(ctx, a, itemType, itemID)
	if err != nil {
		return nil, err
	}
	out := &AssetCoverage{Data: cs}
	if out.Data == nil {
		out.Data = []Cover{}
	}
	for _, c := range cs {
		out.CoveredNow = out.CoveredNow || c.Active
	}
	return out, nil
}

// Coverage lists the contracts the actor reads that cover an asset, those in
// force today first.
func (s *Service) Coverage(ctx context.Context, a *record.Actor, itemType string, itemID int64) ([]Cover, error) {
	t := s.contracts()
	sc, args, ok := s.Rec.ScopeSQL(a, t, record.Read)
	if !ok {
		return nil, nil
	}
	q := `SELECT l.id, c.id, ` + t.LabelExpr() + `, c.kind, c.start_date, c.end_date, COALESCE(c.response_hours, 0), COALESCE(c.repair_hours, 0),
		COALESCE(c.coverage, ''), COALESCE((SELECT name FROM suppliers WHERE id = c.supplier_id), '')
		FROM contract_assets l JOIN contracts c ON c.id = l.contract_id
		WHERE l.item_type = ? AND l.item_id = ? AND l.deleted_at IS NULL AND c.deleted_at IS NULL AND ` + qualify(sc, "c") + `
		ORDER BY c.end_date DESC, c.id LIMIT 100`
	rows, err := s.Rec.DB.QueryContext(ctx, q, append([]any{itemType, itemID}, args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	today := s.Today()
	var out []Cover
	for rows.Next() {
		var c Cover
		var start, end any
		if err := rows.Scan(&c.LinkID, &c.ContractID, &c.Label, &c.Kind, &start, &end, &c.ResponseHours, &c.RepairHours, &c.Coverage, &c.Supplier); err != nil {
			return nil, err
		}
		c.Start, c.End = dateText(start), dateText(end)
		sd, ok1 := parseDay(c.Start)
		ed, ok2 := parseDay(c.End)
		c.Active = ok1 && ok2 && !today.Before(sd) && !today.After(ed)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Active && !out[j].Active })
	return out, nil
}

// CoveredNow reports whether a contract the actor reads covers the asset today.
func (s *Service) CoveredNow(ctx context.Context, a *record.Actor, itemType string, itemID int64) (bool, error) {
	cs, err := s.Coverage(ctx, a, itemType, itemID)
	if err != nil {
		return false, err
	}
	for _, c := range cs {
		if c.Active {
			return true, nil
		}
	}
	return false, nil
}

var dateField = &record.Field{Name: "d", Kind: record.Date}

func dateText(v any) string { return record.Format(dateField.FromDB(v)) }

// qualify prefixes the scope's bare organization_id with a table alias.
func qualify(scope, alias string) string {
	return "(" + replaceWord(scope, "organization_id", alias+".organization_id") + ")"
}

func replaceWord(s, word, with string) string {
	out := []byte{}
	for i := 0; i < len(s); {
		if i+len(word) <= len(s) && s[i:i+len(word)] == word && (i == 0 || !isIdent(s[i-1])) && (i+len(word) == len(s) || !isIdent(s[i+len(word)])) {
			out = append(out, with...)
			i += len(word)
			continue
		}
		out = append(out, s[i])
		i++
	}
	return string(out)
}

func isIdent(b byte) bool {
	return b == '_' || b == '.' || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
}

// CostPerYear is what a contract costs in a year: its cost times its periods.
func CostPerYear(ct *record.Record) (float64, bool) {
	v, ok := ct.Values["cost"].(float64)
	if !ok {
		return 0, false
	}
	n := Periods[ct.String("cost_period")]
	if n == 0 {
		n = 1
	}
	return v * float64(n), true
}

// HoursUsed is the time spent, in minutes, in the live tasks of the live tickets
// of a client service contract's organisation (and its sub-organisations), done
// within the contract's current period (from its start, or its last renewal, to
// its end).
func (s *Service) HoursUsed(ctx context.Context, ct *record.Record) (int64, error) {
	from, to, ok := Period(ct)
	if !ok {
		return 0, nil
	}
	tree, err := record.LoadOrgTree(ctx, s.Rec.DB)
	if err != nil {
		return 0, err
	}
	var orgs []any
	for _, o := range tree.Orgs() {
		if tree.IsAncestorOrSelf(ct.OrgID, o.ID) {
			orgs = append(orgs, o.ID)
		}
	}
	if len(orgs) == 0 {
		return 0, nil
	}
	var total int64
	err = s.Rec.DB.QueryRowContext(ctx, `SELECT COALESCE(SUM(k.duration_minutes), 0) FROM ticket_tasks k JOIN tickets t ON t.id = k.ticket_id
		WHERE k.deleted_at IS NULL AND t.deleted_at IS NULL AND t.organization_id IN (`+store.Placeholders(len(orgs))+`)
		AND COALESCE(k.planned_start, k.created_at) >= ? AND COALESCE(k.planned_start, k.created_at) < ?`,
		append(orgs, from, to.AddDate(0, 0, 1))...).Scan(&total)
	return total, err
}

// Period is a contract's current period: from its start or last renewal to its
// end, as times at midnight UTC (to is the last day).
func Period(ct *record.Record) (from, to time.Time, ok bool) {
	start, ok1 := parseDay(ct.String("start_date"))
	end, ok2 := parseDay(ct.String("end_date"))
	if !ok1 || !ok2 {
		return time.Time{}, time.Time{}, false
	}
	from = start
	if n := ct.Int("renewals"); n > 0 {
		from = addMonths(start, int(ct.Int("duration_months")*n))
	}
	return from, end, true
}

// Response compares a contract's response commitment with what happened: the
// tickets about its covered assets opened within its current period, and the
// average time to their first taking (those taken).
type Response struct {
	Tickets, Taken int
	Average        time.Duration
	Late           int // taken after the commitment
}

// Responses reads the response times of the tickets on a contract's covered
// assets (the first 1,000 of the period).
func (s *Service) Responses(ctx context.Context, ct *record.Record) (*Response, error) {
	from, to, ok := Period(ct)
	if !ok {
		return &Response{}, nil
	}
	rows, err := s.Rec.DB.QueryContext(ctx, `SELECT t.created_at, t.taken_at FROM tickets t
		WHERE t.deleted_at IS NULL AND t.created_at >= ? AND t.created_at < ? AND t.id IN (
			SELECT i.ticket_id FROM ticket_items i JOIN contract_assets l ON l.item_type = i.item_type AND l.item_id = i.item_id
			WHERE l.contract_id = ? AND l.deleted_at IS NULL AND i.deleted_at IS NULL)
		ORDER BY t.id LIMIT 1000`, from, to.AddDate(0, 0, 1), ct.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	r := &Response{}
	var sum time.Duration
	limit := time.Duration(ct.Int("response_hours")) * time.Hour
	for rows.Next() {
		var created, taken any
		if err := rows.Scan(&created, &taken); err != nil {
			return nil, err
		}
		r.Tickets++
		c, ok1 := tsField.FromDB(created).(time.Time)
		t, ok2 := tsField.FromDB(taken).(time.Time)
		if !ok1 || !ok2 {
			continue
		}
		d := t.Sub(c)
		r.Taken++
		sum += d
		if limit > 0 && d > limit {
			r.Late++
		}
	}
	if r.Taken > 0 {
		r.Average = sum / time.Duration(r.Taken)
	}
	return r, rows.Err()
}

var tsField = &record.Field{Name: "at", Kind: record.DateTime}

// Covered is one asset a contract covers, as its page lists it.
type Covered struct {
	LinkID   int64
	ItemType string
	ItemID   int64
	Label    string
	Readable bool // the actor reads the asset (else its label is not shown)
}

// CoveredAssets lists the assets a contract covers (the first limit), with their
// names where the actor reads them; more tells whether there are others.
func (s *Service) CoveredAssets(ctx context.Context, a *record.Actor, ct *record.Record, limit int) (out []Covered, more bool, err error) {
	rows, err := s.Rec.DB.QueryContext(ctx, "SELECT id, item_type, item_id FROM contract_assets WHERE contract_id = ? AND deleted_at IS NULL ORDER BY item_type, item_id LIMIT ?", ct.ID, limit+1)
	if err != nil {
		return nil, false, err
	}
	for rows.Next() {
		var c Covered
		if err := rows.Scan(&c.LinkID, &c.ItemType, &c.ItemID); err != nil {
			rows.Close()
			return nil, false, err
		}
		out = append(out, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, false, err
	}
	if len(out) > limit {
		out, more = out[:limit], true
	}
	byType := map[string][]int{}
	for i, c := range out {
		byType[c.ItemType] = append(byType[c.ItemType], i)
	}
	for typ, idx := range byType {
		t, ok := s.Rec.Reg.Type(typ)
		if !ok {
			continue
		}
		sc, sargs, ok := s.Rec.ScopeSQL(a, t, record.Read)
		if !ok {
			continue
		}
		ids := make([]any, len(idx))
		for i, k := range idx {
			ids[i] = out[k].ItemID
		}
		rows, err := s.Rec.DB.QueryContext(ctx, "SELECT id, "+t.LabelExpr()+" FROM "+t.Table+" WHERE deleted_at IS NULL AND id IN ("+store.Placeholders(len(ids))+") AND "+sc,
			append(ids, sargs...)...)
		if err != nil {
			return nil, false, err
		}
		names := map[int64]string{}
		for rows.Next() {
			var id int64
			var name sql.NullString
			if err := rows.Scan(&id, &name); err != nil {
				rows.Close()
				return nil, false, err
			}
			names[id] = name.String
		}
		rows.Close()
		for _, k := range idx {
			if n, ok := names[out[k].ItemID]; ok {
				out[k].Label, out[k].Readable = n, true
			}
		}
	}
	return out, more, nil
}

// Cover adds an asset to a contract (the link's rules: contract-assets hooks).
func (s *Service) Cover(ctx context.Context, a *record.Actor, contractID int64, itemType string, itemID int64) (*record.Record, error) {
	return s.Rec.Create(ctx, a, s.Rec.Reg.MustType("contract-assets"), record.Input{"contract_id": contractID, "item_type": itemType, "item_id": itemID})
}

// Uncover removes a covered asset from its contract; the link must be one of
// contractID's.
func (s *Service) Uncover(ctx context.Context, a *record.Actor, contractID, linkID int64) error {
	t := s.Rec.Reg.MustType("contract-assets")
	l, err := s.Rec.Get(ctx, a, t, linkID)
	if err != nil {
		return err
	}
	if l.Int("contract_id") != contractID {
		return record.ErrNotFound()
	}
	return s.Rec.Trash(ctx, a, t, linkID)
}

// ContractsFor lists the live contracts of an organisation and those above it
// that the actor may change, for the asset page's "add to a contract" choice.
func (s *Service) ContractsFor(ctx context.Context, a *record.Actor, org int64) ([]Choice, error) {
	t := s.contracts()
	sc, args, ok := s.Rec.ScopeSQL(a, s.Rec.Reg.MustType("contract-assets"), record.Create)
	if !ok {
		return nil, nil
	}
	rows, err := s.Rec.DB.QueryContext(ctx, "SELECT id, organization_id, "+t.LabelExpr()+" FROM contracts WHERE deleted_at IS NULL AND end_date >= ? AND "+sc+" ORDER BY name, id LIMIT 500",
		append([]any{s.Today().Format(DateLayout)}, args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	tree := a.Tree
	var out []Choice
	for rows.Next() {
		var c Choice
		var corg int64
		if err := rows.Scan(&c.ID, &corg, &c.Label); err != nil {
			return nil, err
		}
		if tree.IsAncestorOrSelf(corg, org) || tree.IsAncestorOrSelf(org, corg) {
			out = append(out, c)
		}
	}
	return out, rows.Err()
}

// Choice is a contract offered by a form.
type Choice struct {
	ID    int64
	Label string
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
