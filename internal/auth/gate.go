package auth

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"parc/internal/record"
)

// ErrBusy answers an attempt that found the gate full: it was not counted nor
// audited (no password was checked), and the client may retry in a second.
var ErrBusy = &Throttled{Err: record.E(record.CodeRateLimited, "err.login_busy"), RetryAfter: time.Second}

// Gate bounds the password verifications running at once. Each argon2id check
// holds 19 MiB for its duration; without a bound, a burst of parallel sign-ins
// held that much per request (150 parallel bad logins took a server to 2.9 GB).
// An attempt is admitted before it costs anything (a database write, a wait):
// beyond the attempts running and waiting, it is refused at once with ErrBusy, so
// that a burst of a thousand is mostly answered in a millisecond each.
type Gate struct {
	slots    chan struct{}
	admitted atomic.Int64
	capacity int64
	wait     time.Duration

	mu      sync.Mutex
	typical time.Duration // recent verifications' duration, waiting included
}

// NewGate lets slots verifications run at once and maxWaiting more attempts wait
// at most wait for their turn.
func NewGate(slots, maxWaiting int, wait time.Duration) *Gate {
	slots = max(1, slots)
	return &Gate{slots: make(chan struct{}, slots), capacity: int64(slots + max(0, maxWaiting)), wait: wait, typical: hashTime}
}

// DefaultGate runs two verifications at once (one on a single processor): 38 MiB
// of argon2id memory, whatever the machine, and some thirty sign-ins a second on
// two cores. Eight attempts per slot may wait, up to two seconds; a ninth is
// refused at once.
func DefaultGate() *Gate {
	n := min(runtime.GOMAXPROCS(0), 2)
	return NewGate(n, 8*n, 2*time.Second)
}

// admit takes a place among the attempts under way, or answers ErrBusy. Every
// attempt takes one, whether its login exists or not, so that being refused tells
// nothing about the login.
func (g *Gate) admit() (func(), error) {
	if g.admitted.Add(1) > g.capacity {
		g.admitted.Add(-1)
		return nil, ErrBusy
	}
	return func() { g.admitted.Add(-1) }, nil
}

// check verifies a password, for an admitted attempt, once a slot is free within
// the gate's wait. An empty hash stands for an account that cannot sign in
// (unknown login, inactive, no password): nothing is verified, but the answer
// comes after as long as recent verifications took, waiting included, so that
// timing does not tell which logins exist; such attempts cost no memory.
func (g *Gate) check(ctx context.Context, hash, password string) (bool, error) {
	if hash == "" {
		g.mu.Lock()
		t := time.NewTimer(g.typical)
		g.mu.Unlock()
		defer t.Stop()
		select {
		case <-t.C:
			return false, nil
		case <-ctx.Done():
			return false, ctx.Err()
		}
	}
	t0 := time.Now()
	t := time.NewTimer(g.wait)
	defer t.Stop()
	select {
	case g.slots <- struct{}{}:
	case <-t.C:
		return false, ErrBusy
	case <-ctx.Done():
		return false, ctx.Err()
	}
	ok := CheckPassword(hash, password)
	<-g.slots
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
