package demo

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"parc/internal/helpdesk"
	"parc/internal/helpdesk/calendar"
	"parc/internal/kb"
	"parc/internal/record"
)

// The demo's helpdesk: ticket categories, a business-hours calendar with the
// French public holidays, SLAs, knowledge-base articles, and a few dozen tickets
// lived through by the demo's people with the product's own services, one action
// at a time, on the record service's clock set to when each action happened. So
// priorities, SLAs, due times, history, approvals, notifications' events and the
// search index are what real use would have made, and the dates follow the day
// the demo is loaded.

// when is a moment of the demo's past: a time of day (Paris) on a business day,
// n business days before the last one up to today (0), or a duration before now.
type when struct {
	days int
	hm   string
	ago  time.Duration
}

func day(n int, hm string) when { return when{days: n, hm: hm} }
func ago(d time.Duration) when  { return when{ago: d} }

// ticketSpec is one ticket's life: how it was opened and what happened to it.
type ticketSpec struct {
	org string
	// requester is a login, or "#n": the nth employee of org who has a computer.
	requester string
	// by opened it: the requester themselves (the portal) or a technician for them.
	by                 string
	title, description string
	category           string // ticket category name, "" for none
	request            bool
	impact, urgency    int64  // 0: the default
	item               string // linked at opening: "computer" (the requester's) or "type:name"
	at                 when
	steps              []act
}

// act is one thing done to a ticket; see (*desk).do for the kinds.
type act struct {
	at        when
	who       string
	kind      string
	text, arg string
	n         int
	ahead     int // plan: business days after today
	from, to  string
	approve   bool
	article   string // solve: the knowledge-base article used, by key
	tech      string // assign: a login, "" to leave the technician as is
}

func assign(at when, who, tech, group string) act {
	return act{at: at, who: who, kind: "assign", tech: tech, arg: group}
}
func setCategory(at when, who, cat string) act {
	return act{at: at, who: who, kind: "category", arg: cat}
}
func reply(at when, who, text string) act { return act{at: at, who: who, kind: "followup", text: text} }
func note(at when, who, text string) act  { return act{at: at, who: who, kind: "private", text: text} }
func task(at when, who, text string, minutes int) act {
	return act{at: at, who: who, kind: "task", text: text, n: minutes}
}

// plan gives the technician a task on a coming business day and plans the ticket.
func plan(at when, who, text string, ahead int, from, to string) act {
	return act{at: at, who: who, kind: "plan", text: text, ahead: ahead, from: from, to: to}
}
func pending(at when, who, reason string) act {
	return act{at: at, who: who, kind: "pending", text: reason}
}
func solve(at when, who, typ, text, article string) act {
	return act{at: at, who: who, kind: "solve", arg: typ, text: text, article: article}
}

// accept and refuse are the requester's answers to a solution.
func accept(at when, rating int, comment string) act {
	return act{at: at, kind: "accept", n: rating, text: comment}
}
func refuse(at when, reason string) act { return act{at: at, kind: "refuse", text: reason} }
func escalate(at when, who, group, reason string) act {
	return act{at: at, who: who, kind: "escalate", arg: group, text: reason}
}
func askApproval(at when, who, approver, comment string) act {
	return act{at: at, who: who, kind: "approval", arg: approver, text: comment}
}
func answerApproval(at when, approver string, ok bool, comment string) act {
	return act{at: at, who: approver, kind: "answer", approve: ok, text: comment}
}

// desk loads the helpdesk part of the demo.
type desk struct {
	ctx    context.Context
	a      *Services
	hd     *helpdesk.Service
	kbs    *kb.Service
	now    time.Time
	clock  time.Time
	paris  *time.Location
	cal    *calendar.Calendar
	orgs   map[string]int64
	users  map[string]int64 // demo accounts by login
	actors map[string]*record.Actor
	groups map[string]int64
	cats   map[string]int64
	arts   map[string]int64
	staff  map[string][][2]int64 // per organisation key: employees (user, computer)
	counts map[string]int
}

