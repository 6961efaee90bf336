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
	// AnyWord matches documents holding any of the words, those holding more
	// ranked first (suggestions: "mot de passe oublié" finds the password article
	// that does not say "oublié").
	AnyWord bool
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
	r, err := s.Find(ctx, a, p)
	return r.Hits, err
}

// Result is one answer: the hits, and whether the bounds of the ranking cut it
// (see Bounds in docs/search.md).
type Result struct {
	Hits []Hit
	// Partial: more documents matched than were ranked (only the most recent
	// ones were), or the best candidates held too few the caller may read.
	Partial bool
}

// Bounds of the ranking. Scoring is the cost of a search (bm25 or ts_rank for
// each matching document), so a word found in tens of thousands of documents is
// ranked over a bounded set. Variables so that tests can make them tiny.
var (
	// recentMatches: SQLite ranks only the most recent this many matches
	// (highest index ids); PostgreSQL reads no further range of ids once this
	// many matches were read.
	recentMatches = 10000
	// candidates: the best this many of the ranked documents are checked against
	// the caller's rights, window by window, until the page is full.
	candidates = 2000
	window     = 200
	// narrowTickets: a caller who reads at most this many tickets (a requester)
	// is searched within them, exactly and without the bounds above; so are the
	// articles, which are few.
	narrowTickets = 2000
)

// Find is Search with the partial flag.
func (s *Service) Find(ctx context.Context, a *record.Actor, p Params) (Result, error) {
	res := Result{Hits: []Hit{}}
	q, err := ParseQuery(p.Q, p.AsYouType)
	if err != nil {
		return res, err
	}
	q.anyWord = p.AnyWord
	kinds := p.Types
	if len(kinds) == 0 {
		kinds = Kinds
	}
	if p.Limit <= 0 || p.Limit > MaxLimit {
		p.Limit = DefaultLimit
	}
	var wide []kindBranch
	fewTickets := -1 // unknown yet
	for _, kind := range kinds {
		b, ok := s.branch(a, kind, p)
		if !ok {
			continue
		}
		narrow := kind == "kb-articles"
		if !narrow && !b.all {
			if fewTickets < 0 {
				if fewTickets, err = s.fewTickets(ctx, b.tickets); err != nil {
					return res, err
				}
			}
			narrow = fewTickets == 1
		}
		if !narrow {
			wide = append(wide, kindBranch{kind, b})
			continue
		}
		found, err := s.narrow(ctx, q, kind, b, p.Limit)
		if err != nil {
			return res, err
		}
		res.Hits = append(res.Hits, found...)
	}
	if len(wide) > 0 {
		found, partial, err := s.wide(ctx, q, wide, p.Limit)
		if err != nil {
			return res, err
		}
		res.Hits, res.Partial = append(res.Hits, found...), partial
	}
	sortHits(res.Hits)
	if len(res.Hits) > p.Limit {
		res.Hits = res.Hits[:p.Limit]
	}
	return res, nil
}

// sortHits orders by score, then type, then newest first.
func sortHits(hits []Hit) {
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
}

type kindBranch struct {
	kind string
	b    branch
}

// branch is the part of the query proper to one kind: the columns it returns (id,
// ticket id, organisation, title, body), its joins and its permission condition.
type branch struct {
	cols, join, where string
	args              []any
	all               bool // the caller reads every ticket (no scope to count)
	tickets           cond // the tickets the caller reads, on alias tk
}

