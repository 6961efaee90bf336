package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"time"

	"parc/internal/app"
	"parc/internal/helpdesk"
	"parc/internal/store"
)

// Helpdesk targets from the issue.
const (
	TargetMineMedian   = 30 * time.Millisecond
	TargetMineP95      = 80 * time.Millisecond
	TargetSearchMedian = 100 * time.Millisecond
	TargetTicketRate   = 500.0 // per second, SQLite
	TargetRecalc10k    = 2 * time.Second
)

// HelpdeskOptions tune `parc bench helpdesk`.
type HelpdeskOptions struct {
	Tickets  int           // tickets in the store (1,000,000)
	Requests int           // timed requests per read case (200)
	Duration time.Duration // each creation run (5s)
	Clients  int           // concurrent clients of the second creation run (8)
	Start    StartFunc     // nil: in this process
	Mode     string
	Log      io.Writer
}

// HelpdeskResult is what one run measured.
type HelpdeskResult struct {
	Store, Mode           string
	Tickets, Followups    int
	Seeded                int
	SeedTime              time.Duration
	Reads                 []Latency
	Creates               []Rate
	Recalc                int // open tickets recalculated
	RecalcTime            time.Duration
	LoadBefore, LoadAfter float64
	// Partial: the searches whose answer said "partial" (more matches than ranked).
	Partial map[string]bool
}

// RunHelpdesk fills the store (PrepareHelpdesk), times an SLA recalculation of
// at least 10,000 open tickets, then serves the store and times the technician's
// views, full-text searches and ticket creations over HTTP.
func RunHelpdesk(ctx context.Context, cfg store.Config, opt HelpdeskOptions) (*HelpdeskResult, error) {
	if opt.Tickets <= 0 {
		opt.Tickets = 1000000
	}
	if opt.Requests <= 0 {
		opt.Requests = 200
	}
	if opt.Duration <= 0 {
		opt.Duration = 5 * time.Second
	}
	if opt.Clients <= 0 {
		opt.Clients = 8
	}
	if opt.Start == nil {
		opt.Start, opt.Mode = StartInProcess, "in-process"
	}
	if opt.Log == nil {
		opt.Log = io.Discard
	}
	a, err := app.Open(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return nil, err
	}
	res := &HelpdeskResult{Store: string(a.DB.Dialect), Mode: opt.Mode}
	var before int
	a.DB.QueryRowContext(ctx, "SELECT COUNT(*) FROM tickets").Scan(&before)
	t0 := time.Now()
	hf, err := PrepareHelpdesk(ctx, a, opt.Tickets, opt.Log)
	res.SeedTime = time.Since(t0)
	rare := ""
	if err == nil {
		res.Recalc, res.RecalcTime, err = measureRecalc(ctx, a, hf)
		rare = rareTerm(ctx, a, hf)
	}
	if cerr := a.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	res.Tickets, res.Followups, res.Seeded = hf.Tickets, hf.Followups, max(0, hf.Tickets-before)
	fmt.Fprintf(opt.Log, "SLA recalculation: %d open tickets in %v\n", res.Recalc, res.RecalcTime.Round(time.Millisecond))

	res.LoadBefore = LoadAverage()
	srv, err := opt.Start(ctx, cfg)
	if err != nil {
		return nil, err
	}
	defer srv.Stop()
	tech := NewClient(srv.URL, hf.TechToken, opt.Clients)
	admin := NewClient(srv.URL, hf.AdminToken, 2)
	reads := []struct {
		name, as, path string
		c              *Client
	}{
		{"my open tickets by priority and due date (view=mine)", "tech", "/api/v1/tickets?view=mine&limit=50", tech},
		{"my groups' tickets (view=my-groups)", "tech", "/api/v1/tickets?view=my-groups&limit=50", tech},
		{"late tickets (view=late)", "tech", "/api/v1/tickets?view=late&limit=50", tech},
		{"search: one rare word (a workstation number)", "tech", "/api/v1/search?q=" + url.QueryEscape(rare), tech},
		{"search: two words (imprimante bourrage)", "tech", "/api/v1/search?q=imprimante+bourrage", tech},
		{"search: one common word (outlook)", "tech", "/api/v1/search?q=outlook", tech},
		{"search: two words, whole store (admin)", "admin", "/api/v1/search?q=imprimante+bourrage", admin},
		{"search: one common word, whole store (admin)", "admin", "/api/v1/search?q=outlook", admin},
	}
	for _, rc := range reads {
		l, err := measureGet(ctx, rc.c, rc.name, rc.as, rc.path, 5, opt.Requests)
		if err != nil {
			return nil, err
		}
		res.Reads = append(res.Reads, l)
		if strings.HasPrefix(rc.path, "/api/v1/search") {
			b, err := rc.c.Get(ctx, rc.path)
			if err != nil {
				return nil, err
			}
			var page struct {
				Partial bool `json:"partial"`
			}
			if json.Unmarshal(b, &page) == nil && page.Partial {
				if res.Partial == nil {
					res.Partial = map[string]bool{}
				}
				res.Partial[rc.name] = true
			}
		}
		fmt.Fprintf(opt.Log, "%-5s %-52s median %v p95 %v%s\n", rc.as, rc.name, ms(l.Median), ms(l.P95), partialMark(res.Partial[rc.name]))
	}
	for _, n := range []int{1, opt.Clients} {
		r, err := measureTicketCreates(ctx, tech, hf, n, opt.Duration)
		if err != nil {
			return nil, err
		}
		res.Creates = append(res.Creates, r)
		fmt.Fprintf(opt.Log, "ticket creation, %d client(s): %.0f/s (median %v, errors %d %s)\n", n, r.PerSecond, ms(r.Median), r.Errors, r.FirstErr)
	}
	res.LoadAfter = LoadAverage()
	return res, nil
}

