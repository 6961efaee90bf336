package ui_test

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"parc/internal/record"
	"parc/internal/storetest"
)

// homeBlockRe finds the home page's counts: the link, its target and its figure.
var homeBlockRe = regexp.MustCompile(`<a id="(home-[a-z0-9_-]+)" href="([^"]+)"[^>]*>[^<]*<span class="(?:card-count|badge count)">([^<]+)</span>`)

// homeBlocks reads the blocks of a home page: id -> (href, count).
func homeBlocks(t *testing.T, body string) map[string][2]string {
	t.Helper()
	out := map[string][2]string{}
	for _, m := range homeBlockRe.FindAllStringSubmatch(body, -1) {
		out[m[1]] = [2]string{html.UnescapeString(m[2]), m[3]}
	}
	return out
}

// listTotal asks the API (with the browser's session) for the total of the list
// a block links to.
func listTotal(t *testing.T, b *browser, href string) int {
	t.Helper()
	sep := "?"
	if strings.Contains(href, "?") {
		sep = "&"
	}
	p := b.get("/api/v1" + href + sep + "count=1&limit=1")
	if p.Status != http.StatusOK {
		t.Fatalf("GET %s: %d %s", href, p.Status, p.Body)
	}
	var page struct {
		Total int `json:"total"`
	}
	if err := json.Unmarshal([]byte(p.Body), &page); err != nil {
		t.Fatal(err)
	}
	return page.Total
}

// checkBlocks checks that every block's count is what its list shows, and the
// counts wanted.
func checkBlocks(t *testing.T, b *browser, blocks map[string][2]string, want map[string]int) {
	t.Helper()
	for id, n := range want {
		got, ok := blocks[id]
		if !ok {
			t.Errorf("no block %s on the page (have %v)", id, blocks)
			continue
		}
		if got[1] != strconv.Itoa(n) {
			t.Errorf("block %s shows %s, want %d", id, got[1], n)
		}
	}
	for id, bl := range blocks {
		if strings.HasSuffix(bl[1], "%") || bl[1] == "—" {
			continue // a share, not a count
		}
		n, err := strconv.Atoi(strings.ReplaceAll(strings.ReplaceAll(bl[1], " ", ""), "\u202f", ""))
		if err != nil {
			t.Errorf("block %s: count %q", id, bl[1])
			continue
		}
		if total := listTotal(t, b, bl[0]); total != n {
			t.Errorf("block %s counts %d, its list %s shows %d", id, n, bl[0], total)
		}
	}
}

