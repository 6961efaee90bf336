package bench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"parc/internal/app"
	"parc/internal/auth"
	"parc/internal/record"
	"parc/internal/store"
)

// TargetPageMedian is the target for every helpdesk page, on the server.
const TargetPageMedian = 50 * time.Millisecond

// PagesOptions tune `parc bench pages`.
type PagesOptions struct {
	Assets, Tickets int       // computers and tickets in the store (100,000 and 1,000,000)
	Requests        int       // timed requests per page (100)
	Start           StartFunc // nil: in this process
	Mode            string
	Log             io.Writer
}

// PagesResult is what one run measured.
type PagesResult struct {
	Store, Mode           string
	Assets, Tickets       int
	SeedTime              time.Duration
	Pages                 []Latency
	LoadBefore, LoadAfter float64
	Date                  time.Time
}

// RunPages fills the store with computers and tickets (Prepare, PrepareHelpdesk),
// serves it, signs in through the login form as the bench technician and the
// bench administrator, and times the HTML pages they open first: the home page,
// the helpdesk views of the menu, the ticket list, a ticket, the notifications,
// the search page.
func RunPages(ctx context.Context, cfg store.Config, opt PagesOptions) (*PagesResult, error) {
	if opt.Assets <= 0 {
		opt.Assets = 100000
	}
	if opt.Tickets <= 0 {
		opt.Tickets = 1000000
	}
	if opt.Requests <= 0 {
		opt.Requests = 100
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
	res := &PagesResult{Store: string(a.DB.Dialect), Mode: opt.Mode, Date: time.Now()}
	t0 := time.Now()
	password := auth.RandomToken(18)
	var techID, ticketID, groupID int64
	err = func() error {
		if _, err := Prepare(ctx, a, opt.Assets, opt.Log); err != nil {
			return err
		}
		hf, err := PrepareHelpdesk(ctx, a, opt.Tickets, opt.Log)
		if err != nil {
			return err
		}
		res.Assets, res.Tickets, techID = hf.Computers, hf.Tickets, hf.TechUserID
		sys, err := a.System(ctx, record.OriginCLI)
		if err != nil {
			return err
		}
		for _, login := range []string{TechLogin, AdminLogin} {
			var id int64
			if err := a.DB.QueryRowContext(ctx, "SELECT id FROM users WHERE login = ?", login).Scan(&id); err != nil {
				return err
			}
			if err := a.Auth.SetPassword(ctx, sys, id, password); err != nil {
				return err
			}
		}
		// The technician's newest open ticket, and a group of theirs.
		a.DB.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM tickets WHERE assigned_user_id = ? AND status IN ('new', 'assigned', 'planned', 'pending')", techID).Scan(&ticketID)
		a.DB.QueryRowContext(ctx, "SELECT COALESCE(MIN(group_id), 0) FROM group_members WHERE user_id = ?", techID).Scan(&groupID)
		return nil
	}()
	res.SeedTime = time.Since(t0)
	if cerr := a.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(opt.Log, "store ready in %v: %d computers, %d tickets\n", res.SeedTime.Round(time.Millisecond), res.Assets, res.Tickets)

	res.LoadBefore = LoadAverage()
	srv, err := opt.Start(ctx, cfg)
	if err != nil {
		return nil, err
	}
	defer srv.Stop()
	tech, err := signIn(ctx, srv.URL, TechLogin, password)
	if err != nil {
		return nil, err
	}
	admin, err := signIn(ctx, srv.URL, AdminLogin, password)
	if err != nil {
		return nil, err
	}
	me := strconv.FormatInt(techID, 10)
	view := func(sort string, filters ...string) string {
		return "/tickets?" + url.Values{"filter": filters, "sort": {sort}}.Encode()
	}
	pages := []struct {
		name, as, path string
		c              *http.Client
	}{
		{"home page (technician)", "tech", "/", tech},
		{"my open tickets", "tech", view("ttr_due_at", "assigned_user_id:eq:"+me, "open:eq:true"), tech},
		{"my groups' tickets", "tech", view("ttr_due_at", "my_groups:eq:"+me, "open:eq:true"), tech},
		{"unassigned (new) tickets", "tech", view("-id", "status:eq:new"), tech},
		{"tickets at risk", "tech", view("ttr_due_at", "due:eq:at_risk"), tech},
		{"late tickets", "tech", view("ttr_due_at", "due:eq:late"), tech},
		{"ticket list", "tech", "/tickets", tech},
		{"a ticket", "tech", "/tickets/" + strconv.FormatInt(ticketID, 10), tech},
		{"notifications", "tech", "/notifications", tech},
		// The header's search box, as a technician types: a phone extension that
		// ticket descriptions give and asset names and numbers hold, then words.
		{"search: 4521", "tech", "/search?q=4521", tech},
		{"search: imprimante bourrage", "tech", "/search?" + url.Values{"q": {"imprimante bourrage"}}.Encode(), tech},
		{"home page (administrator, whole store)", "admin", "/", admin},
	}
	if groupID == 0 {
		pages = append(pages[:2], pages[3:]...)
	}
	for _, pg := range pages {
		l, err := measurePage(ctx, pg.c, srv.URL, pg.name, pg.as, pg.path, 5, opt.Requests)
		if err != nil {
			return nil, err
		}
		if why := srv.Gone(); why != "" {
			return nil, fmt.Errorf("%s", why)
		}
		res.Pages = append(res.Pages, l)
		fmt.Fprintf(opt.Log, "%-5s %-40s median %v p95 %v\n", pg.as, pg.name, ms(l.Median), ms(l.P95))
	}
	res.LoadAfter = LoadAverage()
	return res, nil
}

// signIn signs in through the login form and returns a client keeping the
// session cookie.
func signIn(ctx context.Context, base, login, password string) (*http.Client, error) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: 2},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	form := url.Values{"login": {login}, "password": {password}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/login", strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		return nil, fmt.Errorf("sign in as %s: status %d", login, resp.StatusCode)
	}
	return c, nil
}