func (s *Service) branch(a *record.Actor, kind string, p Params) (branch, bool) {
	reg := s.Rec.Reg
	switch kind {
	case "tickets", "ticket-followups":
		sc := a.Scope(reg.MustType("tickets"), record.Read)
		tickets, ok := scopeSQL(a, sc, "tk.", "tk.user_id")
		if !ok {
			return branch{}, false
		}
		if kind == "tickets" {
			return branch{cols: "tk.id, tk.id, tk.organization_id, tk.title, COALESCE(tk.description, '')",
				join: "JOIN tickets tk ON tk.id = d.record_id", where: "tk.deleted_at IS NULL AND " + tickets.cond, args: tickets.args,
				all: sc.All, tickets: tickets}, true
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
			where: "f.deleted_at IS NULL AND tk.deleted_at IS NULL AND " + tickets.cond + " AND " + private, args: tickets.args,
			all: sc.All, tickets: tickets}, true
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

// fewTickets reports (1 or 0) whether the caller reads at most narrowTickets
// tickets: counted through the scope's index, stopping past the bound.
func (s *Service) fewTickets(ctx context.Context, c cond) (int, error) {
	var n int
	// Trashed tickets are counted: the organisation index alone answers.
	err := s.Rec.DB.QueryRowContext(ctx, "SELECT COUNT(*) FROM (SELECT 1 FROM tickets tk WHERE "+c.cond+" LIMIT ?) x",
		append(append([]any{}, c.args...), narrowTickets+1)...).Scan(&n)
	if n <= narrowTickets {
		return 1, err
	}
	return 0, err
}

// scored is a matching document and its score (higher is better).
type scored struct {
	id    int64
	score float64
}

// narrow ranks the matches among the documents of one kind the caller may read:
// the store lists those documents, then matches and scores only them.
func (s *Service) narrow(ctx context.Context, q *Query, kind string, b branch, limit int) ([]Hit, error) {
	ids, err := s.Rec.DB.IDs(ctx, s.Rec.DB, "SELECT d.id FROM search_docs d "+b.join+" WHERE d.kind = ? AND "+b.where,
		append([]any{kind}, b.args...)...)
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	var found []scored
	if s.Rec.DB.Dialect == store.Postgres {
		found, err = s.scores(ctx, "SELECT d.id, ts_rank(d.tsv, q) FROM to_tsquery('simple', ?) q, search_docs d WHERE d.id IN ("+ints(ids)+") AND d.tsv @@ q", q.TSQuery())
	} else {
		// "+rowid": the list is checked on each match. Given to FTS5 as a rowid
		// constraint, it would run the match once per listed document, each run
		// recounting the words' documents for bm25.
		found, err = s.scores(ctx, "SELECT rowid, -rank FROM search_fts WHERE search_fts MATCH ? AND rank MATCH '"+bm25+"' AND +rowid IN ("+ints(ids)+")", q.FTS5())
	}
	if err != nil {
		return nil, err
	}
	sortScored(found)
	if len(found) > limit {
		found = found[:limit]
	}
	return s.hits(ctx, q, kind, b, found)
}

// bm25 weighs title terms ten times body terms.
const bm25 = "bm25(10.0, 1.0)"

// wide ranks the matches of every kind in the store itself, keeping the best
// candidates (of the most recent matches when there are very many), then checks
// them against the caller's rights a window at a time until the page is full.
func (s *Service) wide(ctx context.Context, q *Query, kinds []kindBranch, limit int) ([]Hit, bool, error) {
	if s.Rec.DB.Dialect == store.Postgres {
		return s.widePostgres(ctx, q, kinds, limit)
	}
	// One pass, newest first: FTS5 reads the words' lists backwards and scores
	// each match it returns, at most recentMatches of them (one more tells
	// whether there were more); the best candidates are kept here. Cheaper than
	// FTS5's own ORDER BY rank, which would need a first pass to find the floor.
	cands, err := s.scores(ctx, "SELECT rowid, -rank FROM search_fts WHERE search_fts MATCH ? AND rank MATCH '"+bm25+"' ORDER BY rowid DESC LIMIT ?",
		q.FTS5(), recentMatches+1)
	if err != nil {
		return nil, false, err
	}
	cut := len(cands) > recentMatches
	if cut {
		cands = cands[:recentMatches]
	}
	sortScored(cands)
	if len(cands) > candidates {
		cands = cands[:candidates]
	}
	kept := map[string][]scored{}
	n, err := s.filter(ctx, kinds, cands, limit, kept)
	if err != nil {
		return nil, false, err
	}
	// Short of a page after the last candidate: were there more matches?
	partial := cut || (n < limit && len(cands) == candidates)
	out, err := s.page(ctx, q, kinds, kept, limit)
	return out, partial, err
}

// recentDocs is PostgreSQL's first range of index ids, the newest documents:
// matches are read range by range, each range four times the previous one.
var recentDocs int64 = 250000

// widePostgres reads the matches newest first by ranges of index ids, ranking
// each range and filtering its best candidates, until the page is full or
// recentMatches matches were read. Reading a match means visiting its row (for
// its tsvector), which costs more than ranking it: a range of ids intersects
// the GIN index's matches with the primary key's range before any row is read.
func (s *Service) widePostgres(ctx context.Context, q *Query, kinds []kindBranch, limit int) ([]Hit, bool, error) {
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = "'" + k.kind + "'" // from Kinds, never from input
	}
	var hi int64
	if err := s.Rec.DB.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM search_docs").Scan(&hi); err != nil {
		return nil, false, err
	}
	kept := map[string][]scored{}
	n, seen, partial := 0, 0, false
	for span := recentDocs; hi > 0; span *= 4 {
		if seen >= recentMatches {
			partial = true // older documents are not read
			break
		}
		lo := max(hi-span, 0)
		rows, err := s.Rec.DB.QueryContext(ctx, `SELECT d.id, ts_rank(d.tsv, q), COUNT(*) OVER () FROM to_tsquery('simple', $1) q, search_docs d
			WHERE d.tsv @@ q AND d.kind IN (`+strings.Join(names, ",")+`) AND d.id > $2 AND d.id <= $3 ORDER BY 2 DESC, d.id DESC LIMIT $4`,
			q.TSQuery(), lo, hi, candidates)
		if err != nil {
			return nil, false, err
		}
		var cands []scored
		matches := 0
		for rows.Next() {
			var c scored
			if err := rows.Scan(&c.id, &c.score, &matches); err != nil {
				rows.Close()
				return nil, false, err
			}
			cands = append(cands, c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, false, err
		}
		seen += matches
		// A whole page from each range: an older match may outrank a newer one.
		more, err := s.filter(ctx, kinds, cands, limit, kept)
		if err != nil {
			return nil, false, err
		}
		n += more
		if n < limit && matches > len(cands) {
			partial = true // this range's candidates held too few for the caller
		}
		hi = lo
		if n >= limit {
			partial = partial || hi > 0 // older documents are not read
			break
		}
	}
	out, err := s.page(ctx, q, kinds, kept, limit)
	return out, partial, err
}

// filter checks the candidates, best first, against the caller's rights a window
// at a time, keeping the readable ones per kind until limit are kept. Each
// window costs a primary-key lookup per candidate and kind.
func (s *Service) filter(ctx context.Context, kinds []kindBranch, cands []scored, limit int, kept map[string][]scored) (int, error) {
	n := 0
	for i := 0; i < len(cands) && n < limit; i += window {
		w := cands[i:min(i+window, len(cands))]
		for _, k := range kinds {
			ids, err := s.readable(ctx, k.kind, k.b, w)
			if err != nil {
				return 0, err
			}
			for _, c := range w {
				if ids[c.id] {
					kept[k.kind] = append(kept[k.kind], c)
					n++
				}
			}
		}
	}
	return n, nil
}

// page reads in full and highlights the best limit of the kept documents.
func (s *Service) page(ctx context.Context, q *Query, kinds []kindBranch, kept map[string][]scored, limit int) ([]Hit, error) {
	var all []scored
	kindOf := map[int64]string{}
	for kind, cs := range kept {
		for _, c := range cs {
			kindOf[c.id] = kind
		}
		all = append(all, cs...)
	}
	sortScored(all)
	if len(all) > limit {
		all = all[:limit]
	}
	var out []Hit
	for _, k := range kinds {
		var mine []scored
		for _, c := range all {
			if kindOf[c.id] == k.kind {
				mine = append(mine, c)
			}
		}
		found, err := s.hits(ctx, q, k.kind, k.b, mine)
		if err != nil {
			return nil, err
		}
		out = append(out, found...)
	}
	return out, nil
}

// readable tells which of the documents are of the kind and readable by the caller.
func (s *Service) readable(ctx context.Context, kind string, b branch, docs []scored) (map[int64]bool, error) {
	ids := make([]int64, len(docs))
	for i, d := range docs {
		ids[i] = d.id
	}
	rows, err := s.Rec.DB.QueryContext(ctx, "SELECT d.id FROM search_docs d "+b.join+" WHERE d.id IN ("+ints(ids)+") AND d.kind = ? AND "+b.where,
		append([]any{kind}, b.args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}

func sortScored(cs []scored) {
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].score != cs[j].score {
			return cs[i].score > cs[j].score
		}
		return cs[i].id > cs[j].id
	})
}

