package auth

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"parc/internal/record"
)

// ErrBusy answers an attempt that found every verification slot taken and too
// many attempts already waiting: the attempt is not counted, the client may retry.
var ErrBusy = &Throttled{Err: record.E(record.CodeRateLimited, "err.login_busy"), RetryAfter: time.Second}

// Gate bounds the password verifications running at once. Each argon2id check
// holds 19 MiB for its duration; without a bound, a burst of parallel sign-ins
// held that much per request (150 parallel bad logins took a server to 2.9 GB).
type Gate struct {
	slots      chan struct{}
	waiting    atomic.Int64
	maxWaiting int64
	wait       time.Duration

	mu      sync.Mutex
	typical time.Duration // recent verifications' duration, waiting included
}

// NewGate lets slots verifications run at once; up to maxWaiting more wait at most
// wait for their turn, and any others are refused at once with ErrBusy.
func NewGate(slots, maxWaiting int, wait time.Duration) *Gate {
	return &Gate{slots: make(chan struct{}, max(1, slots)), maxWaiting: int64(maxWaiting), wait: wait}
}

// DefaultGate runs as many verifications as Go has processors, four at most
// (76 MiB of argon2id memory), with sixteen waiting per slot for up to two seconds.
func DefaultGate() *Gate {
	n := min(runtime.GOMAXPROCS(0), 4)
	return NewGate(n, 16*n, 2*time.Second)
}

func (g *Gate) enter(ctx context.Context) (func(), error) {
	release := func() { <-g.slots }
	select {
	case g.slots <- struct{}{}:
		return release, nil
	default:
	}
	if g.waiting.Add(1) > g.maxWaiting {
		g.waiting.Add(-1)
		return nil, ErrBusy
	}
	defer g.waiting.Add(-1)
	t := time.NewTimer(g.wait)
	defer t.Stop()
	select {
	case g.slots <- struct{}{}:
		return release, nil
	case <-t.C:
		return nil, ErrBusy
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// check verifies a password under the gate. An empty hash stands for an account
// that cannot sign in (unknown login, inactive, no password): nothing is verified,
// but the answer comes after as long as recent verifications took, so that timing
// does not tell which logins exist, and such attempts cost no memory.
func (g *Gate) check(ctx context.Context, hash, password string) (bool, error) {
	if hash == "" {
		g.mu.Lock()
		d := g.typical
		g.mu.Unlock()
		if d > 0 {
			t := time.NewTimer(d)
			defer t.Stop()
			select {
			case <-t.C:
			case <-ctx.Done():
				return false, ctx.Err()
			}
			return false, nil
		}
		hash = dummyHash // nothing measured yet: measure on a real verification
	}
	t0 := time.Now()
	release, err := g.enter(ctx)
	if err != nil {
		return false, err
	}
	ok := CheckPassword(hash, password)
	release()
	d := time.Since(t0)
	g.mu.Lock()
	if g.typical == 0 {
		g.typical = d
	} else {
		g.typical += (d - g.typical) / 8
	}
	g.mu.Unlock()
	return ok, nil
}
