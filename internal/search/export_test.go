package search

// SetBounds makes the ranking bounds tiny for a test (recentDocs: PostgreSQL's
// first range of ids); the returned function puts them back.
func SetBounds(recent, cands, win, narrow int, docs int64) func() {
	r, c, w, n, d := recentMatches, candidates, window, narrowTickets, recentDocs
	recentMatches, candidates, window, narrowTickets, recentDocs = recent, cands, win, narrow, docs
	return func() { recentMatches, candidates, window, narrowTickets, recentDocs = r, c, w, n, d }
}
