package bench

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"time"

	"parc/internal/helpdesk/priority"
	"parc/internal/store"
)

var ticketCols = []string{"id", "organization_id", "title", "description", "type", "status", "impact", "urgency", "priority", "category_id",
	"user_id", "assigned_user_id", "assigned_group_id", "sla_id", "tto_due_at", "ttr_due_at", "taken_at", "solved_at", "closed_at",
	"pending_reason", "pending_since", "waiting_seconds", "solution", "solution_type", "version", "created_at", "updated_at", "deleted_at"}
var followupCols = []string{"id", "organization_id", "ticket_id", "user_id", "content", "private", "version", "created_at", "updated_at"}
var docCols = []string{"id", "kind", "record_id", "ticket_id", "title", "body"}

// table accumulates rows of one table and writes them with multi-row INSERTs.
type table struct {
	name  string
	cols  []string
	batch int
	args  []any
	rows  int
	// dep is flushed first: the rows it holds are referenced by this table's.
	dep *table
}

func (t *table) add(tx *store.Tx, ctx context.Context, db *store.DB, row ...any) error {
	t.args = append(t.args, row...)
	t.rows++
	if t.rows == t.batch {
		return t.flush(tx, ctx, db)
	}
	return nil
}

func (t *table) flush(tx *store.Tx, ctx context.Context, db *store.DB) error {
	if t.rows == 0 {
		return nil
	}
	if t.dep != nil {
		if err := t.dep.flush(tx, ctx, db); err != nil {
			return err
		}
	}
	q := "INSERT INTO " + t.name + " (" + strings.Join(t.cols, ", ") + ") VALUES " + store.Rows(t.rows, len(t.cols))
	_, err := tx.ExecContext(ctx, q, t.args...)
	t.args, t.rows = t.args[:0], 0
	return err
}

// level15 draws 1-5 leaning on 3, as impact and urgency are in practice.
func level15(rng *rand.Rand) int {
	p := rng.IntN(100)
	switch {
	case p < 5:
		return 1
	case p < 25:
		return 2
	case p < 75:
		return 3
	case p < 95:
		return 4
	}
	return 5
}

