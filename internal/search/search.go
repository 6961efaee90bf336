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
	// PerKind makes Limit a number of hits per kind rather than in all: the
	// search page's overview asks for the first few of each kind in one pass
	// over the matches.
	PerKind bool
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
	// Bounds of the ranking; a zero field takes the default (tests lower them).
	Bounds Bounds
}

// Bounds tune what a search ranks and counts (docs/search.md, "Bounds").
type Bounds struct {
	// RecentMatches: SQLite ranks only the most recent this many matches
	// (highest index ids); PostgreSQL reads no further range of ids once this
	// many matches of the kind were read.
	RecentMatches int
	// Candidates: the best this many of the ranked documents are checked against
	// the caller's rights, Window at a time, until the page is full.
	Candidates, Window int
	// NarrowTickets: a caller who reads at most this many tickets (a requester)
	// is searched within them, exactly and without the bounds above; so are the
	// articles, which are few.
	NarrowTickets int
	// RecentDocs is PostgreSQL's first range of index ids (the newest documents);
	// each further range is four times larger, or smaller when the matches read
	// so far say the next one would hold more than RecentMatches.
	RecentDocs int64
	// CountCap: a count of results says "more than CountCap" past it.
	CountCap int
	// NewestDocs, CommonMatches: PostgreSQL first reads a kind's NewestDocs
	// newest documents (by record); a word matching at least CommonMatches of
	// them is common, and is ranked among those when they fill the page.
	NewestDocs, CommonMatches int
}

func (s *Service) bounds() Bounds {
	b := s.Bounds
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	if s.Rec.DB.Dialect == store.Postgres {
		def(&b.RecentMatches, recentMatches)
	} else {
		def(&b.RecentMatches, recentMatchesSQLite)
	}
	def(&b.Candidates, candidates)
	def(&b.Window, window)
	if b.NarrowTickets == 0 {
		b.NarrowTickets = narrowTickets
	}
	if b.RecentDocs <= 0 {
		b.RecentDocs = recentDocs
	}
	def(&b.CountCap, countCap)
	def(&b.NewestDocs, newestDocs)
	def(&b.CommonMatches, commonMatches)
	return b
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
	// Count is how many documents of the kinds asked the caller may read match,
	// as far as the search knows: exact unless CountCapped, which says there are
	// more (past Bounds.CountCap, or beyond what the bounded ranking checked).
	// Only readable documents are counted.
	Count       int
	CountCapped bool
}

// Default bounds of the ranking (see Bounds). Scoring is the cost of a search
// (bm25 or ts_rank for each matching document), so a word found in tens of
// thousands of documents is ranked over a bounded set.
var (
	recentMatches             = 10000
	recentMatchesSQLite       = 2000
	candidates                = 2000
	window                    = 200
	narrowTickets             = 2000
	countCap                  = 1000
	newestDocs                = 4000
	commonMatches             = 100
	recentDocs          int64 = 50000
)

// Find is Search with the partial flag and the count.
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
	bd := s.bounds()
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
				if fewTickets, err = s.fewTickets(ctx, b.tickets, bd.NarrowTickets); err != nil {
					return res, err
				}
			}
			narrow = fewTickets == 1
		}
		if !narrow {
			wide = append(wide, kindBranch{kind, b})
			continue
		}
		found, n, err := s.narrow(ctx, q, kind, b, p.Limit)
		if err != nil {
			return res, err
		}
		res.Hits = append(res.Hits, found...)
		res.Count += n
	}
	if len(wide) > 0 {
		w, err := s.wide(ctx, q, wide, p.Limit, p.PerKind, bd)
		if err != nil {
			return res, err
		}
		res.Hits, res.Partial = append(res.Hits, w.hits...), w.partial
		res.Count += w.count
		res.CountCapped = w.partial || !w.exact
	}
	sortHits(res.Hits)
	if p.PerKind {
		res.Hits = firstOfEach(res.Hits, p.Limit)
	} else if len(res.Hits) > p.Limit {
		res.Hits = res.Hits[:p.Limit]
	}
	if res.Count > bd.CountCap {
		res.Count, res.CountCapped = bd.CountCap, true
	}
	return res, nil
}