// scores reads (id, score) rows.
func (s *Service) scores(ctx context.Context, sqlText string, args ...any) ([]scored, error) {
	rows, err := s.Rec.DB.QueryContext(ctx, sqlText, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []scored
	for rows.Next() {
		var c scored
		if err := rows.Scan(&c.id, &c.score); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// hits reads those of the scored documents that are of the kind and that the
// caller may read, and highlights them.
func (s *Service) hits(ctx context.Context, q *Query, kind string, b branch, docs []scored) ([]Hit, error) {
	if len(docs) == 0 {
		return nil, nil
	}
	score := make(map[int64]float64, len(docs))
	ids := make([]int64, len(docs))
	for i, d := range docs {
		score[d.id], ids[i] = d.score, d.id
	}
	sqlText := "SELECT d.id, " + b.cols + " FROM search_docs d " + b.join + " WHERE d.id IN (" + ints(ids) + ") AND d.kind = ? AND " + b.where
	rows, err := s.Rec.DB.QueryContext(ctx, sqlText, append([]any{kind}, b.args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Hit
	for rows.Next() {
		h := Hit{Type: kind}
		var doc int64
		var body string
		if err := rows.Scan(&doc, &h.ID, &h.TicketID, &h.OrgID, &h.Title, &body); err != nil {
			return nil, err
		}
		h.Score = score[doc]
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