// insertTickets adds n tickets with about three follow-ups each and the search
// index rows of both, in transactions of 5,000 tickets. Ids are given explicitly
// so that follow-ups and index rows need no round trip; PostgreSQL's identity
// sequences are moved past them at the end.
func insertTickets(ctx context.Context, db *store.DB, hf *HelpdeskFixture, n int, log io.Writer) error {
	rng := rand.New(rand.NewPCG(uint64(hf.Tickets)+1, 4242))
	now := time.Now().UTC().Truncate(time.Second)
	matrix := priority.Default()
	cache := analyzed{}
	var tid, fid, did int64
	if err := db.QueryRowContext(ctx, "SELECT (SELECT COALESCE(MAX(id), 0) FROM tickets), (SELECT COALESCE(MAX(id), 0) FROM ticket_followups), (SELECT COALESCE(MAX(id), 0) FROM search_docs)").Scan(&tid, &fid, &did); err != nil {
		return err
	}
	tickets := &table{name: "tickets", cols: ticketCols, batch: 250}
	followups := &table{name: "ticket_followups", cols: followupCols, batch: 1000, dep: tickets}
	docs := &table{name: "search_docs", cols: docCols, batch: 1000}
	done, nf := 0, 0
	for done < n {
		chunk := min(5000, n-done)
		t0, f0, d0, nf0 := tid, fid, did, nf
		err := db.Tx(ctx, func(tx *store.Tx) error {
			// A transaction may run again (see store.DB.Tx): from the same ids, with no rows held.
			tid, fid, did, nf = t0, f0, d0, nf0
			for _, t := range []*table{tickets, followups, docs} {
				t.args, t.rows = t.args[:0], 0
			}
			for i := 0; i < chunk; i++ {
				tid++
				tk := drawTicket(rng, hf, matrix, tid, now)
				if err := tickets.add(tx, ctx, db, tk.row...); err != nil {
					return err
				}
				did++
				if err := docs.add(tx, ctx, db, did, "tickets", tid, tid, cache.of(tk.title), cache.of(tk.desc...)); err != nil {
					return err
				}
				for k := rng.IntN(7); k > 0; k-- {
					fid++
					nf++
					text := []string{followupTexts[rng.IntN(len(followupTexts))]}
					if strings.HasSuffix(text[0], "fournisseur") {
						text = append(text, fmt.Sprintf("#%06d", rng.IntN(1000000)))
					}
					at := tk.created.Add(time.Duration(rng.Int64N(int64(tk.updated.Sub(tk.created)) + 1)))
					author := tk.requester
					if rng.IntN(2) == 0 && tk.tech != nil {
						author = tk.tech
					}
					if err := followups.add(tx, ctx, db, fid, tk.org, tid, author, strings.Join(text, " "), rng.IntN(5) == 0, 1, at, at); err != nil {
						return err
					}
					did++
					if err := docs.add(tx, ctx, db, did, "ticket-followups", fid, tid, "", cache.of(text...)); err != nil {
						return err
					}
				}
			}
			for _, t := range []*table{tickets, followups, docs} {
				if err := t.flush(tx, ctx, db); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("insert tickets: %w", err)
		}
		done += chunk
		if done%100000 == 0 || done == n {
			fmt.Fprintf(log, "  %d/%d tickets, %d follow-ups\n", done, n, nf)
		}
	}
	if db.Dialect == store.Postgres {
		for _, t := range []string{"tickets", "ticket_followups", "search_docs"} {
			if _, err := db.Exec(ctx, "SELECT setval(pg_get_serial_sequence('"+t+"', 'id'), (SELECT MAX(id) FROM "+t+"))"); err != nil {
				return err
			}
		}
	}
	return nil
}

type drawn struct {
	row              []any
	title            string
	desc             []string
	org              int64
	requester, tech  any
	created, updated time.Time
}

// drawTicket draws one ticket: age mostly recent (exponential, mean 150 days, at
// most three years); recent tickets are often open, older ones closed; solved
// tickets are less than 7 days old (older ones would have been closed).
func drawTicket(rng *rand.Rand, hf *HelpdeskFixture, m priority.Matrix, id int64, now time.Time) drawn {
	org := pickOrg(rng, hf.Fixture)
	age := time.Duration(min(rng.ExpFloat64()*150*24, 3*365*24) * float64(time.Hour))
	created := now.Add(-age)
	days := age.Hours() / 24
	p := rng.Float64()
	status := "closed"
	switch {
	case days < 7:
		status = pick(p, []float64{0.15, 0.45, 0.55, 0.65}, []string{"new", "assigned", "planned", "pending"}, "solved")
	case days < 60:
		status = pick(p, []float64{0.01, 0.06, 0.08, 0.12}, []string{"new", "assigned", "planned", "pending"}, "closed")
	default:
		status = pick(p, []float64{0.003, 0.005}, []string{"assigned", "pending"}, "closed")
	}
	impact, urgency := level15(rng), level15(rng)
	prio := m.Compute(impact, urgency)
	subject, problem := ticketSubjects[rng.IntN(len(ticketSubjects))], ticketProblems[rng.IntN(len(ticketProblems))]
	title := subject + " " + problem
	site := org.Sites[rng.IntN(len(org.Sites))]
	var requester any
	reqName := ""
	if len(org.Users) > 0 {
		requester = org.Users[rng.IntN(len(org.Users))]
		reqName = firstNames[rng.IntN(len(firstNames))] + " " + lastNames[rng.IntN(len(lastNames))]
	}
	desc := []string{ticketSentences[rng.IntN(len(ticketSentences))], strings.ToLower(title), ticketDetails[rng.IntN(len(ticketDetails))],
		fmt.Sprintf("Poste PC-%s-%06d.", site.Code, rng.IntN(1000000)), reqName}
	var techID, group any
	var taken, solved, closed, pendingSince, reason, solution, solType any
	updated := created
	if status != "new" {
		techs, groups := hf.techs[org.ID], hf.groups[org.ID]
		r := rng.IntN(10)
		if r < 9 && len(techs) > 0 {
			techID = techs[rng.IntN(len(techs))]
		}
		if (r < 7 || r == 9 || techID == nil) && len(groups) > 0 {
			group = groups[0]
			if rng.IntN(10) == 0 && len(groups) > 1 {
				group = groups[1]
			}
		}
		t := created.Add(time.Duration(rng.IntN(7200)) * time.Second)
		if t.After(now) {
			t = now
		}
		taken, updated = t, t
	}
	waiting := int64(0)
	switch status {
	case "pending":
		ps := created.Add(time.Duration(rng.Int64N(int64(now.Sub(created)) + 1)))
		pendingSince, reason, updated = ps, "En attente du retour de l'utilisateur", ps
	case "solved":
		s := created.Add(time.Duration(rng.Int64N(int64(now.Sub(created)) + 1)))
		solved, updated = s, s
		solution, solType = "Redémarrage du service, le problème est résolu.", "fixed"
	case "closed":
		s := created.Add(time.Hour + time.Duration(rng.Int64N(int64(10*24*time.Hour))))
		if lim := now.Add(-7 * 24 * time.Hour); s.After(lim) {
			s = lim
		}
		if s.Before(created) {
			s = created
		}
		c := s.Add(7 * 24 * time.Hour)
		solved, closed, updated = s, c, c
		solution, solType = "Pilote mis à jour, fonctionnement vérifié avec l'utilisateur.", "fixed"
		if rng.IntN(5) == 0 {
			waiting = int64(rng.IntN(2 * 86400))
		}
	}
	sla := hf.slaByPrio[prio]
	var tto, ttr any
	if sla.id != 0 {
		if t := hf.cal.Add(created, sla.tto); !t.IsZero() {
			tto = t.UTC()
		}
		if t := hf.cal.Add(created, sla.ttr+time.Duration(waiting)*time.Second); !t.IsZero() {
			ttr = t.UTC()
		}
	}
	var slaID, deleted any
	if sla.id != 0 {
		slaID = sla.id
	}
	if rng.IntN(300) == 0 {
		deleted = updated
	}
	cats := hf.cats[org.ID]
	var cat any
	if len(cats) > 0 {
		cat = cats[rng.IntN(len(cats))]
	}
	typ := "incident"
	if rng.IntN(10) < 3 {
		typ = "request"
	}
	row := []any{id, org.ID, title, strings.Join(desc, " "), typ, status, impact, urgency, prio, cat,
		requester, techID, group, slaID, tto, ttr, taken, solved, closed,
		reason, pendingSince, waiting, solution, solType, 1, created, updated, deleted}
	return drawn{row: row, title: title, desc: desc, org: org.ID, requester: requester, tech: techID, created: created, updated: updated}
}

func pick(p float64, bounds []float64, names []string, otherwise string) string {
	for i, b := range bounds {
		if p < b {
			return names[i]
		}
	}
	return otherwise
}
