package search

// SetBounds makes the default ranking bounds tiny for a test (recent: both
// stores' recent matches; docs: PostgreSQL's first range of ids); the returned
// function puts them back.
func SetBounds(recent, cands, win, narrow int, docs int64) func() {
	r, rs, c, w, n, d := recentMatches, recentMatchesSQLite, candidates, window, narrowTickets, recentDocs
	recentMatches, recentMatchesSQLite, candidates, window, narrowTickets, recentDocs = recent, recent, cands, win, narrow, docs
	return func() {
		recentMatches, recentMatchesSQLite, candidates, window, narrowTickets, recentDocs = r, rs, c, w, n, d
	}
}
