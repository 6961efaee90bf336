package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"parc/internal/app"
	"parc/internal/store"
)

// TargetLoginRSS is the most resident memory `parc serve` may reach while it
// answers a burst of parallel bad sign-ins (issue 10).
const TargetLoginRSS = 200 << 20

// LoginOptions tune `parc bench logins`.
type LoginOptions struct {
	Parallel int       // bad sign-ins sent at once, each from its own client (1,000)
	Bursts   int       // bursts of Parallel sign-ins per attack, one after the other (3)
	Accounts int       // existing accounts the wrong passwords aim at (50)
	Start    StartFunc // a server with the HTML interface (ProcessStarter)
	Mode     string
	Log      io.Writer
}

// LoginResult is what `parc bench logins` measured.
type LoginResult struct {
	Store, Mode string
	Parallel    int
	Baseline    Memory // after start, before any sign-in
	Attacks     []LoginAttack
	Idle        Memory // a few seconds after the last attack
}

// LoginAttack is one burst of bad sign-ins and what the server did meanwhile.
type LoginAttack struct {
	Name      string
	Addresses int // client addresses the attackers came from
	Sent      int
	Status    map[int]int
	PeakRSS   int64 // the largest VmRSS sampled during the attack
	HWM       int64 // VmHWM after it: the peak since the server started
	// The legitimate user's sign-in, from an address of their own, during the
	// middle burst: how long until signed in and how many tries (a 429 is tried
	// again after its Retry-After, as a person would).
	LegitTime  time.Duration
	LegitTries int
	LegitOK    bool
}

// LegitLogin is the account that signs in during the attacks.
const (
	LegitLogin    = "bench-legit"
	LegitPassword = "legitimate user's password"
)

// RunLogins seeds accounts, starts the server and sends it three attacks, each of
// opt.Bursts bursts of opt.Parallel bad sign-ins sent at once: unknown logins from
// as many client addresses (127.x.y.z), wrong passwords of existing accounts from
// as many addresses, and wrong passwords from one address. During the middle burst
// of each, a legitimate user signs in from their own address.
func RunLogins(ctx context.Context, cfg store.Config, opt LoginOptions) (*LoginResult, error) {
	if opt.Parallel <= 0 {
		opt.Parallel = 1000
	}
	if opt.Accounts <= 0 {
		opt.Accounts = 50
	}
	if opt.Bursts <= 0 {
		opt.Bursts = 3
	}
	if opt.Log == nil {
		opt.Log = io.Discard
	}
	if opt.Start == nil {
		// Tests: the memory figures are then this process's, load generator included.
		opt.Start, opt.Mode = StartInProcess, "in-process"
	}
	if opt.Parallel > 250*250 {
		return nil, fmt.Errorf("at most %d parallel sign-ins (client addresses)", 250*250)
	}
	a, err := app.Open(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return nil, err
	}
	res := &LoginResult{Store: string(a.DB.Dialect), Mode: opt.Mode, Parallel: opt.Parallel}
	err = seedLoginAccounts(ctx, a, opt.Accounts)
	a.Close()
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(opt.Log, "%d accounts ready; starting the server\n", opt.Accounts+1)
	srv, err := opt.Start(ctx, cfg)
	if err != nil {
		return nil, err
	}
	defer srv.Stop()
	if res.Baseline, err = ReadMemory(srv.PID); err != nil {
		return nil, err
	}
	accounts := func(rng *rand.Rand) string { return "bench-user-" + strconv.Itoa(rng.IntN(opt.Accounts)) }
	attacks := []struct {
		name   string
		octet  int // second octet of the attackers' addresses; 0: all from 127.0.0.5
		target func(rng *rand.Rand) string
	}{
		{"unknown logins", 1, func(rng *rand.Rand) string { return "nobody-" + strconv.FormatUint(rng.Uint64(), 36) }},
		{"wrong passwords of " + strconv.Itoa(opt.Accounts) + " accounts", 2, accounts},
		{"wrong passwords, one address", 0, accounts},
	}
	for _, at := range attacks {
		fmt.Fprintf(opt.Log, "attack: %s, %d bursts of %d in parallel\n", at.name, opt.Bursts, opt.Parallel)
		r, err := loginAttack(ctx, srv, opt, at.name, at.octet, at.target)
		if err != nil {
			return nil, err
		}
		res.Attacks = append(res.Attacks, r)
	}
	time.Sleep(5 * time.Second)
	if res.Idle, err = ReadMemory(srv.PID); err != nil {
		return nil, err
	}
	return res, nil
}

func seedLoginAccounts(ctx context.Context, a *app.App, n int) error {
	if _, err := a.Bootstrap(ctx, "fr"); err != nil {
		return err
	}
	sys, err := a.System(ctx, "cli")
	if err != nil {
		return err
	}
	logins := []string{LegitLogin}
	for i := range n {
		logins = append(logins, "bench-user-"+strconv.Itoa(i))
	}
	for _, l := range logins {
		var exists int
		if err := a.DB.QueryRowContext(ctx, "SELECT COUNT(*) FROM users WHERE login = ?", l).Scan(&exists); err != nil {
			return err
		}
		if exists > 0 {
			continue
		}
		if _, err := a.Auth.CreateUser(ctx, sys, l, LegitPassword, "observer", sys.Tree.Root); err != nil {
			return fmt.Errorf("create %s: %w", l, err)
		}
	}
	// A store measured again starts without the failures of the previous run.
	_, err = a.DB.Exec(ctx, "DELETE FROM login_failures")
	return err
}

