// Package search is parc's full-text search over tickets, follow-ups and
// knowledge-base articles: French and English stemming done in Go for both stores,
// ranked matching by the store (SQLite FTS5, PostgreSQL text search), highlighted
// excerpts, and the same permissions as the lists. See docs/search.md.
package search

import (
	"context"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"parc/internal/kb"
	"parc/internal/record"
	"parc/internal/store"
)

// Params is one search request.
type Params struct {
	Q     string
	Types []string // searched kinds; empty: all
	Limit int
	// AsYouType lets the last word be unfinished (suggestions while typing).
	AsYouType bool
	// PublishedOnly keeps drafts out (suggestions).
	PublishedOnly bool
}

// ParseParams reads q, types (comma separated) and limit.
func ParseParams(v url.Values) (Params, error) {
	p := Params{Q: v.Get("q"), Limit: DefaultLimit}
	fe := record.FieldErrors{}
	if strings.TrimSpace(p.Q) == "" {
		fe.Add("q", "err.search_empty")
	}
	for _, t := range strings.Split(v.Get("types"), ",") {
		if t = strings.TrimSpace(t); t == "" {
			continue
		}
		if _, ok := sources[t]; !ok {
			fe.Add("types", "err.search_bad_type", t, strings.Join(Kinds, ", "))
			continue
		}
		p.Types = append(p.Types, t)
	}
	if l := v.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > MaxLimit {
			fe.Add("limit", "err.search_bad_limit", MaxLimit)
		}
		p.Limit = n
	}
	return p, fe.Err()
}

// Hit is one result. Title and excerpt come twice: as text, and as HTML escaped
// with the matching words in <mark>.
type Hit struct {
	Type      string  `json:"type"`
	ID        int64   `json:"id"`
	TicketID  int64   `json:"ticket_id,omitempty"`
	OrgID     int64   `json:"organization_id"`
	Title     string  `json:"title"`
	TitleHTML string  `json:"title_html"`
	Excerpt   string  `json:"excerpt_html"`
	Score     float64 `json:"score"`
	URL       string  `json:"url"`
}

// Service runs searches.
type Service struct {
	Rec *record.Service
}

// NewService makes the search service over the record service.
func NewService(rec *record.Service) *Service { return &Service{Rec: rec} }

// Search finds what the actor may read, best first. Nothing tells how many records
// matched outside what is returned.
func (s *Service) Search(ctx context.Context, a *record.Actor, p Params) ([]Hit, error) {
	q, err := ParseQuery(p.Q, p.AsYouType)
	if err != nil {
		return nil, err
	}
	kinds := p.Types
	if len(kinds) == 0 {
		kinds = Kinds
	}
	if p.Limit <= 0 || p.Limit > MaxLimit {
		p.Limit = DefaultLimit
	}
	hits := []Hit{}
	for _, kind := range kinds {
		b, ok := s.branch(a, kind, p)
		if !ok {
			continue
		}
		found, err := s.run(ctx, q, kind, b, p.Limit)
		if err != nil {
			return nil, err
		}
		hits = append(hits, found...)
	}
	order := map[string]int{}
	for i, k := range Kinds {
		order[k] = i
	}
	sort.SliceStable(hits, func(i, j int) bool {
		x, y := hits[i], hits[j]
		if x.Score != y.Score {
			return x.Score > y.Score
		}
		if x.Type != y.Type {
			return order[x.Type] < order[y.Type]
		}
		return x.ID > y.ID
	})
	if len(hits) > p.Limit {
		hits = hits[:p.Limit]
	}
	return hits, nil
}

// branch is the part of the query proper to one kind: the columns it returns (id,
// ticket id, organisation, title, body), its joins and its permission condition.
type branch struct {
	cols, join, where string
	args              []any
}

