package contract

import (
	"context"
	"time"

	"parc/internal/i18n"
	"parc/internal/jobs"
	"parc/internal/mail"
	"parc/internal/record"
	"parc/internal/store"
)

// AlertDays is how long before a contract's notice deadline and before its end
// its responsible users are told.
const AlertDays = 30

// Alert kinds.
const (
	AlertNotice = "notice" // the notice deadline is near (or today)
	AlertEnd    = "end"    // the end is near
)

// Mailer queues notices by mail (the mail notifier); nil sends none.
type Mailer interface {
	QueueNotice(ctx context.Context, tx *store.Tx, users []int64, nt mail.Notice) (int, error)
}

// Alerts is the contracts' job: tacit renewals, then the notice and end alerts.
type Alerts struct {
	S    *Service
	Cat  *i18n.Catalog
	Mail Mailer
	// Inbox records the in-app notice of each alert for each recipient; nil none.
	Inbox func(ctx context.Context, tx *store.Tx, users []int64, contractID int64, event string) error
}

// Job is the alerts as a periodic job.
func (j *Alerts) Job() jobs.Job {
	return jobs.Job{Name: "contracts.alerts", Every: time.Hour, Jitter: time.Minute, Run: func(ctx context.Context) error {
		_, err := j.Run(ctx)
		return err
	}}
}

// RunResult says what one pass did.
type RunResult struct {
	Renewed int // tacit contracts extended by their duration
	Sent    int // alerts recorded (each once per contract, kind and date)
}

// Run renews the tacit contracts that reached their end, then records and sends
// the alerts due today: a contract's notice alert from AlertDays before its
// notice deadline until that deadline, its end alert from AlertDays before its
// end until it; each at most once per contract, kind and date (contract_alerts).
func (j *Alerts) Run(ctx context.Context) (RunResult, error) {
	var res RunResult
	s := j.S
	today := s.Today()
	day := today.Format(DateLayout)
	tree, err := record.LoadOrgTree(ctx, s.Rec.DB)
	if err != nil {
		return res, err
	}
	sys := record.SystemActor(tree, record.OriginJob)
	t := s.contracts()

	// Tacit renewals: each period that ended before today adds one renewal.
	ids, err := s.Rec.DB.IDs(ctx, s.Rec.DB, "SELECT id FROM contracts WHERE deleted_at IS NULL AND renewal = ? AND end_date < ? ORDER BY id LIMIT 1000", Tacit, day)
	if err != nil {
		return res, err
	}
	for _, id := range ids {
		ct, err := s.Rec.Get(ctx, sys, t, id)
		if err != nil {
			return res, err
		}
		start, ok := parseDay(ct.String("start_date"))
		if !ok {
			continue
		}
		n := ct.Int("renewals")
		months := int(ct.Int("duration_months"))
		for Derive(start, months, int(n), 0).End.Before(today) {
			n++
		}
		if n == ct.Int("renewals") {
			continue
		}
		if _, err := s.Rec.Update(ctx, sys, t, id, record.Input{"renewals": n, "version": ct.Version}); err != nil {
			return res, err
		}
		res.Renewed++
	}

	// Alerts due today and not yet sent.
	horizon := today.AddDate(0, 0, AlertDays).Format(DateLayout)
	for _, a := range []struct{ kind, col string }{{AlertNotice, "notice_date"}, {AlertEnd, "end_date"}} {
		rows, err := s.Rec.DB.QueryContext(ctx, `SELECT c.id, c.`+a.col+` FROM contracts c WHERE c.deleted_at IS NULL AND c.`+a.col+` >= ? AND c.`+a.col+` <= ?
			AND c.start_date <= ?
			AND NOT EXISTS (SELECT 1 FROM contract_alerts x WHERE x.contract_id = c.id AND x.kind = ? AND x.due_on = c.`+a.col+`) ORDER BY c.id LIMIT 1000`,
			day, horizon, day, a.kind)
		if err != nil {
			return res, err
		}
		type due struct {
			id int64
			on string
		}
		var list []due
		for rows.Next() {
			var d due
			var on any
			if err := rows.Scan(&d.id, &on); err != nil {
				rows.Close()
				return res, err
			}
			d.on = dateText(on)
			list = append(list, d)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return res, err
		}
		for _, d := range list {
			ct, err := s.Rec.Get(ctx, sys, t, d.id)
			if err != nil {
				return res, err
			}
			sent := false
			err = s.Rec.DB.Tx(ctx, func(tx *store.Tx) error {
				sent = false
				users, err := recipients(ctx, tx, ct)
				if err != nil {
					return err
				}
				r, err := tx.ExecContext(ctx, `INSERT INTO contract_alerts (contract_id, kind, due_on, recipients, sent_at) VALUES (?, ?, ?, ?, ?)
					ON CONFLICT (contract_id, kind, due_on) DO NOTHING`, ct.ID, a.kind, d.on, len(users), s.Rec.Now())
				if err != nil {
					return err
				}
				if n, _ := r.RowsAffected(); n == 0 {
					return nil // another server sent it
				}
				sent = true
				if j.Inbox != nil {
					if err := j.Inbox(ctx, tx, users, ct.ID, "contract_"+a.kind); err != nil {
						return err
					}
				}
				if j.Mail != nil {
					_, err := j.Mail.QueueNotice(ctx, tx, users, j.notice(ct, a.kind, d.on))
					return err
				}
				return nil
			})
			if err != nil {
				return res, err
			}
			if sent {
				res.Sent++
			}
		}
	}
	return res, nil
}

// notice is an alert's mail.
func (j *Alerts) notice(ct *record.Record, kind, on string) mail.Notice {
	label := ct.Label()
	return mail.Notice{Event: "contract_" + kind, Thread: "contract." + itoa(ct.ID), Path: "/contracts/" + itoa(ct.ID),
		Message: func(lang string) (string, string) {
			when := FormatDay(lang, on)
			end := FormatDay(lang, ct.String("end_date"))
			subject := j.Cat.T(lang, "contract.mail.subject_"+kind, label, when)
			var text string
			if kind == AlertNotice {
				key := "contract.mail.notice_explicit"
				if ct.String("renewal") == Tacit {
					key = "contract.mail.notice_tacit"
				}
				text = j.Cat.T(lang, key, label, when, end)
			} else {
				key := "contract.mail.end_explicit"
				if ct.String("renewal") == Tacit {
					key = "contract.mail.end_tacit"
				}
				text = j.Cat.T(lang, key, label, end)
			}
			return subject, text
		}}
}

// FormatDay writes a stored date as people of lang read it.
func FormatDay(lang, iso string) string {
	d, ok := parseDay(iso)
	if !ok {
		return iso
	}
	if lang == "fr" {
		return d.Format("02/01/2006")
	}
	return d.Format("2006-01-02")
}

// recipients are a contract's responsible user and the members of its
// responsible group, active and live.
func recipients(ctx context.Context, tx *store.Tx, ct *record.Record) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id FROM users WHERE deleted_at IS NULL AND active = ? AND (id = ? OR id IN
		(SELECT user_id FROM group_members WHERE group_id = ? AND deleted_at IS NULL)) ORDER BY id`,
		true, ct.Int("responsible_user_id"), ct.Int("responsible_group_id"))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
