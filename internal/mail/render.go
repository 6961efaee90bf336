package mail

import (
	"bytes"
	"context"
	"embed"
	htmltemplate "html/template"
	"strconv"
	"strings"
	texttemplate "text/template"
	"time"

	"parc/internal/helpdesk"
	"parc/internal/store"
)

//go:embed templates
var templateFiles embed.FS

// The templates are the same in every language: their words come from the
// catalogue (mail.json) through the "t" function, bound per message.
var (
	textTmpl = texttemplate.Must(texttemplate.New("body.txt.tmpl").Funcs(texttemplate.FuncMap{"t": noT}).ParseFS(templateFiles, "templates/body.txt.tmpl"))
	htmlTmpl = htmltemplate.Must(htmltemplate.New("body.html.tmpl").Funcs(htmltemplate.FuncMap{"t": noT}).ParseFS(templateFiles, "templates/body.html.tmpl"))
)

func noT(key string, args ...any) string { return key }

// maxQuoted bounds the text quoted in a message (a long description is cut).
const maxQuoted = 4000

// facts are what a message says about its ticket, whatever the language.
type facts struct {
	ID       int64
	Title    string
	Status   string
	Priority int64
	Author   string
	Text     string // description, follow-up or solution
	Due      time.Time
	Link     string
}

// message is one rendered notification.
type message struct {
	Subject, Text, HTML string
}

// view is what the templates see.
type view struct {
	Name, Intro, TextLabel, Text, Title, Status, Due, Link string
	ID, Priority                                           int64
}

func (n *Notifier) facts(ctx context.Context, tx *store.Tx, ev helpdesk.Event) (*facts, error) {
	tk := ev.Ticket
	f := &facts{ID: tk.ID, Title: tk.String("title"), Status: tk.String("status"), Priority: tk.Int("priority"), Author: "parc"}
	if ev.Actor != nil && !ev.Actor.System && ev.Actor.UserID != 0 {
		f.Author = ev.Actor.Name
		if f.Author == "" {
			f.Author = ev.Actor.Login
		}
	}
	switch ev.Kind {
	case helpdesk.TicketCreated:
		f.Text = tk.String("description")
	case helpdesk.FollowupAdded:
		if ev.Followup != nil {
			f.Text = ev.Followup.String("content")
		}
	case helpdesk.TicketSolved:
		f.Text = tk.String("solution")
	case helpdesk.ApprovalRequested:
		if ev.Approval != nil {
			f.Text = ev.Approval.String("comment")
		}
	}
	due := "ttr_due_at"
	if ev.Due == "tto" {
		due = "tto_due_at"
	}
	f.Due, _ = tk.Values[due].(time.Time)
	if len(f.Text) > maxQuoted {
		f.Text = strings.ToValidUTF8(f.Text[:maxQuoted], "") + " […]"
	}
	if n.BaseURL != "" {
		f.Link = strings.TrimRight(n.BaseURL, "/") + "/tickets/" + strconv.FormatInt(tk.ID, 10)
	}
	return f, nil
}

// paris is where due times are shown: parc's users are mostly in France.
var paris = func() *time.Location {
	if l, err := time.LoadLocation("Europe/Paris"); err == nil {
		return l
	}
	return time.UTC
}()

func (n *Notifier) render(ev helpdesk.Event, f *facts, r recipient) (*message, error) {
	lang := r.Lang
	t := func(key string, args ...any) string { return n.Cat.T(lang, key, args...) }
	kind := string(ev.Kind)
	v := view{Name: r.Name, Intro: t("mail.intro."+kind, f.Author, f.ID), Text: f.Text, Title: f.Title,
		Status: t("enum.status." + f.Status), ID: f.ID, Priority: f.Priority, Link: f.Link}
	if f.Text != "" {
		v.TextLabel = t("mail.block." + kind)
	}
	if !f.Due.IsZero() {
		layout := "2006-01-02 15:04 MST"
		if lang == "fr" {
			layout = "02/01/2006 15:04 MST"
		}
		v.Due = f.Due.In(paris).Format(layout)
	}
	msg := &message{Subject: t("mail.subject."+kind, f.ID, f.Title)}
	var tb, hb bytes.Buffer
	tt, err := textTmpl.Clone()
	if err != nil {
		return nil, err
	}
	if err := tt.Funcs(texttemplate.FuncMap{"t": t}).Execute(&tb, v); err != nil {
		return nil, err
	}
	ht, err := htmlTmpl.Clone()
	if err != nil {
		return nil, err
	}
	if err := ht.Funcs(htmltemplate.FuncMap{"t": t}).Execute(&hb, v); err != nil {
		return nil, err
	}
	msg.Text, msg.HTML = tb.String(), hb.String()
	return msg, nil
}
