package auth

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"parc/internal/record"
	"parc/internal/store"
)

// Limits of password attempts (sign-in and password change), counted over Window
// in the database so that every server sharing a store applies them together.
// docs/security.md states them for administrators.
const (
	Window = 15 * time.Minute
	// MaxLoginFails is per account and client address: someone guessing from one
	// place is stopped without locking the account out for everyone else.
	MaxLoginFails = 5
	// MaxAddressFails is per client address, whatever the accounts tried.
	MaxAddressFails = 20
	// FreeAccountFails failures of one account, from any address, pass freely;
	// each further one doubles the wait before the account's next attempt, from
	// one second up to MaxAccountDelay. Guessing from many addresses is slowed to
	// one attempt per MaxAccountDelay at worst, while its owner waits no longer.
	FreeAccountFails = 10
	MaxAccountDelay  = time.Minute
)

// Throttled is a refused attempt: its message and how long to wait.
type Throttled struct {
	Err        *record.Error
	RetryAfter time.Duration
}

func (t *Throttled) Error() string { return t.Err.Error() }
func (t *Throttled) Unwrap() error { return t.Err }

// RetryAfter tells how long a throttled caller should wait, in whole seconds (at
// least one), for a Retry-After header.
func RetryAfter(err error) (int, bool) {
	var t *Throttled
	if !errors.As(err, &t) {
		return 0, false
	}
	return max(1, int(math.Ceil(t.RetryAfter.Seconds()))), true
}

func throttled(wait time.Duration) *Throttled {
	secs := max(1, int(math.Ceil(wait.Seconds())))
	return &Throttled{Err: record.E(record.CodeRateLimited, "err.too_many_attempts", secs), RetryAfter: wait}
}

// AccountDelay is the wait imposed on an account after n failures in the window.
func AccountDelay(n int) time.Duration {
	if n < FreeAccountFails {
		return 0
	}
	d := time.Second << min(n-FreeAccountFails, 16)
	return min(d, MaxAccountDelay)
}

// limitKeys are the counters one attempt is charged to.
type limitKeys struct {
	pair, addr, account string
}

func keysFor(login, ip string) limitKeys {
	l := strings.ToLower(login)
	return limitKeys{pair: "pair:" + ip + " " + l, addr: "ip:" + ip, account: "login:" + l}
}

// reservation is an attempt counted as a failure until it is released.
type reservation struct {
	keys limitKeys
	ids  []int64
}

// reserve charges an attempt to its counters before the password is checked: the
// counts are read and raised in one transaction (SQLite's single writer; on
// PostgreSQL, advisory locks on the keys), so that parallel guesses cannot all
// pass a check of counts they would only raise afterwards. A refusal is audited
// in the same transaction, as event+"_throttled".
func (s *Service) reserve(ctx context.Context, k limitKeys, event string, userID int64, login, ip string) (*reservation, error) {
	now := s.Now()
	var res *reservation
	var wait time.Duration
	err := s.DB.Tx(ctx, func(tx *store.Tx) error {
		res, wait = nil, 0 // the transaction may run again
		keys := []string{k.pair, k.addr, k.account}
		if s.DB.Dialect == store.Postgres {
			if err := lockKeys(ctx, tx, keys); err != nil {
				return err
			}
		}
		for _, key := range keys {
			n, oldest, newest, err := s.failuresTx(ctx, tx, key, now)
			if err != nil {
				return err
			}
			switch key {
			case k.pair:
				if n >= MaxLoginFails {
					wait = max(wait, oldest.Add(Window).Sub(now))
				}
			case k.addr:
				if n >= MaxAddressFails {
					wait = max(wait, oldest.Add(Window).Sub(now))
				}
			case k.account:
				if d := AccountDelay(n); d > 0 && newest.Add(d).After(now) {
					wait = max(wait, newest.Add(d).Sub(now))
				}
			}
		}
		if wait > 0 {
			return s.auditTx(ctx, tx, event+"_throttled", userID, login, ip, fmt.Sprintf("retry_after=%ds", max(1, int(math.Ceil(wait.Seconds())))))
		}
		if rand.IntN(128) == 0 {
			// Now and then, forget what the window no longer counts.
			if _, err := tx.ExecContext(ctx, "DELETE FROM login_failures WHERE at < ?", now.Add(-Window)); err != nil {
				return err
			}
		}
		res = &reservation{keys: k}
		for _, key := range keys {
			id, err := s.DB.InsertID(ctx, tx, "INSERT INTO login_failures (key, at) VALUES (?, ?)", key, now)
			if err != nil {
				return err
			}
			res.ids = append(res.ids, id)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if wait > 0 {
		return nil, throttled(wait)
	}
	return res, nil
}

// lockKeys takes PostgreSQL transaction locks on the counters, in one order.
func lockKeys(ctx context.Context, tx *store.Tx, keys []string) error {
	hs := make([]int64, 0, len(keys))
	for _, k := range keys {
		h := fnv.New64a()
		h.Write([]byte("parc login limit " + k))
		hs = append(hs, int64(h.Sum64()))
	}
	slices.Sort(hs)
	for _, h := range slices.Compact(hs) {
		if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", h); err != nil {
			return err
		}
	}
	return nil
}

// failuresTx counts a key's failures in the window, with the oldest and newest.
func (s *Service) failuresTx(ctx context.Context, q store.Querier, key string, now time.Time) (int, time.Time, time.Time, error) {
	var n int
	var lo, hi any
	err := q.QueryRowContext(ctx, "SELECT COUNT(*), MIN(at), MAX(at) FROM login_failures WHERE key = ? AND at > ?", key, now.Add(-Window)).Scan(&n, &lo, &hi)
	if err != nil {
		return 0, time.Time{}, time.Time{}, err
	}
	tsf := &record.Field{Kind: record.DateTime}
	oldest, _ := tsf.FromDB(lo).(time.Time)
	newest, _ := tsf.FromDB(hi).(time.Time)
	return n, oldest, newest, nil
}

// settleTx turns a reservation into a success: the attempt no longer counts, nor
// do the earlier failures of this account from this address; expired rows go.
func (s *Service) settleTx(ctx context.Context, tx *store.Tx, res *reservation) error {
	if err := s.releaseTx(ctx, tx, res); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, "DELETE FROM login_failures WHERE key = ? OR at < ?", res.keys.pair, s.Now().Add(-Window))
	return err
}

// releaseTx withdraws a reservation whose password was never checked.
func (s *Service) releaseTx(ctx context.Context, tx *store.Tx, res *reservation) error {
	for _, id := range res.ids {
		if _, err := tx.ExecContext(ctx, "DELETE FROM login_failures WHERE id = ?", id); err != nil {
			return err
		}
	}
	return nil
}

// release withdraws a reservation whose password was never checked.
func (s *Service) release(ctx context.Context, res *reservation) error {
	ctx, cancel := auditContext(ctx)
	defer cancel()
	return s.DB.Tx(ctx, func(tx *store.Tx) error { return s.releaseTx(ctx, tx, res) })
}