func partialMark(p bool) string {
	if p {
		return "  partial"
	}
	return ""
}

// measureRecalc recalculates the SLAs holding the most open tickets until at
// least 10,000 are covered (all of them in a smaller store).
func measureRecalc(ctx context.Context, a *app.App, hf *HelpdeskFixture) (int, time.Duration, error) {
	rows, err := a.DB.QueryContext(ctx, "SELECT sla_id, COUNT(*) FROM tickets WHERE deleted_at IS NULL AND status IN ('new', 'assigned', 'planned', 'pending') AND sla_id IS NOT NULL GROUP BY sla_id ORDER BY COUNT(*)")
	if err != nil {
		return 0, 0, err
	}
	var ids []int64
	total := 0
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			rows.Close()
			return 0, 0, err
		}
		if total < 10000 {
			ids, total = append(ids, id), total+n
		}
	}
	rows.Close()
	if len(ids) == 0 {
		return 0, 0, nil
	}
	t0 := time.Now()
	n, err := helpdesk.RecalculateSLA(ctx, a.Records, ids...)
	return n, time.Since(t0), err
}

// rareTerm is the workstation number of the technician organisation's newest
// generated ticket: found in that ticket and perhaps a few others.
func rareTerm(ctx context.Context, a *app.App, hf *HelpdeskFixture) string {
	var desc string
	a.DB.QueryRowContext(ctx, "SELECT COALESCE(description, '') FROM tickets WHERE organization_id = ? AND description LIKE '%PC-%' ORDER BY id DESC LIMIT 1", hf.TechOrg.ID).Scan(&desc)
	if m := workstation.FindString(desc); m != "" {
		return m
	}
	return fmt.Sprintf("PC-%s-", hf.TechOrg.Sites[0].Code) + "000042"
}

var workstation = regexp.MustCompile(`PC-[A-Z0-9]+-[0-9]{6}`)