// loginClient posts sign-in forms from one client address.
func loginClient(base, addr string) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(addr)}, Timeout: 30 * time.Second}
	tr := &http.Transport{DialContext: d.DialContext, MaxConnsPerHost: 1, MaxIdleConnsPerHost: 1, IdleConnTimeout: time.Minute}
	return &http.Client{Transport: tr, Timeout: time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// postLogin sends one sign-in form and returns the status and Retry-After.
func postLogin(ctx context.Context, c *http.Client, base, login, password string) (int, time.Duration, error) {
	form := url.Values{"login": {login}, "password": {password}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/login", strings.NewReader(form.Encode()))
	if err != nil {
		return 0, 0, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.Do(req)
	if err != nil {
		return 0, 0, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	secs, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
	return resp.StatusCode, time.Duration(secs) * time.Second, nil
}

func loginAttack(ctx context.Context, srv *Server, opt LoginOptions, name string, octet int, target func(*rand.Rand) string) (LoginAttack, error) {
	r := LoginAttack{Name: name, Status: map[int]int{}}
	clients := make([]*http.Client, opt.Parallel)
	addrs := map[string]bool{}
	for i := range clients {
		addr := "127.0.0.5"
		if octet > 0 {
			addr = fmt.Sprintf("127.%d.%d.%d", octet, i/250, i%250+1)
		}
		addrs[addr] = true
		clients[i] = loginClient(srv.URL, addr)
		defer clients[i].CloseIdleConnections()
	}
	r.Addresses = len(addrs)
	// Memory, sampled while the attack lasts.
	sampled := sampleRSS(srv.PID)
	var mu sync.Mutex
	var firstErr error
	legitDone := make(chan error, 1)
	for b := range opt.Bursts {
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i, c := range clients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				rng := rand.New(rand.NewPCG(uint64(i), uint64(octet*1000+b)))
				<-start
				code, _, err := postLogin(ctx, c, srv.URL, target(rng), "wrong password")
				mu.Lock()
				defer mu.Unlock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				r.Status[code]++
			}()
		}
		close(start)
		if b == opt.Bursts/2 {
			// The legitimate user comes while this burst is being answered.
			go func() {
				time.Sleep(20 * time.Millisecond)
				legitDone <- legitSignIn(ctx, srv.URL, &r)
			}()
		}
		wg.Wait()
		r.Sent += len(clients)
	}
	lerr := <-legitDone
	r.PeakRSS = sampled()
	if lerr != nil {
		return r, lerr
	}
	m, err := ReadMemory(srv.PID)
	if err != nil {
		return r, err
	}
	r.HWM = m.HWM
	if gone := srv.Gone(); gone != "" {
		return r, errors.New(gone)
	}
	if firstErr != nil {
		return r, fmt.Errorf("%d of %d sign-ins failed: %w", r.Status[0], r.Sent, firstErr)
	}
	return r, nil
}

// legitSignIn signs the legitimate user in from their own address, trying again
// after each Retry-After as a person would.
func legitSignIn(ctx context.Context, base string, r *LoginAttack) error {
	c := loginClient(base, "127.0.0.2")
	defer c.CloseIdleConnections()
	t0 := time.Now()
	defer func() { r.LegitTime = time.Since(t0) }()
	for r.LegitTries < 20 && ctx.Err() == nil {
		r.LegitTries++
		code, wait, err := postLogin(ctx, c, base, LegitLogin, LegitPassword)
		if err != nil {
			return fmt.Errorf("legitimate sign-in: %w", err)
		}
		if code == http.StatusSeeOther {
			r.LegitOK = true
			return nil
		}
		if code != http.StatusTooManyRequests {
			return fmt.Errorf("legitimate sign-in: status %d", code)
		}
		time.Sleep(max(wait, 100*time.Millisecond))
	}
	return nil
}

// Print writes the results as a table.
func (r *LoginResult) Print(w io.Writer) {
	mb := func(b int64) string { return fmt.Sprintf("%.0f MB", float64(b)/(1<<20)) }
	fmt.Fprintf(w, "store %s, server %s, %d sign-ins in parallel\n", r.Store, r.Mode, r.Parallel)
	fmt.Fprintf(w, "resident memory at start: %s (peak %s)\n\n", mb(r.Baseline.RSS), mb(r.Baseline.HWM))
	fmt.Fprintf(w, "%-36s %9s %8s %-28s %9s %9s  %s\n", "attack", "addresses", "answers", "by status", "peak RSS", "VmHWM", "legitimate sign-in")
	for _, a := range r.Attacks {
		var codes []int
		for c := range a.Status {
			codes = append(codes, c)
		}
		sort.Ints(codes)
		var parts []string
		for _, c := range codes {
			parts = append(parts, fmt.Sprintf("%d:%d", c, a.Status[c]))
		}
		legit := fmt.Sprintf("in %v, %d tries", a.LegitTime.Round(time.Millisecond), a.LegitTries)
		if !a.LegitOK {
			legit = "FAILED after " + strconv.Itoa(a.LegitTries) + " tries"
		}
		fmt.Fprintf(w, "%-36s %9d %8d %-28s %9s %9s  %s\n", a.Name, a.Addresses, a.Sent, strings.Join(parts, " "), mb(a.PeakRSS), mb(a.HWM), legit)
	}
	fmt.Fprintf(w, "\nresident memory 5 s after the last attack: %s\n", mb(r.Idle.RSS))
	verdict := "within"
	for _, a := range r.Attacks {
		if a.HWM > TargetLoginRSS || !a.LegitOK {
			verdict = "NOT within"
		}
	}
	fmt.Fprintf(w, "target (peak under %s, the legitimate user signs in): %s\n", mb(TargetLoginRSS), verdict)
}
