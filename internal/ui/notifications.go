package ui

import (
	"net/http"
	"net/url"
	"strconv"

	"parc/internal/notify"
	"parc/internal/record"
)

// NotificationsPage lists the signed-in user's notifications, newest first.
type NotificationsPage struct {
	Base
	Items    []NotificationView
	NextHref string
}

// NotificationView is one notification as listed.
type NotificationView struct {
	Href, Event, Ticket, By, At string
	Unread                      bool
}

func (u *UI) registerNotifications(mux *http.ServeMux) {
	mux.HandleFunc("GET /notifications", u.page(u.notifications))
	mux.HandleFunc("POST /notifications/read", u.page(u.notificationsRead))
	mux.HandleFunc("GET /notifications/{id}", u.page(u.openNotification))
}

// notifications shows a page of notifications; those shown are seen, so they
// are marked read (the page still tells which were new).
func (u *UI) notifications(c *req) error {
	if u.Notify == nil {
		return record.ErrNotFound()
	}
	ctx := c.R.Context()
	pg, err := u.Notify.List(ctx, c.Actor, c.R.URL.Query().Get("cursor"))
	if err != nil {
		return err
	}
	p := &NotificationsPage{}
	var seen []int64
	for _, it := range pg.Items {
		v := NotificationView{Href: "/notifications/" + strconv.FormatInt(it.ID, 10), Event: c.T("notif.event." + it.Event),
			Ticket: "#" + strconv.FormatInt(it.TicketID, 10) + " " + it.Title, At: fmtDateTime(c.Lang, it.At, u.Loc), Unread: it.Unread}
		if it.RecordType != "" {
			v.Ticket = recordNoteSentence(c, it)
		}
		if it.By != "" {
			v.By = c.T("notif.by", it.By)
		}
		if it.Unread {
			seen = append(seen, it.ID)
		}
		p.Items = append(p.Items, v)
	}
	if pg.Next != "" {
		p.NextHref = withQuery("/notifications", url.Values{"cursor": {pg.Next}})
	}
	if len(seen) > 0 {
		if err := u.Notify.MarkRead(ctx, c.Actor, seen...); err != nil {
			return err
		}
	}
	p.Base = u.base(c, c.T("notif.title"), "/notifications")
	return u.renderPage(c, http.StatusOK, "notifications", p)
}

func (u *UI) notificationsRead(c *req) error {
	if u.Notify == nil {
		return record.ErrNotFound()
	}
	if err := u.Notify.MarkRead(c.R.Context(), c.Actor); err != nil {
		return err
	}
	return redirect(c, "/notifications?done=notifications_read")
}

// openNotification marks a notification (and its ticket's others) read and
// opens the ticket.
func (u *UI) openNotification(c *req) error {
	id, err := pathID(c)
	if err != nil || u.Notify == nil {
		return record.ErrNotFound()
	}
	t, err := u.Notify.OpenTarget(c.R.Context(), c.Actor, id)
	if err != nil {
		return err
	}
	if t.Ticket == 0 {
		return redirect(c, "/"+t.Type+"/"+strconv.FormatInt(t.ID, 10))
	}
	return redirect(c, "/tickets/"+strconv.FormatInt(t.Ticket, 10))
}

// recordNoteSentence is a record's notification in words: the catalogue's
// notif.record.<event> with the record's label and the detail (a date in the
// reader's language).
func recordNoteSentence(c *req, it notify.Item) string {
	d := it.Detail
	if len(d) == 10 && d[4] == '-' && d[7] == '-' {
		d = fmtDate(c.Lang, d)
	}
	return c.T("notif.record."+it.Event, it.Title, d)
}

// bell fills the header's bell: shown to whoever reads tickets outside the
// portal, with the unread count.
func (u *UI) bell(c *req, b *Base) {
	if u.Notify == nil || !c.Actor.Can(u.App.Reg.MustType("tickets"), record.Read) {
		return
	}
	n, err := u.Notify.Unread(c.R.Context(), c.Actor)
	if err != nil {
		u.App.Log.Warn("count unread notifications", "err", err)
		return
	}
	b.Bell, b.BellLabel = true, c.T("notif.bell")
	if n > 0 {
		b.Unread = strconv.Itoa(min(n, notify.UnreadCap))
		if n > notify.UnreadCap {
			b.Unread += "+"
		}
		b.BellLabel = c.T("notif.bell_unread", n)
	}
}