func measureGet(ctx context.Context, c *Client, name, as, path string, warmup, requests int) (Latency, error) {
	out := Latency{Case: name, As: as, Requests: requests, Total: -1}
	for i := 0; i < warmup; i++ {
		t0 := time.Now()
		b, err := c.Get(ctx, path)
		if err != nil {
			return out, err
		}
		if i == 0 {
			out.First = time.Since(t0)
			var page struct {
				Data []json.RawMessage `json:"data"`
			}
			if json.Unmarshal(b, &page) == nil {
				out.Total = int64(len(page.Data))
			}
		}
	}
	ds := make([]time.Duration, 0, requests)
	for i := 0; i < requests; i++ {
		t0 := time.Now()
		if _, err := c.Get(ctx, path); err != nil {
			return out, err
		}
		ds = append(ds, time.Since(t0))
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	out.Median, out.P95, out.P99 = Percentile(ds, 0.50), Percentile(ds, 0.95), Percentile(ds, 0.99)
	out.Min, out.Max = ds[0], ds[len(ds)-1]
	return out, nil
}

// ticketBody is a ticket as a technician enters it from a phone call.
func ticketBody(hf *HelpdeskFixture, rng *rand.Rand, tag string) []byte {
	cats := hf.cats[hf.TechOrg.ID]
	body := map[string]any{"organization_id": hf.TechOrg.ID,
		"title":       ticketSubjects[rng.IntN(len(ticketSubjects))] + " " + ticketProblems[rng.IntN(len(ticketProblems))] + " " + tag,
		"description": ticketSentences[rng.IntN(len(ticketSentences))] + " " + ticketDetails[rng.IntN(len(ticketDetails))],
		"impact":      level15(rng), "urgency": level15(rng), "type": "incident"}
	if len(cats) > 0 {
		body["category_id"] = cats[rng.IntN(len(cats))]
	}
	if len(hf.TechOrg.Users) > 0 {
		body["user_id"] = hf.TechOrg.Users[rng.IntN(len(hf.TechOrg.Users))]
	}
	b, _ := json.Marshal(body)
	return b
}

func measureTicketCreates(ctx context.Context, c *Client, hf *HelpdeskFixture, clients int, d time.Duration) (Rate, error) {
	return measureRate(ctx, c, "/api/v1/tickets", clients, d, func(rng *rand.Rand, n int64) []byte {
		return ticketBody(hf, rng, fmt.Sprint(n))
	})
}

// Print writes the report.
func (r *HelpdeskResult) Print(w io.Writer) {
	fmt.Fprintf(w, "parc bench helpdesk — %s store, server %s, %s\n", r.Store, r.Mode, Machine())
	fmt.Fprintf(w, "%d tickets, %d follow-ups (%d tickets seeded by this run in %v); load average %.2f before, %.2f after\n\n",
		r.Tickets, r.Followups, r.Seeded, r.SeedTime.Round(time.Second), r.LoadBefore, r.LoadAfter)
	fmt.Fprintf(w, "%-5s %-52s %6s %9s %9s %9s\n", "as", "request", "rows", "median", "p95", "first")
	for _, l := range r.Reads {
		fmt.Fprintf(w, "%-5s %-52s %6d %9s %9s %9s%s\n", l.As, l.Case, l.Total, ms(l.Median), ms(l.P95), ms(l.First), partialMark(r.Partial[l.Case]))
	}
	if len(r.Partial) > 0 {
		fmt.Fprintf(w, "(partial: more documents matched than were read or ranked; the answer is the best of the most recent matches, docs/search.md)\n")
	}
	fmt.Fprintf(w, "\nTargets: my open tickets median %v / p95 %v; search median %v\n", TargetMineMedian, TargetMineP95, TargetSearchMedian)
	for _, c := range r.Creates {
		fmt.Fprintf(w, "ticket creation, %d client(s): %.0f/s, median %s, p95 %s, errors %d (target %.0f/s on SQLite) %s\n",
			c.Clients, c.PerSecond, ms(c.Median), ms(c.P95), c.Errors, TargetTicketRate, verdict(c.PerSecond >= TargetTicketRate))
	}
	per10k := time.Duration(0)
	if r.Recalc > 0 {
		per10k = r.RecalcTime * 10000 / time.Duration(r.Recalc)
	}
	fmt.Fprintf(w, "SLA recalculation: %d open tickets in %v (%v per 10,000; target %v) %s\n", r.Recalc, r.RecalcTime.Round(time.Millisecond),
		per10k.Round(time.Millisecond), TargetRecalc10k, verdict(r.Recalc > 0 && per10k <= TargetRecalc10k))
}