// TestHomePagesByRole seeds tickets in two organisations and reads the home page
// as a technician of one and as the super-administrator: each block counts what
// it should within the user's organisations, and its link lists exactly those
// records; a requester is sent to the portal.
func TestHomePagesByRole(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := newEnv(t, kind)
		ctx := context.Background()
		db := e.app.DB
		client := e.org("Client A")
		other := e.org("Client B")
		tech, err := e.app.Auth.CreateUser(ctx, e.sys, "tech", "tech-password-123", "technician", client)
		if err != nil {
			t.Fatal(err)
		}
		mate, err := e.app.Auth.CreateUser(ctx, e.sys, "mate", "mate-password-123", "technician", client)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.app.Auth.CreateUser(ctx, e.sys, "requester", "requester-password-1", "self-service", client); err != nil {
			t.Fatal(err)
		}
		group := e.create("groups", record.Input{"name": "Support", "organization_id": client})
		e.create("group-members", record.Input{"group_id": group, "user_id": tech.ID, "organization_id": client})
		now := e.app.Records.Now()
		ticket := func(org int64, in record.Input) int64 {
			in["organization_id"] = org
			if in["title"] == nil {
				in["title"] = "Poste bloqué"
			}
			return e.create("tickets", in)
		}
		setDue := func(id int64, due time.Time) {
			if _, err := db.Exec(ctx, "UPDATE tickets SET ttr_due_at = ? WHERE id = ?", due.UTC(), id); err != nil {
				t.Fatal(err)
			}
		}
		// Mine: one late, one due within the hour (at risk, today), one without due time.
		late := ticket(client, record.Input{"assigned_user_id": tech.ID, "impact": 1, "urgency": 1})
		setDue(late, now.Add(-2*time.Hour))
		soon := ticket(client, record.Input{"assigned_user_id": tech.ID})
		setDue(soon, now.Add(time.Hour))
		ticket(client, record.Input{"assigned_user_id": tech.ID})
		// My group's queue: one for the group alone, one for the group and a colleague.
		ticket(client, record.Input{"assigned_group_id": group})
		ticket(client, record.Input{"assigned_group_id": group, "assigned_user_id": mate.ID})
		// Unassigned: one here, two in the other organisation (not counted for tech).
		ticket(client, record.Input{})
		ticket(other, record.Input{})
		lateOther := ticket(other, record.Input{})
		setDue(lateOther, now.Add(-time.Hour))
		// Solved this month: one in time, one late.
		for i, d := range []time.Duration{time.Hour, -time.Hour} {
			id := ticket(client, record.Input{"title": "Résolu " + strconv.Itoa(i)})
			if _, err := db.Exec(ctx, "UPDATE tickets SET status = 'solved', solved_at = ?, ttr_due_at = ? WHERE id = ?", now.Add(-time.Minute).UTC(), now.Add(-time.Minute+d).UTC(), id); err != nil {
				t.Fatal(err)
			}
		}
		// A task planned for today, one next month, one done.
		for _, tk := range []struct {
			start time.Time
			done  bool
		}{{now.Add(time.Minute), false}, {now.AddDate(0, 1, 0), false}, {now.Add(time.Minute), true}} {
			e.create("ticket-tasks", record.Input{"ticket_id": late, "organization_id": client, "content": "Changer le disque", "user_id": tech.ID,
				"planned_start": tk.start.Format(time.RFC3339), "done": tk.done})
		}
		// A computer whose warranty ends next month, one ended, one in the other client.
		for _, c := range []struct {
			org  int64
			days int
		}{{client, 30}, {client, -3}, {other, 20}} {
			e.create("computers", record.Input{"name": "PC-" + strconv.Itoa(c.days), "organization_id": c.org, "warranty_end": now.AddDate(0, 0, c.days).Format("2006-01-02")})
		}

		// The technician: their queues, scoped to Client A.
		b := e.browser("fr")
		b.login("tech", "tech-password-123")
		p := b.get("/").must(t, http.StatusOK, "home-mine")
		p.lacks(t, "home-backlog")
		checkBlocks(t, b, homeBlocks(t, p.Body), map[string]int{
			"home-mine": 3, "home-due_late": 1, "home-due_today": 1, "home-my_groups": 2,
			"home-unassigned": 1, "home-at_risk": 1, "home-late": 1, "home-tasks_today": 1,
		})

		// The administrator: every organisation.
		a := e.browser("en")
		a.login("admin", adminPassword)
		p = a.get("/").must(t, http.StatusOK, "home-backlog", `<svg viewBox=`, `id="pat-in"`, "Computers")
		p.lacks(t, "home-mine")
		blocks := homeBlocks(t, p.Body)
		checkBlocks(t, a, blocks, map[string]int{"home-backlog": 8, "home-inflow": 10, "home-outflow": 2, "home-warranties": 2})
		if got := blocks["home-sla"][1]; got != "50 %" {
			t.Errorf("SLA compliance shows %q, want 50 %%", got)
		}
		// Today is the chart's last day: 10 opened, 2 solved, 8 open at its end.
		if !strings.Contains(p.Body, `<td class="num">10</td><td class="num">2</td><td class="num">8</td></tr>
          </tbody>`) {
			t.Error("the chart's last day is not today's 10 opened, 2 solved, 8 open")
		}
		for _, want := range []string{"Support", "No group", "No technician"} {
			if !strings.Contains(p.Body, want) {
				t.Errorf("the administrator's home lacks %q", want)
			}
		}

		// A supervisor of Client A: the same blocks, within Client A.
		if _, err := e.app.Auth.CreateUser(ctx, e.sys, "sup", "sup-password-123", "supervisor", client); err != nil {
			t.Fatal(err)
		}
		s := e.browser("fr")
		s.login("sup", "sup-password-123")
		p = s.get("/").must(t, http.StatusOK, "home-backlog")
		p.lacks(t, "home-mine")
		checkBlocks(t, s, homeBlocks(t, p.Body), map[string]int{"home-backlog": 6, "home-inflow": 8, "home-outflow": 2, "home-warranties": 1})

		// A requester lands on the portal.
		r := e.browser("fr")
		r.login("requester", "requester-password-1")
		if p := r.get("/"); p.Status != http.StatusSeeOther || p.Header.Get("Location") != "/portal" {
			t.Errorf("requester's home: %d %s, want a redirect to /portal", p.Status, p.Header.Get("Location"))
		}
	})
}
