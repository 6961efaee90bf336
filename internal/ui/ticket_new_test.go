package ui_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"regexp"
	"strconv"
	"testing"

	"parc/internal/helpdesk"
	"parc/internal/record"
	"parc/internal/storetest"
)

// postMultipart sends a form with one attached file, as the new-ticket form does.
func (b *browser) postMultipart(path string, fields map[string]string, fileName, content string) *page {
	b.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, v := range fields {
		w.WriteField(k, v)
	}
	if fileName != "" {
		fw, _ := w.CreateFormFile("files", fileName)
		fw.Write([]byte(content))
	}
	w.Close()
	return b.do("POST", path, &body, w.FormDataContentType())
}

var ticketIDRe = regexp.MustCompile(`^/tickets/(\d+)\?done=created$`)

// TestNewTicketFromAComputer: "New ticket" on a computer's page fills in the
// asset and its user; the form (without JavaScript) opens the ticket with the
// asset typed by name and an attachment, and has no solution fields.
func TestNewTicketFromAComputer(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := newEnv(t, kind)
		ctx := context.Background()
		orgA, orgB := e.org("Client A"), e.org("Client B")
		e.person("tech-a", "Julien", "Moreau", "technician", orgA)
		marie := e.person("marie", "Marie", "Dupont", "self-service", orgA)
		pc := e.create("computers", record.Input{"name": "PC-NTE-0002", "serial": "SN-2", "organization_id": orgA, "user_id": marie})
		e.create("computers", record.Input{"name": "PC-NTE-0003", "organization_id": orgB})
		b := e.browser("en")
		b.login("tech-a", "tech-a-password-1")

		b.get("/computers/"+itoa(pc)).must(t, 200, `href="/tickets/new?asset_type=computers&amp;asset=`+itoa(pc)+`"`)
		form := b.get("/tickets/new?asset_type=computers&asset=" + itoa(pc))
		form.must(t, 200, `enctype="multipart/form-data"`, `name="asset__text" type="text" value="PC-NTE-0002"`,
			`name="user_id__text" type="text" value="Marie Dupont"`, `<option value="`+itoa(orgA)+`" selected>`, `name="files"`).
			lacks(t, `name="solution"`, `name="solution_type"`, `name="status"`, `name="parts_used"`)
		// An observer, who may not open tickets, does not get the button.
		e.person("obs", "Olga", "Serre", "observer", orgA)
		o := e.browser("en")
		o.login("obs", "obs-password-1")
		o.get("/computers/"+itoa(pc)).must(t, 200, "PC-NTE-0002").lacks(t, "/tickets/new")

		tok := b.csrf()
		fields := map[string]string{"_csrf": tok, "organization_id": itoa(orgA), "title": "Écran noir", "type": "incident",
			"impact": "3", "urgency": "3", "asset_type": "computers", "asset": "", "asset__text": "PC-NTE-0003", "asset__was": "",
			"user_id": itoa(marie), "user_id__text": "Marie Dupont", "user_id__was": "Marie Dupont"}
		// Another client's computer is not found by its name.
		b.postMultipart("/tickets/new", fields, "", "").must(t, http.StatusUnprocessableEntity,
			esc(e.cat.T("en", "ui.picker.no_match", "PC-NTE-0003")), `value="PC-NTE-0003"`)
		fields["asset__text"] = "SN-2" // found by its serial
		p := b.postMultipart("/tickets/new", fields, "ecran.txt", "photo")
		loc := p.Header.Get("Location")
		mt := ticketIDRe.FindStringSubmatch(loc)
		if p.Status != http.StatusSeeOther || mt == nil {
			t.Fatalf("create: %d %s %s", p.Status, loc, p.Body)
		}
		id, _ := strconv.ParseInt(mt[1], 10, 64)
		tk, err := e.app.Records.Get(ctx, e.sys, e.app.Reg.MustType("tickets"), id)
		if err != nil || tk.Int("user_id") != marie || tk.String("status") != "new" {
			t.Fatalf("ticket: %v %+v", err, tk)
		}
		hd := helpdesk.NewService(e.app.Records)
		files, _ := hd.Files(ctx, e.sys, tk.ID)
		items, _ := e.app.Records.List(ctx, e.sys, e.app.Reg.MustType("ticket-items"), record.ListQuery{Filters: []record.Filter{{Field: "ticket_id", Op: record.OpEq, Value: itoa(tk.ID)}}})
		if len(files) != 1 || len(items.Records) != 1 || items.Records[0].Int("item_id") != pc {
			t.Fatalf("files %d, assets %+v", len(files), items.Records)
		}
	})
}

// TestTicketTemplates: a template of a category fills in the new-ticket form and
// its checklist becomes the ticket's tasks; another client's template is neither
// offered nor accepted.
func TestTicketTemplates(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := newEnv(t, kind)
		ctx := context.Background()
		orgA, orgB := e.org("Client A"), e.org("Client B")
		e.person("tech-a", "Julien", "Moreau", "technician", orgA)
		cat := e.create("ticket-categories", record.Input{"name": "Arrivée", "organization_id": orgA})
		tpl := e.create("ticket-templates", record.Input{"name": "Nouvel arrivant", "category_id": cat, "type": "request",
			"title": "Arrivée d'un collaborateur", "urgency": 2, "organization_id": orgA,
			"tasks": "Créer le compte\n\n- Préparer le poste\n  Remettre le badge  "})
		theirs := e.create("ticket-templates", record.Input{"name": "Départ B", "tasks": "Rendre le poste", "organization_id": orgB})
		b := e.browser("fr")
		b.login("tech-a", "tech-a-password-1")
		b.get("/tickets/new").must(t, 200, `href="/tickets/new?template=`+itoa(tpl)+`"`, "Nouvel arrivant (Arrivée)").lacks(t, "Départ B")
		b.get("/tickets/new?template="+itoa(tpl)).must(t, 200, `value="Arrivée d&#39;un collaborateur"`, `name="category_id__text" type="text" value="Arrivée"`,
			`<option value="request" selected>`, `name="template" value="`+itoa(tpl)+`"`, esc(e.cat.T("fr", "ui.newticket.template_applied", "Nouvel arrivant")))
		b.get("/tickets/new?template="+itoa(theirs)).lacks(t, `name="template"`)

		fields := map[string]string{"_csrf": b.csrf(), "organization_id": itoa(orgA), "title": "Arrivée de Léa", "type": "request",
			"impact": "3", "urgency": "2", "template": itoa(theirs)}
		b.postMultipart("/tickets/new", fields, "", "").must(t, http.StatusUnprocessableEntity, "Modèle de ticket")
		fields["template"] = itoa(tpl)
		p := b.postMultipart("/tickets/new", fields, "", "")
		mt := ticketIDRe.FindStringSubmatch(p.Header.Get("Location"))
		if p.Status != http.StatusSeeOther || mt == nil {
			t.Fatalf("create: %d %s", p.Status, p.Body)
		}
		tasks, err := e.app.Records.List(ctx, e.sys, e.app.Reg.MustType("ticket-tasks"), record.ListQuery{Sort: "id",
			Filters: []record.Filter{{Field: "ticket_id", Op: record.OpEq, Value: mt[1]}}})
		if err != nil || len(tasks.Records) != 3 || tasks.Records[0].String("content") != "Créer le compte" ||
			tasks.Records[1].String("content") != "Préparer le poste" || tasks.Records[2].String("content") != "Remettre le badge" {
			t.Fatalf("tasks: %v %+v", err, tasks)
		}
	})
}