func (s *Service) branch(a *record.Actor, kind string, p Params) (branch, bool) {
	reg := s.Rec.Reg
	switch kind {
	case "tickets", "ticket-followups":
		tickets, ok := scopeSQL(a, a.Scope(reg.MustType("tickets"), record.Read), "tk.", "tk.user_id")
		if !ok {
			return branch{}, false
		}
		if kind == "tickets" {
			return branch{cols: "tk.id, tk.id, tk.organization_id, tk.title, COALESCE(tk.description, '')",
				join: "JOIN tickets tk ON tk.id = d.record_id", where: "tk.deleted_at IS NULL AND " + tickets.cond, args: tickets.args}, true
		}
		// Helpdesk's rule: whoever sees the ticket sees its public follow-ups; private
		// ones need a full right to read follow-ups in the ticket's organisation.
		private := "f.private = FALSE"
		if fs := a.Scope(reg.MustType("ticket-followups"), record.Read); fs.All {
			private = "1=1"
		} else if len(fs.IDs) > 0 {
			private = "(f.private = FALSE OR tk.organization_id IN (" + ints(fs.IDs) + "))"
		}
		return branch{cols: "f.id, f.ticket_id, tk.organization_id, tk.title, f.content",
			join:  "JOIN ticket_followups f ON f.id = d.record_id JOIN tickets tk ON tk.id = f.ticket_id",
			where: "f.deleted_at IS NULL AND tk.deleted_at IS NULL AND " + tickets.cond + " AND " + private, args: tickets.args}, true
	case "kb-articles":
		au := kb.AudienceOf(a)
		if au.Empty() {
			return branch{}, false
		}
		where := "k.deleted_at IS NULL AND " + au.SQL("k.")
		if p.PublishedOnly {
			where += " AND k.published = TRUE"
		}
		return branch{cols: "k.id, 0, k.organization_id, k.title, COALESCE(k.body, '')",
			join: "JOIN kb_articles k ON k.id = d.record_id", where: where}, true
	}
	return branch{}, false
}

// run matches and ranks one kind in the store, then highlights the best rows.
// Both stores score higher-is-better; title terms weigh more than body terms.
func (s *Service) run(ctx context.Context, q *Query, kind string, b branch, limit int) ([]Hit, error) {
	var sqlText, match string
	if s.Rec.DB.Dialect == store.Postgres {
		match = q.TSQuery()
		sqlText = "SELECT " + b.cols + ", ts_rank(d.tsv, q) AS score FROM to_tsquery('simple', ?) q, search_docs d " + b.join +
			" WHERE d.tsv @@ q AND d.kind = ? AND " + b.where + " ORDER BY score DESC, d.record_id DESC LIMIT ?"
	} else {
		match = q.FTS5()
		sqlText = "SELECT " + b.cols + ", -bm25(search_fts, 10.0, 1.0) AS score FROM search_fts JOIN search_docs d ON d.id = search_fts.rowid " + b.join +
			" WHERE search_fts MATCH ? AND d.kind = ? AND " + b.where + " ORDER BY score DESC, d.record_id DESC LIMIT ?"
	}
	args := append(append([]any{match, kind}, b.args...), limit)
	rows, err := s.Rec.DB.R.QueryContext(ctx, s.Rec.DB.Rebind(sqlText), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Hit
	for rows.Next() {
		h := Hit{Type: kind}
		var body string
		if err := rows.Scan(&h.ID, &h.TicketID, &h.OrgID, &h.Title, &body, &h.Score); err != nil {
			return nil, err
		}
		if kind == "kb-articles" {
			body = kb.PlainText(body)
			h.URL = "/kb-articles/" + strconv.FormatInt(h.ID, 10)
		} else {
			h.URL = "/tickets/" + strconv.FormatInt(h.TicketID, 10)
		}
		h.TitleHTML = q.Highlight(h.Title)
		h.Excerpt = q.Excerpt(body)
		out = append(out, h)
	}
	return out, rows.Err()
}

type cond struct {
	cond string
	args []any
}

// scopeSQL is an organisation scope as a condition on an aliased table, as the
// record framework builds it for lists ("own records" key on owner).
func scopeSQL(a *record.Actor, sc record.OrgScope, p, owner string) (cond, bool) {
	if sc.All {
		return cond{cond: "1=1"}, true
	}
	if sc.Empty() {
		return cond{}, false
	}
	var or []string
	var args []any
	if len(sc.IDs) > 0 {
		or = append(or, p+"organization_id IN ("+ints(sc.IDs)+")")
	}
	if len(sc.OwnIDs) > 0 {
		or = append(or, "("+p+"organization_id IN ("+ints(sc.OwnIDs)+") AND "+owner+" = ?)")
		args = append(args, a.UserID)
	}
	return cond{cond: "(" + strings.Join(or, " OR ") + ")", args: args}, true
}

func ints(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, ",")
}