// loadHelpdesk writes the helpdesk part of the demo. It runs before the server
// serves, so nothing else reads the record service's clock, which it moves.
func loadHelpdesk(ctx context.Context, a *Services, orgs map[string]int64) (map[string]int, error) {
	paris, err := calendar.LoadZone(calendarZone)
	if err != nil {
		return nil, err
	}
	now := a.Records.Now()
	d := &desk{ctx: ctx, a: a, hd: a.Helpdesk, kbs: a.KB, now: now, clock: now, paris: paris,
		orgs: orgs, users: map[string]int64{}, actors: map[string]*record.Actor{}, groups: map[string]int64{},
		cats: map[string]int64{}, arts: map[string]int64{}, staff: map[string][][2]int64{}, counts: map[string]int{}}
	real := a.Records.Now
	defer func() { a.Records.Now = real }()
	a.Records.Now = func() time.Time { return d.clock.UTC().Truncate(time.Microsecond) }
	holidays := frenchHolidays(now.In(paris).Year())
	if d.cal, err = calendar.Parse(calendarZone, calendarHours, holidays); err != nil {
		return nil, err
	}
	if err := d.people(); err != nil {
		return nil, err
	}
	// The settings are a month old, as if the service desk had run since.
	d.clock = d.at(day(35, "08:30"))
	if err := d.settings(holidays); err != nil {
		return nil, err
	}
	if err := d.canned(); err != nil {
		return nil, err
	}
	if err := d.templates(); err != nil {
		return nil, err
	}
	if err := d.articles(); err != nil {
		return nil, err
	}
	if err := d.tickets(); err != nil {
		return nil, err
	}
	if err := d.stock(); err != nil {
		return nil, err
	}
	return d.counts, nil
}

