package ui_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"parc/internal/record"
	"parc/internal/storetest"
)

// TestPurchasingPages: a technician requests a part from the ticket's page (the
// ticket waits), the supervisor approves it on the purchasing page, the
// technician drafts the order there; once ordered, the ticket's page and the
// requester's portal page say when the part is expected (order date + the
// supplier's 10 days); the order's page receives part of the delivery, refuses
// more than is left with its message, then the rest: the ticket is told and
// resumes; the supplier's page compares promised and actual delivery times and
// the budget shows what open orders commit.
func TestPurchasingPages(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := newEnv(t, kind)
		ctx := context.Background()
		now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.Local)
		e.app.Records.Now = func() time.Time { return now }
		root := e.sys.Tree.Root
		for _, u := range []struct{ login, profile string }{{"tech", "technician"}, {"boss", "supervisor"}, {"marie", "self-service"}} {
			if _, err := e.app.Auth.CreateUser(ctx, e.sys, u.login, "purchase-password-1", u.profile, root); err != nil {
				t.Fatal(err)
			}
		}
		var tech, marie int64
		e.app.DB.QueryRowContext(ctx, "SELECT id FROM users WHERE login = 'tech'").Scan(&tech)
		e.app.DB.QueryRowContext(ctx, "SELECT id FROM users WHERE login = 'marie'").Scan(&marie)
		sup := e.create("suppliers", record.Input{"name": "Dell"})
		e.create("supplier-items", record.Input{"supplier_id": sup, "reference": "MB-5520", "label": "Carte mère Latitude 5520", "unit_price": "120", "lead_time_days": 10})
		loc := e.create("locations", record.Input{"name": "Atelier", "organization_id": root})
		item := e.create("stock-items", record.Input{"name": "Carte mère Latitude 5520", "reference": "MB-5520", "category": "other", "supplier_id": sup, "organization_id": root})
		ticket := e.create("tickets", record.Input{"title": "Le portable ne démarre plus", "organization_id": root, "user_id": marie, "assigned_user_id": tech})
		budget := e.create("budgets", record.Input{"name": "Informatique 2026", "year": 2026, "amount": "5000", "organization_id": root})
		th := "/tickets/" + record.Format(ticket)

		b := e.browser("fr")
		b.login("tech", "purchase-password-1")
		b.get(th).must(t, 200, "Demander une pièce", "Aucune pièce demandée pour ce ticket.")
		p := b.post("/purchasing/requests", url.Values{"_csrf": {b.csrf()}, "ticket_id": {record.Format(ticket)}, "stock_item_id": {record.Format(item)},
			"quantity": {"2"}, "reason": {"Carte mère HS"}, "ticket_waits": {"1"}})
		if p.Status != http.StatusSeeOther {
			t.Fatalf("request: %d %s", p.Status, p.Body)
		}
		b.follow(p).must(t, 200, "Demande d&#39;achat enregistrée.", "2 × Carte mère Latitude 5520", "pas encore commandée",
			"En attente d&#39;une pièce : 2 × Carte mère Latitude 5520")

		boss := e.browser("fr")
		boss.login("boss", "purchase-password-1")
		pp := boss.get("/purchasing").must(t, 200, "Demandes à approuver", "Carte mère HS")
		decide := regexp.MustCompile(`action="(/purchasing/requests/\d+/decide)"`).FindStringSubmatch(pp.Body)
		if decide == nil {
			t.Fatal("no decision form on the purchasing page")
		}
		p = boss.post(decide[1], url.Values{"_csrf": {boss.csrf()}, "decision": {"approve"}, "back": {"purchasing"}})
		boss.follow(p).must(t, 200, "Demande approuvée.", "Aucune demande n&#39;attend de décision.")

		pp = b.get("/purchasing").must(t, 200, "Demandes approuvées à commander", "Préparer la commande")
		req := regexp.MustCompile(`name="request_id" value="(\d+)"`).FindStringSubmatch(pp.Body)
		p = b.post("/purchasing/order", url.Values{"_csrf": {b.csrf()}, "request_id": {req[1]}, "supplier_id": {record.Format(sup)}})
		if p.Status != http.StatusSeeOther {
			t.Fatalf("order: %d %s", p.Status, p.Body)
		}
		oh := strings.SplitN(p.Header.Get("Location"), "?", 2)[0]
		b.follow(p).must(t, 200, "Commande préparée", "Lignes et réceptions", "120,00", "Ajouter une ligne", "send-order").lacks(t, "receive-form")
		var order int64
		e.app.DB.QueryRowContext(ctx, "SELECT id FROM purchase_orders").Scan(&order)
		if _, err := e.app.Records.Update(ctx, e.sys, e.app.Reg.MustType("purchase-orders"), order, record.Input{"location_id": loc}); err != nil {
			t.Fatal(err)
		}
		p = b.post("/purchasing/orders/"+record.Format(order)+"/send", url.Values{"_csrf": {b.csrf()}})
		b.follow(p).must(t, 200, "Commande envoyée", "12/03/2026").lacks(t, "send-order")
		b.get(th).must(t, 200, "attendue le 12/03/2026")
		mb := e.browser("fr")
		mb.login("marie", "purchase-password-1")
		mb.get("/portal/tickets/"+record.Format(ticket)).must(t, 200, "Pièces attendues pour votre demande", "attendue le 12/03/2026")
		b.get("/purchasing").must(t, 200, "Commandes attendues", "12/03/2026")
		boss.get("/budgets/"+record.Format(budget)).must(t, 200, "240,00")

		// Receive 1 of 2 on the order's page, then 5 (refused), then the last.
		op := b.get(oh).must(t, 200, "receive-form", "Quantité de Carte mère Latitude 5520 reçue")
		recv := regexp.MustCompile(`action="(/purchasing/lines/\d+/receive)"`).FindStringSubmatch(op.Body)[1]
		now = now.Add(24 * time.Hour)
		p = b.post(recv, url.Values{"_csrf": {b.csrf()}, "quantity": {"1"}, "location_id": {record.Format(loc)}})
		b.follow(p).must(t, 200, "Réception enregistrée", "Reçue en partie")
		p = b.post(recv, url.Values{"_csrf": {b.csrf()}, "quantity": {"5"}, "location_id": {record.Format(loc)}})
		p.must(t, http.StatusConflict, "purchase-error")
		if msg := html.UnescapeString(p.Body); !strings.Contains(msg, "1 restent à recevoir, 5 indiqués") {
			t.Fatalf("refusal message missing: %s", msg)
		}
		now = now.Add(11 * 24 * time.Hour)
		p = b.post(recv, url.Values{"_csrf": {b.csrf()}, "quantity": {"1"}, "location_id": {record.Format(loc)}})
		b.follow(p).must(t, 200, "Reçue").lacks(t, "receive-form")
		b.get(th).must(t, 200, "La pièce attendue pour ce ticket est arrivée : 2 × Carte mère Latitude 5520", "arrivée")
		var status string
		e.app.DB.QueryRowContext(ctx, "SELECT status FROM tickets WHERE id = ?", ticket).Scan(&status)
		if status != "assigned" {
			t.Fatalf("the ticket is %s after the part came", status)
		}
		b.get("/suppliers/"+record.Format(sup)).must(t, 200, "Délais de livraison", "Délai réel (moyenne)", "12,0 jours", "1 sur 1", "10 jours promis, 12 réels")
		b.get("/stock-items/reorder").must(t, 200)
	})
}