// firstOfEach keeps the first limit hits of each kind, in order.
func firstOfEach(hits []Hit, limit int) []Hit {
	n := map[string]int{}
	out := hits[:0]
	for _, h := range hits {
		if n[h.Type] < limit {
			n[h.Type]++
			out = append(out, h)
		}
	}
	return out
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

// fewTickets reports (1 or 0) whether the caller reads at most bound tickets:
// counted through the scope's index, stopping past the bound.
func (s *Service) fewTickets(ctx context.Context, c cond, bound int) (int, error) {
	var n int
	// Trashed tickets are counted: the organisation index alone answers.
	err := s.Rec.DB.QueryRowContext(ctx, "SELECT COUNT(*) FROM (SELECT 1 FROM tickets tk WHERE "+c.cond+" LIMIT ?) x",
		append(append([]any{}, c.args...), bound+1)...).Scan(&n)
	if n <= bound {
		return 1, err
	}
	return 0, err
}

// scored is a matching document and its score (higher is better), and its kind
// when the store said it.
type scored struct {
	id    int64
	score float64
	kind  string
}

// narrow ranks the matches among the documents of one kind the caller may read:
// the store lists those documents, then matches and scores only them. It
// returns the best limit and how many matched.
func (s *Service) narrow(ctx context.Context, q *Query, kind string, b branch, limit int) ([]Hit, int, error) {
	ids, err := s.Rec.DB.IDs(ctx, s.Rec.DB, "SELECT d.id FROM search_docs d "+b.join+" WHERE d.kind = ? AND "+b.where,
		append([]any{kind}, b.args...)...)
	if err != nil || len(ids) == 0 {
		return nil, 0, err
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
		return nil, 0, err
	}
	n := len(found)
	sortScored(found)
	if len(found) > limit {
		found = found[:limit]
	}
	hits, err := s.hits(ctx, q, kind, b, found)
	return hits, n, err
}

// bm25 weighs title terms ten times body terms.
const bm25 = "bm25(10.0, 1.0)"

// wideResult is what the bounded ranking found: the page, whether better
// matches may have been left out, and the readable documents met.
type wideResult struct {
	hits    []Hit
	partial bool
	count   int
	exact   bool // count is every readable match
}

// wide ranks the matches of every kind in the store itself, keeping the best
// candidates (of the most recent matches when there are very many), then checks
// them against the caller's rights a window at a time until the page (of each
// kind, with perKind) is full.
func (s *Service) wide(ctx context.Context, q *Query, kinds []kindBranch, limit int, perKind bool, bd Bounds) (wideResult, error) {
	if s.Rec.DB.Dialect == store.Postgres {
		return s.widePostgres(ctx, q, kinds, limit, perKind, bd)
	}
	var out wideResult
	// One pass, newest first, for every kind: FTS5 reads the words' lists
	// backwards and scores each match it returns, at most RecentMatches of them
	// (one more tells whether there were more); the best candidates are kept
	// here. Cheaper than FTS5's own ORDER BY rank, which would need a first pass
	// to find the floor.
	cands, err := s.scores(ctx, "SELECT rowid, -rank FROM search_fts WHERE search_fts MATCH ? AND rank MATCH '"+bm25+"' ORDER BY rowid DESC LIMIT ?",
		q.FTS5(), bd.RecentMatches+1)
	if err != nil {
		return out, err
	}
	cut := len(cands) > bd.RecentMatches
	if cut {
		cands = cands[:bd.RecentMatches]
	}
	sortScored(cands)
	dropped := len(cands) > bd.Candidates
	if dropped {
		cands = cands[:bd.Candidates]
	}
	if len(kinds) > 1 && len(cands) > 0 {
		// The FTS5 pass does not know the kinds: read them at once (by primary
		// key), so that a kind with no candidate (follow-ups for a number that
		// only tickets hold) is not checked window after window.
		if cands, err = s.withKinds(ctx, cands); err != nil {
			return out, err
		}
	}
	kept := map[string][]scored{}
	short, complete, err := s.filter(ctx, kinds, cands, limit, perKind, bd, kept)
	if err != nil {
		return out, err
	}
	// Short of a page after the last candidate: were there more matches?
	out.partial = cut || (short && dropped)
	out.exact = !cut && !dropped && complete
	out.count = keptCount(kept)
	out.hits, err = s.page(ctx, q, kinds, kept, limit, perKind)
	return out, err
}

// withKinds sets the kind of each candidate, keeping their order.
func (s *Service) withKinds(ctx context.Context, cands []scored) ([]scored, error) {
	ids := make([]int64, len(cands))
	for i, c := range cands {
		ids[i] = c.id
	}
	rows, err := s.Rec.DB.QueryContext(ctx, "SELECT id, kind FROM search_docs WHERE id IN ("+ints(ids)+")")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	kinds := make(map[int64]string, len(cands))
	for rows.Next() {
		var id int64
		var k string
		if err := rows.Scan(&id, &k); err != nil {
			return nil, err
		}
		kinds[id] = k
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := cands[:0]
	for _, c := range cands {
		if c.kind = kinds[c.id]; c.kind != "" {
			out = append(out, c)
		}
	}
	return out, nil
}

func keptCount(kept map[string][]scored) int {
	n := 0
	for _, cs := range kept {
		n += len(cs)
	}
	return n
}

// widePostgres ranks each kind apart, through the kind's own GIN index (a
// partial index per kind: a kind's pass never reads another kind's matches),
// and reads its matches newest first by ranges of index ids: the first range
// is the newest RecentDocs documents, each next one four times larger, or less
// when the matches read so far say it would hold more than RecentMatches. Each
// range is ranked and its best candidates filtered, until the page is full or
// RecentMatches matches were read. Reading a match means visiting its row (for
// its tsvector), which costs more than ranking it: a range of ids intersects
// the GIN index's matches with the primary key's range before any row is read.
func (s *Service) widePostgres(ctx context.Context, q *Query, kinds []kindBranch, limit int, perKind bool, bd Bounds) (wideResult, error) {
	out := wideResult{exact: true}
	var hi int64
	if err := s.Rec.DB.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM search_docs").Scan(&hi); err != nil {
		return out, err
	}
	kept := map[string][]scored{}
	// The ranges are read with bitmap scans only: the planner, which cannot
	// tell how many documents hold the words, would otherwise walk a range's
	// primary key testing every row (at 1,000,000 tickets, 50,000 rows for a
	// kind holding none of the words) rather than AND the kind's GIN matches
	// with the range; over the whole table it would read it all.
	err := s.Rec.DB.ReadTx(ctx, func(tx *store.Tx) error {
		// Plans for the words and range at hand: a cached statement's generic
		// plan, chosen after five runs, cannot tell a common word from a rare one.
		if _, err := tx.ExecContext(ctx, "SET LOCAL plan_cache_mode = force_custom_plan"); err != nil {
			return err
		}
		// A common word first: its matches among the kind's newest documents,
		// read by the (kind, record) index backwards. When they fill the page,
		// the GIN index, whose scan reads the word's whole list (140,000
		// tickets for "4521": 40 ms), is not read at all.
		var rest []kindBranch
		first := map[string]int64{} // each kind's first range of ids
		for _, k := range kinds {
			cands, err := s.rankRows(ctx, tx, `SELECT d.id, ts_rank(d.tsv, q), 0 FROM to_tsquery('simple', $1) q,
				(SELECT id, tsv FROM search_docs WHERE kind = '`+k.kind+`' ORDER BY record_id DESC LIMIT $2) d WHERE d.tsv @@ q`, k.kind, q.TSQuery(), bd.NewestDocs)
			if err != nil {
				return err
			}
			if len(cands) >= bd.CommonMatches {
				sortScored(cands)
				cands = cands[:min(len(cands), bd.Candidates)]
				short, _, err := s.filter(ctx, []kindBranch{k}, cands, limit, false, bd, kept)
				if err != nil {
					return err
				}
				if !short {
					out.partial, out.exact = true, false // older documents are not read
					continue
				}
				delete(kept, k.kind) // not enough for the caller: read the ranges
			}
			// Fewer matches among the newest: the first range is as many
			// documents as would hold RecentMatches at the density of those
			// (one GIN scan for a word of a few thousand matches, not one per
			// range: each reads the words' whole lists).
			first[k.kind] = bd.RecentDocs
			if m := int64(len(cands)); m > 0 && m < int64(bd.CommonMatches) {
				lo := hi
				for _, c := range cands {
					lo = min(lo, c.id)
				}
				first[k.kind] = max(bd.RecentDocs, int64(bd.RecentMatches)*(hi-lo+1)/m)
			}
			rest = append(rest, k)
		}
		for _, set := range []string{"SET LOCAL enable_indexscan = off", "SET LOCAL enable_seqscan = off", "SET LOCAL max_parallel_workers_per_gather = 0"} {
			if _, err := tx.ExecContext(ctx, set); err != nil {
				return err
			}
		}
		for _, k := range rest {
			n, seen, docs := 0, 0, int64(0)
			for top, span := hi, first[k.kind]; top > 0; {
				if seen >= bd.RecentMatches {
					out.partial = true // older documents are not read
					break
				}
				lo := max(top-span, 0)
				// The kind is a literal (from Kinds, never from input): the planner
				// picks the kind's partial index only when it sees it.
				rows, err := tx.QueryContext(ctx, `SELECT d.id, ts_rank(d.tsv, q), COUNT(*) OVER () FROM to_tsquery('simple', $1) q, search_docs d
					WHERE d.kind = '`+k.kind+`' AND d.tsv @@ q AND d.id > $2 AND d.id <= $3 ORDER BY 2 DESC, d.id DESC LIMIT $4`,
					q.TSQuery(), lo, top, bd.Candidates)
				if err != nil {
					return err
				}
				var cands []scored
				matches := 0
				for rows.Next() {
					c := scored{kind: k.kind}
					if err := rows.Scan(&c.id, &c.score, &matches); err != nil {
						rows.Close()
						return err
					}
					cands = append(cands, c)
				}
				rows.Close()
				if err := rows.Err(); err != nil {
					return err
				}
				seen += matches
				docs += top - lo
				// A whole page from each range: an older match may outrank a newer one.
				short, complete, err := s.filter(ctx, []kindBranch{k}, cands, limit-n, false, bd, kept)
				if err != nil {
					return err
				}
				n = len(kept[k.kind])
				if matches > len(cands) || !complete {
					out.exact = false
				}
				if short && matches > len(cands) {
					out.partial = true // this range's candidates held too few for the caller
				}
				top = lo
				if !short {
					if top > 0 {
						out.partial, out.exact = true, false // older documents are not read
					}
					break
				}
				// The next range: four times this one, or what the caller's
				// matches so far say would fill the page twice over (sixteen
				// times when none was readable), but no more documents than the
				// density of matches says hold what is left of RecentMatches.
				next := span * 4
				if n == 0 {
					next = span * 16
				} else if fill := 2 * int64(limit-n) * docs / int64(n); fill > next {
					next = fill
				}
				if seen > 0 {
					if est := int64(bd.RecentMatches-seen) * docs / int64(seen); est < next {
						next = max(est, 1)
					}
				}
				span = next
			}
			if seen >= bd.RecentMatches {
				out.exact = false
			}
		}
		return nil
	})
	if err != nil {
		return out, err
	}
	out.count = keptCount(kept)
	hits, err := s.page(ctx, q, kinds, kept, limit, perKind)
	out.hits = hits
	return out, err
}

// rankRows reads (id, score, total) rows of one kind; total is the count of the
// query's matches, or 0.
func (s *Service) rankRows(ctx context.Context, tx *store.Tx, sqlText, kind string, args ...any) ([]scored, error) {
	rows, err := tx.QueryContext(ctx, sqlText, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []scored
	for rows.Next() {
		c := scored{kind: kind}
		var total int
		if err := rows.Scan(&c.id, &c.score, &total); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// filter checks the candidates, best first, against the caller's rights a window
// at a time, keeping the readable ones per kind until limit are kept (limit of
// each kind with perKind). Each window costs a primary-key lookup per candidate
// and kind (only the candidates of the kind when the store said their kind). It
// reports whether it came short of the page, and whether it checked every
// candidate for every kind.
func (s *Service) filter(ctx context.Context, kinds []kindBranch, cands []scored, limit int, perKind bool, bd Bounds, kept map[string][]scored) (short, complete bool, err error) {
	got := map[string]int{}
	total := 0
	full := func() bool {
		if !perKind {
			return total >= limit
		}
		for _, k := range kinds {
			if got[k.kind] < limit {
				return false
			}
		}
		return true
	}
	complete = true
	i := 0
	for ; i < len(cands) && !full(); i += bd.Window {
		w := cands[i:min(i+bd.Window, len(cands))]
		for _, k := range kinds {
			if perKind && got[k.kind] >= limit {
				complete = false
				continue
			}
			var mine []scored
			for _, c := range w {
				if c.kind == "" || c.kind == k.kind {
					mine = append(mine, c)
				}
			}
			if len(mine) == 0 {
				continue
			}
			ids, err := s.readable(ctx, k.kind, k.b, mine)
			if err != nil {
				return false, false, err
			}
			for _, c := range mine {
				if ids[c.id] {
					kept[k.kind] = append(kept[k.kind], c)
					got[k.kind]++
					total++
				}
			}
		}
	}
	return !full(), complete && i >= len(cands), nil
}

// page reads in full and highlights the best limit of the kept documents (of
// each kind with perKind).
func (s *Service) page(ctx context.Context, q *Query, kinds []kindBranch, kept map[string][]scored, limit int, perKind bool) ([]Hit, error) {
	var all []scored
	kindOf := map[int64]string{}
	for kind, cs := range kept {
		for _, c := range cs {
			kindOf[c.id] = kind
		}
		if perKind {
			cs = append([]scored(nil), cs...)
			sortScored(cs)
			cs = cs[:min(len(cs), limit)]
		}
		all = append(all, cs...)
	}
	sortScored(all)
	if !perKind && len(all) > limit {
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