// measurePage times sequential GETs of a page, after warmup requests; each must
// answer 200 (a redirect to the login page would time nothing).
func measurePage(ctx context.Context, c *http.Client, base, name, as, path string, warmup, requests int) (Latency, error) {
	out := Latency{Case: name, As: as, Requests: requests, Total: -1}
	get := func() (time.Duration, error) {
		t0 := time.Now()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+path, nil)
		if err != nil {
			return 0, err
		}
		resp, err := c.Do(req)
		if err != nil {
			return 0, err
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return 0, fmt.Errorf("GET %s: status %d", path, resp.StatusCode)
		}
		return time.Since(t0), err
	}
	for i := 0; i < warmup; i++ {
		d, err := get()
		if err != nil {
			return out, err
		}
		if i == 0 {
			out.First = d
		}
	}
	ds := make([]time.Duration, 0, requests)
	for i := 0; i < requests; i++ {
		d, err := get()
		if err != nil {
			return out, err
		}
		ds = append(ds, d)
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	out.Median, out.P95, out.P99 = Percentile(ds, 0.50), Percentile(ds, 0.95), Percentile(ds, 0.99)
	out.Min, out.Max = ds[0], ds[len(ds)-1]
	out.MedianOK = out.Median <= TargetPageMedian
	return out, nil
}

// Print writes the result as a table, each median next to the target.
func (r *PagesResult) Print(w io.Writer) {
	fmt.Fprintf(w, "parc bench pages: %s store, %d computers, %d tickets, server %s, %s\n", r.Store, r.Assets, r.Tickets, r.Mode, r.Date.Format("2006-01-02 15:04"))
	fmt.Fprintf(w, "machine: %s; load average %.2f before, %.2f after\n", Machine(), r.LoadBefore, r.LoadAfter)
	fmt.Fprintf(w, "\n%-5s %-40s %10s %10s %10s  %s\n", "as", "page", "first", "median", "p95", "median <= "+ms(TargetPageMedian))
	for _, l := range r.Pages {
		fmt.Fprintf(w, "%-5s %-40s %10s %10s %10s  %s\n", l.As, l.Case, ms(l.First), ms(l.Median), ms(l.P95), verdict(l.MedianOK))
	}
}