// people reads the demo accounts, the groups and, per organisation, the
// employees who have a computer: the requesters of the tickets.
func (d *desk) people() error {
	db := d.a.DB
	rows, err := db.QueryContext(d.ctx, "SELECT login, id FROM users WHERE deleted_at IS NULL")
	if err != nil {
		return err
	}
	logins := map[string]int64{}
	for rows.Next() {
		var login string
		var id int64
		if err := rows.Scan(&login, &id); err != nil {
			rows.Close()
			return err
		}
		logins[login] = id
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	accounts := map[int64]bool{}
	for _, p := range people {
		id, ok := logins[p.login]
		if !ok {
			return fmt.Errorf("demo: no user %s", p.login)
		}
		d.users[p.login] = id
		accounts[id] = true
		if d.actors[p.login], err = d.a.Auth.Actor(d.ctx, id, record.OriginWeb); err != nil {
			return err
		}
	}
	for _, g := range groupSpecs {
		var id int64
		if err := db.QueryRowContext(d.ctx, "SELECT id FROM groups WHERE name = ? AND deleted_at IS NULL", g.name).Scan(&id); err != nil {
			return fmt.Errorf("demo: group %s: %w", g.name, err)
		}
		d.groups[g.name] = id
	}
	for key, org := range d.orgs {
		if key == "" {
			continue
		}
		rows, err := db.QueryContext(d.ctx, `SELECT u.id, MIN(c.id) FROM users u JOIN computers c ON c.user_id = u.id AND c.deleted_at IS NULL
			WHERE u.organization_id = ? AND u.deleted_at IS NULL GROUP BY u.id ORDER BY u.id`, org)
		if err != nil {
			return err
		}
		for rows.Next() {
			var u, c int64
			if err := rows.Scan(&u, &c); err != nil {
				rows.Close()
				return err
			}
			if !accounts[u] {
				d.staff[key] = append(d.staff[key], [2]int64{u, c})
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

func (d *desk) create(a *record.Actor, typ string, in record.Input) (*record.Record, error) {
	r, err := d.a.Records.Create(d.ctx, a, d.a.Reg.MustType(typ), in)
	if err != nil {
		name, _ := in["name"].(string)
		if name == "" {
			name, _ = in["title"].(string)
		}
		return nil, describe(typ, name, err)
	}
	d.counts[typ]++
	return r, nil
}

// settings are the administrator's: categories, calendar, SLAs, knowledge-base
// categories. They belong to the ESN, so every client's tickets use them.
func (d *desk) settings(holidays string) error {
	admin := d.actors[AdminLogin]
	igs := d.orgs["igs"]
	for _, c := range ticketCategories {
		// Shared with the clients: their requesters choose among them.
		in := record.Input{"name": c.name, "code": c.code, "organization_id": igs, "needs_approval": c.approval, "recursive": true}
		if c.parent != "" {
			in["parent_id"] = d.cats[c.parent]
		}
		if c.comment != "" {
			in["comment"] = c.comment
		}
		r, err := d.create(admin, "ticket-categories", in)
		if err != nil {
			return err
		}
		d.cats[c.name] = r.ID
	}
	cal, err := d.create(admin, "calendars", record.Input{"name": "Heures ouvrées (France)", "organization_id": igs, "timezone": calendarZone,
		"hours": calendarHours, "holidays": holidays, "comment": "Jours fériés français, lundis de Pâques et de Pentecôte et Ascension compris."})
	if err != nil {
		return err
	}
	for _, s := range slaSpecs {
		in := record.Input{"name": s.name, "organization_id": d.orgs[s.org], "tto_minutes": s.tto, "ttr_minutes": s.ttr,
			"calendar_id": cal.ID, "comment": s.comment}
		if s.category != "" {
			in["category_id"] = d.cats[s.category]
		}
		if s.priority != 0 {
			in["priority"] = s.priority
		}
		if _, err := d.create(admin, "slas", in); err != nil {
			return err
		}
	}
	return nil
}

// articles writes the knowledge base: the requesters' FAQ and the technicians'
// notes, by the technicians.
func (d *desk) articles() error {
	kbCats := map[string]int64{}
	for _, name := range kbCategories {
		r, err := d.create(d.actors[AdminLogin], "kb-categories", record.Input{"name": name, "organization_id": d.orgs["igs"]})
		if err != nil {
			return err
		}
		kbCats[name] = r.ID
	}
	for _, s := range articleSpecs {
		d.clock = d.at(s.at)
		r, err := d.create(d.actors[s.by], "kb-articles", record.Input{"title": s.title, "body": s.body, "category_id": kbCats[s.category],
			"visibility": s.visibility, "recursive": true, "language": "fr", "published": s.published, "organization_id": d.orgs["igs"]})
		if err != nil {
			return err
		}
		d.arts[s.key] = r.ID
	}
	return nil
}

// run is a ticket being lived through.
type run struct {
	spec      *ticketSpec
	id        int64
	requester int64
	computer  int64
}

// event is one action at its time; seq keeps the script's order at equal times.
type event struct {
	at  time.Time
	seq int
	do  func() error
}

// tickets replays every ticket's life in time order, with the automatic closing
// job running each morning as on a live server.
func (d *desk) tickets() error {
	var events []event
	add := func(at time.Time, do func() error) {
		events = append(events, event{at: at, seq: len(events), do: do})
	}
	oldest := d.now
	for i := range ticketSpecs {
		t := &run{spec: &ticketSpecs[i]}
		opened := d.at(t.spec.at)
		if opened.Before(oldest) {
			oldest = opened
		}
		add(opened, func() error { return d.open(t) })
		last := opened
		for _, s := range t.spec.steps {
			at := d.at(s.at)
			if at.Before(last) {
				return fmt.Errorf("demo: ticket %q: a step at %s comes before the previous one", t.spec.title, at)
			}
			last = at
			add(at, func() error {
				if err := d.do(t, s); err != nil {
					return fmt.Errorf("demo: ticket %q, %s: %w", t.spec.title, s.kind, err)
				}
				return nil
			})
		}
	}
	closer := d.a.HelpdeskJobs
	for day := oldest.In(d.paris); ; day = day.AddDate(0, 0, 1) {
		at := time.Date(day.Year(), day.Month(), day.Day(), 6, 0, 0, 0, d.paris)
		if at.After(d.now) {
			break
		}
		add(at, func() error {
			_, err := closer.AutoClose(d.ctx)
			return err
		})
	}
	sort.SliceStable(events, func(i, j int) bool {
		if !events[i].at.Equal(events[j].at) {
			return events[i].at.Before(events[j].at)
		}
		return events[i].seq < events[j].seq
	})
	for _, ev := range events {
		d.clock = ev.at
		if err := ev.do(); err != nil {
			return err
		}
	}
	return nil
}

// open creates a ticket as its opener does: the requester in the portal, or a
// technician for them; with the asset concerned.
func (d *desk) open(t *run) error {
	s := t.spec
	if strings.HasPrefix(s.requester, "#") {
		n, _ := strconv.Atoi(s.requester[1:])
		staff := d.staff[s.org]
		if n >= len(staff) {
			return fmt.Errorf("demo: %s has no employee %s", s.org, s.requester)
		}
		t.requester, t.computer = staff[n][0], staff[n][1]
	} else {
		t.requester = d.users[s.requester]
		if err := d.a.DB.QueryRowContext(d.ctx, "SELECT COALESCE(MIN(id), 0) FROM computers WHERE user_id = ? AND deleted_at IS NULL",
			t.requester).Scan(&t.computer); err != nil {
			return err
		}
	}
	in := record.Input{"title": s.title, "description": s.description, "organization_id": d.orgs[s.org], "type": "incident"}
	if s.request {
		in["type"] = "request"
	}
	if s.impact != 0 {
		in["impact"] = s.impact
	}
	if s.urgency != 0 {
		in["urgency"] = s.urgency
	}
	if s.category != "" {
		in["category_id"] = d.cats[s.category]
	}
	opener := d.actors[s.by]
	if s.by != s.requester {
		in["user_id"] = t.requester
	}
	o := helpdesk.Opening{Ticket: in}
	if s.item != "" {
		o.Asset = &helpdesk.Item{Type: "computers", ID: t.computer}
		if s.item != "computer" {
			typ, name, _ := strings.Cut(s.item, ":")
			o.Asset.Type = typ
			if err := d.a.DB.QueryRowContext(d.ctx, "SELECT id FROM "+d.a.Reg.MustType(typ).Table+" WHERE name = ? AND deleted_at IS NULL", name).Scan(&o.Asset.ID); err != nil {
				return fmt.Errorf("demo: ticket %q: asset %s: %w", s.title, s.item, err)
			}
		}
	}
	// As the portal does (or a technician for the requester): the ticket and the
	// asset concerned in one call.
	r, err := d.hd.Open(d.ctx, opener, o)
	if err != nil {
		return describe("tickets", s.title, err)
	}
	t.id = r.ID
	d.counts["tickets"]++
	if o.Asset != nil {
		d.counts["ticket-items"]++
	}
	return nil
}

// do applies one act to a ticket through the service a user's click would call.
func (d *desk) do(t *run, s act) error {
	ctx, tickets := d.ctx, d.a.Reg.MustType("tickets")
	who := d.actors[s.who]
	requester := d.actors[t.spec.requester] // nil for employees without a login
	if (s.kind == "accept" || s.kind == "refuse") && requester == nil {
		return fmt.Errorf("only a requester with a login answers a solution")
	}
	update := func(in record.Input) error {
		_, err := d.a.Records.Update(ctx, who, tickets, t.id, in)
		return err
	}
	child := func(typ string, in record.Input) error {
		_, err := d.hd.AddChild(ctx, who, typ, t.id, in)
		if err == nil {
			d.counts[typ]++
		}
		return err
	}
	switch s.kind {
	case "assign":
		in := record.Input{}
		if s.tech != "" {
			in["assigned_user_id"] = d.users[s.tech]
		}
		if s.arg != "" {
			in["assigned_group_id"] = d.groups[s.arg]
		}
		return update(in)
	case "category":
		return update(record.Input{"category_id": d.cats[s.arg]})
	case "followup", "private":
		return child("ticket-followups", record.Input{"content": s.text, "private": s.kind == "private"})
	case "task":
		return child("ticket-tasks", record.Input{"content": s.text, "user_id": who.UserID, "duration_minutes": int64(s.n), "done": true})
	case "plan":
		start, end := d.ahead(s.ahead, s.from), d.ahead(s.ahead, s.to)
		if err := child("ticket-tasks", record.Input{"content": s.text, "user_id": who.UserID,
			"planned_start": start.Format(time.RFC3339), "planned_end": end.Format(time.RFC3339)}); err != nil {
			return err
		}
		return update(record.Input{"status": "planned"})
	case "pending":
		return update(record.Input{"status": "pending", "pending_reason": s.text})
	case "solve":
		text := s.text
		if text == "" && s.article != "" {
			art, err := d.a.Records.Get(ctx, who, d.a.Reg.MustType("kb-articles"), d.arts[s.article])
			if err != nil {
				return err
			}
			text = art.String("body")
		}
		if _, err := d.hd.Solve(ctx, who, t.id, record.Input{"solution": text, "solution_type": s.arg}); err != nil {
			return err
		}
		if s.article != "" {
			return d.kbs.Link(ctx, who, d.arts[s.article], t.id)
		}
		return nil
	case "accept":
		_, err := d.hd.Accept(ctx, requester, t.id, record.Input{"satisfaction": strconv.Itoa(s.n), "comment": s.text})
		return err
	case "refuse":
		_, err := d.hd.Refuse(ctx, requester, t.id, record.Input{"reason": s.text})
		return err
	case "escalate":
		_, err := d.hd.Escalate(ctx, who, t.id, record.Input{"group_id": d.groups[s.arg], "reason": s.text})
		return err
	case "approval":
		_, err := d.hd.RequestApproval(ctx, who, t.id, record.Input{"user_id": d.users[s.arg], "comment": s.text})
		return err
	case "answer":
		// As on the approver's portal home: the approvals awaiting them.
		page, err := d.a.Records.List(ctx, who, d.a.Reg.MustType("ticket-approvals"), record.ListQuery{Limit: 50, Filters: []record.Filter{
			{Field: "user_id", Op: record.OpEq, Value: record.Format(who.UserID)},
			{Field: "ticket_id", Op: record.OpEq, Value: record.Format(t.id)},
			{Field: "status", Op: record.OpEq, Value: helpdesk.ApprovalPending}}})
		if err != nil {
			return err
		}
		if len(page.Records) == 0 {
			return fmt.Errorf("no approval awaits %s", s.who)
		}
		_, err = d.hd.AnswerApproval(ctx, who, page.Records[0].ID, s.approve, s.text)
		return err
	}
	return fmt.Errorf("unknown act %q", s.kind)
}

// businessDay is the date n business days before (n < 0: after) the last
// business day up to today, in Paris.
func (d *desk) businessDay(n int) time.Time {
	t := d.now.In(d.paris)
	t = time.Date(t.Year(), t.Month(), t.Day(), 12, 0, 0, 0, d.paris)
	open := func(t time.Time) bool {
		return t.Weekday() != time.Saturday && t.Weekday() != time.Sunday && !d.cal.IsHoliday(t)
	}
	for !open(t) {
		t = t.AddDate(0, 0, -1)
	}
	step := -1
	if n < 0 {
		step, n = 1, -n
	}
	for ; n > 0; n-- {
		t = t.AddDate(0, 0, step)
		for !open(t) {
			t = t.AddDate(0, 0, step)
		}
	}
	return t
}

// at is when a moment of the script happened, never later than a minute ago.
func (d *desk) at(w when) time.Time {
	if w.ago > 0 {
		return d.now.Add(-w.ago)
	}
	t := d.clockOn(d.businessDay(w.days), w.hm)
	if limit := d.now.Add(-time.Minute); t.After(limit) {
		return limit
	}
	return t
}

// ahead is a time of day n business days after the last business day up to today.
func (d *desk) ahead(n int, hm string) time.Time { return d.clockOn(d.businessDay(-n), hm) }

func (d *desk) clockOn(date time.Time, hm string) time.Time {
	h, m, _ := strings.Cut(hm, ":")
	hh, _ := strconv.Atoi(h)
	mm, _ := strconv.Atoi(m)
	return time.Date(date.Year(), date.Month(), date.Day(), hh, mm, 0, 0, d.paris)
}

// frenchHolidays are the calendar's holidays: the fixed ones every year, and the
// days that follow Easter from the year before to two years on.
func frenchHolidays(year int) string {
	lines := []string{"# Jours fériés en France",
		"01-01 Jour de l'an", "05-01 Fête du travail", "05-08 Victoire 1945", "07-14 Fête nationale",
		"08-15 Assomption", "11-01 Toussaint", "11-11 Armistice 1918", "12-25 Noël"}
	for y := year - 1; y <= year+2; y++ {
		e := easter(y)
		for _, h := range []struct {
			days int
			name string
		}{{1, "Lundi de Pâques"}, {39, "Ascension"}, {50, "Lundi de Pentecôte"}} {
			lines = append(lines, e.AddDate(0, 0, h.days).Format("2006-01-02")+" "+h.name)
		}
	}
	return strings.Join(lines, "\n")
}

// easter is Easter Sunday of a year (Gregorian calendar, anonymous algorithm).
func easter(y int) time.Time {
	a, b, c := y%19, y/100, y%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	dayOf := (h+l-7*m+114)%31 + 1
	return time.Date(y, time.Month(month), dayOf, 0, 0, 0, 0, time.UTC)
}
