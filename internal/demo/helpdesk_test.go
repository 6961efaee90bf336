package demo_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"parc/internal/app"
	"parc/internal/helpdesk"
	"parc/internal/helpdesk/calendar"
	"parc/internal/record"
	"parc/internal/search"
)

// wantStatuses are the demo's tickets by status; the dates move with the day of
// the load, but every solved ticket is younger than the automatic closing delay
// and every auto-closed one older. One assigned ticket waits for a part
// (purchasing): it is pending.
var wantStatuses = map[string]int{"new": 6, "assigned": 7, "planned": 4, "pending": 6, "solved": 6, "closed": 9}

// checkHelpdesk checks the demo's helpdesk: tickets in every status and
// organisation, each under the SLA the rules give with the due times its
// calendar gives, what each status implies, approvals, follow-ups, tasks, linked
// assets, dates around the load, and the knowledge base found by the search with
// each reader's rights.
func checkHelpdesk(t *testing.T, a *app.App, loaded time.Time) {
	t.Helper()
	ctx := context.Background()
	sys, err := a.System(ctx, record.OriginCLI)
	if err != nil {
		t.Fatal(err)
	}
	tickets := listAll(t, a, sys, "tickets")
	byTitle := map[string]*record.Record{}
	statuses := map[string]int{}
	orgs := map[int64]int{}
	for _, tk := range tickets {
		byTitle[tk.String("title")] = tk
		statuses[tk.String("status")]++
		orgs[tk.OrgID]++
	}
	for st, want := range wantStatuses {
		if statuses[st] != want {
			t.Errorf("%d tickets %s, want %d (all: %v)", statuses[st], st, want, statuses)
		}
	}
	for _, name := range []string{"InfoGérance Services", "Boulangeries Martin", "Martin Traiteur", "Cabinet Durand Avocats"} {
		if orgs[orgID(t, a, name)] < 5 {
			t.Errorf("%s has %d tickets", name, orgs[orgID(t, a, name)])
		}
	}

	// Every ticket has an SLA, the one the rules pick for these, and the due
	// times of its calendar: opening + TTO, opening + TTR + time spent pending.
	slas := map[int64]*record.Record{}
	for _, s := range listAll(t, a, sys, "slas") {
		slas[s.ID] = s
	}
	cals := map[int64]*calendar.Calendar{}
	for _, c := range listAll(t, a, sys, "calendars") {
		if cals[c.ID], err = calendar.Parse(c.String("timezone"), c.String("hours"), c.String("holidays")); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(c.String("holidays"), "Lundi de Pâques") || !strings.Contains(c.String("holidays"), "07-14 Fête nationale") {
			t.Errorf("calendar %s holidays:\n%s", c.String("name"), c.String("holidays"))
		}
	}
	if len(cals) != 1 || len(slas) < 5 {
		t.Fatalf("%d calendars, %d SLAs", len(cals), len(slas))
	}
	slaOf := func(title string) string {
		tk := byTitle[title]
		if tk == nil {
			t.Fatalf("no ticket %q", title)
		}
		return slas[tk.Int("sla_id")].String("name")
	}
	for title, want := range map[string]string{
		"Écran externe non détecté après la mise à jour":                  "Matériel", // a sub-category: its parent's SLA
		"Ticket de caisse illisible":                                      "Matériel",
		"Coupures réseau répétées à la boutique d'Angers":                 "Réseau",
		"Le VPN se déconnecte toutes les 10 minutes":                      "Réseau",
		"Mot de passe de la messagerie oublié":                            "Accès et comptes",
		"Le logiciel de production ne démarre plus : fabrication arrêtée": "Urgence (priorité 5)",
		"Création d'une adresse commandes@martin-traiteur.fr":             "Standard",
		"Double écran qui clignote":                                       "Cabinet Durand : contrat premium",
		"Déménagement de deux postes au 2e étage":                         "Cabinet Durand : contrat premium",
	} {
		if got := slaOf(title); got != want {
			t.Errorf("%q: SLA %q, want %q", title, got, want)
		}
	}
	var oldest, newest time.Time
	for _, tk := range tickets {
		s := slas[tk.Int("sla_id")]
		if s == nil {
			t.Errorf("%q has no SLA", tk.String("title"))
			continue
		}
		cal := cals[s.Int("calendar_id")]
		tto := time.Duration(s.Int("tto_minutes")) * time.Minute
		ttr := time.Duration(s.Int("ttr_minutes"))*time.Minute + time.Duration(tk.Int("waiting_seconds"))*time.Second
		gotTTO, _ := tk.Values["tto_due_at"].(time.Time)
		gotTTR, _ := tk.Values["ttr_due_at"].(time.Time)
		if !gotTTO.Equal(cal.Add(tk.CreatedAt, tto)) || !gotTTR.Equal(cal.Add(tk.CreatedAt, ttr)) {
			t.Errorf("%q: due %v / %v, want %v / %v", tk.String("title"), gotTTO, gotTTR, cal.Add(tk.CreatedAt, tto), cal.Add(tk.CreatedAt, ttr))
		}
		if oldest.IsZero() || tk.CreatedAt.Before(oldest) {
			oldest = tk.CreatedAt
		}
		if tk.CreatedAt.After(newest) {
			newest = tk.CreatedAt
		}

		// What each status implies.
		st, title := tk.String("status"), tk.String("title")
		owned := tk.Values["assigned_user_id"] != nil || tk.Values["assigned_group_id"] != nil
		switch st {
		case "assigned", "planned":
			if !owned || tk.Values["taken_at"] == nil {
				t.Errorf("%q is %s without an owner or taken_at", title, st)
			}
		case "pending":
			if tk.String("pending_reason") == "" || tk.Values["pending_since"] == nil {
				t.Errorf("%q pending without reason or start", title)
			}
		case "solved", "closed":
			if tk.String("solution") == "" || tk.Values["solved_at"] == nil {
				t.Errorf("%q %s without a solution", title, st)
			}
			if st == "closed" && tk.Values["closed_at"] == nil {
				t.Errorf("%q closed without closed_at", title)
			}
		}
	}
	// The tickets span the last weeks up to the load, none in the future.
	if age := loaded.Sub(oldest); age < 20*24*time.Hour || age > 80*24*time.Hour {
		t.Errorf("oldest ticket opened %v before the load", age)
	}
	if newest.After(loaded) || loaded.Sub(newest) > 2*time.Hour {
		t.Errorf("newest ticket opened at %v, loaded at %v", newest, loaded)
	}

	// The closings: two by their requester, with a rating; the others by the
	// automatic closing job after a week.
	db := a.DB
	count := func(q string, args ...any) int {
		t.Helper()
		var n int
		if err := db.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}
	if n := count("SELECT COUNT(*) FROM tickets WHERE status = 'closed' AND satisfaction IS NOT NULL"); n != 2 {
		t.Errorf("%d closed tickets rated", n)
	}
	if n := count("SELECT COUNT(*) FROM history WHERE record_type = 'tickets' AND field = 'status' AND new_value = 'closed' AND origin = ?", record.OriginJob); n != 7 {
		t.Errorf("%d tickets closed by the job", n)
	}
	for _, h := range []struct{ title, field string }{
		{"Mot de passe de la messagerie oublié", "solution_refused"},
		{"Le logiciel de gestion des dossiers refuse les connexions", "escalation"},
		{"Création d'un compte pour la nouvelle comptable", "approval"},
	} {
		if n := count("SELECT COUNT(*) FROM history WHERE record_type = 'tickets' AND record_id = ? AND field = ?", byTitle[h.title].ID, h.field); n == 0 {
			t.Errorf("%q: no %s in its history", h.title, h.field)
		}
	}
	// History names the people who did things, not "system".
	if n := count("SELECT COUNT(*) FROM history WHERE record_type = 'ticket-followups' AND user_name IN ('tech.paris', 'tech.lyon')"); n == 0 {
		t.Error("no follow-up written by the technicians")
	}

	// One approval awaits its answer, another was given.
	marie, tech, antoine := actorOf(t, a, "marie.dupont"), actorOf(t, a, "tech.paris"), actorOf(t, a, "antoine.roux")
	resp := userID(t, a, "resp.martin")
	aps := listAll(t, a, sys, "ticket-approvals")
	var pendingAps, approved int
	for _, ap := range aps {
		switch ap.String("status") {
		case helpdesk.ApprovalPending:
			pendingAps++
			if ap.Int("user_id") != resp || ap.Int("ticket_id") != byTitle["Création d'un compte pour la nouvelle comptable"].ID {
				t.Errorf("pending approval %+v", ap.Values)
			}
		case helpdesk.ApprovalApproved:
			approved++
			if ap.Int("user_id") != antoine.UserID || ap.Values["answered_at"] == nil {
				t.Errorf("approved approval %+v", ap.Values)
			}
		}
	}
	if pendingAps != 1 || approved != 1 {
		t.Errorf("approvals: %d pending, %d approved", pendingAps, approved)
	}

	// Follow-ups public and private, tasks with time, assets of the ticket's
	// organisation, articles used as solutions.
	if pub, priv := count("SELECT COUNT(*) FROM ticket_followups WHERE private = ?", false), count("SELECT COUNT(*) FROM ticket_followups WHERE private = ?", true); pub < 10 || priv < 5 {
		t.Errorf("%d public and %d private follow-ups", pub, priv)
	}
	if n := count("SELECT COUNT(*) FROM ticket_tasks WHERE duration_minutes > 0 AND done = ?", true); n < 10 {
		t.Errorf("%d done tasks with time", n)
	}
	if n := count("SELECT COUNT(*) FROM ticket_tasks WHERE planned_start IS NOT NULL AND done = ?", false); n != 4 {
		t.Errorf("%d planned tasks", n)
	}
	items := listAll(t, a, sys, "ticket-items")
	if len(items) < 10 {
		t.Errorf("%d linked assets", len(items))
	}
	for _, it := range items {
		asset, err := a.Records.Get(ctx, sys, a.Reg.MustType(it.String("item_type")), it.Int("item_id"))
		if err != nil || asset.OrgID != it.OrgID {
			t.Errorf("linked asset %s #%d: %v", it.String("item_type"), it.Int("item_id"), err)
		}
	}
	if n := count("SELECT COUNT(*) FROM kb_article_tickets"); n != 3 {
		t.Errorf("%d articles linked to tickets", n)
	}

	// A requester sees her own tickets and their public follow-ups only.
	mine := listAll(t, a, marie, "tickets")
	if len(mine) != 5 {
		t.Errorf("marie.dupont sees %d tickets", len(mine))
	}
	hd := helpdesk.NewService(a.Records)
	for _, tk := range mine {
		page, err := hd.Children(ctx, marie, "ticket-followups", tk.ID, record.ListQuery{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range page.Records {
			if f.Values["private"] == true {
				t.Errorf("marie.dupont reads a private follow-up of %q", tk.String("title"))
			}
		}
	}

	// The search finds the FAQ for requesters, the technicians' notes for
	// technicians only, and tickets.
	find := func(who *record.Actor, q, kind string) []string {
		t.Helper()
		hits, err := search.NewService(a.Records).Search(ctx, who, search.Params{Q: q, Types: []string{kind}, Limit: 20})
		if err != nil {
			t.Fatalf("search %q: %v", q, err)
		}
		var out []string
		for _, h := range hits {
			out = append(out, h.Title)
		}
		return out
	}
	if got := find(marie, "bourrage", "kb-articles"); len(got) != 1 || got[0] != "Imprimante : débloquer un bourrage papier" {
		t.Errorf("marie.dupont searching bourrage finds %v", got)
	}
	if got := find(marie, "UniFi", "kb-articles"); len(got) != 0 {
		t.Errorf("marie.dupont finds internal articles: %v", got)
	}
	if got := find(tech, "UniFi", "kb-articles"); len(got) != 1 {
		t.Errorf("tech.paris searching UniFi finds %v", got)
	}
	if got := find(tech, "caisse comptabilité", "tickets"); !contains(got, "La caisse n'envoie plus les ventes vers la comptabilité") {
		t.Errorf("tech.paris searching the cash desk finds %v", got)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
