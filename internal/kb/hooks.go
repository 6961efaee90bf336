package kb

import (
	"context"

	"parc/internal/record"
)

func changed(w *record.Write, field string) bool {
	return w.Old == nil || !record.Equal(w.Old.Values[field], w.New.Values[field])
}

func articleBeforeWrite(w *record.Write) error {
	if w.Create && w.Actor.UserID != 0 {
		w.New.Values["author_id"] = w.Actor.UserID
	}
	return nil
}

// restoreKey marks, in the context of an update, the revision it restores.
type restoreKey struct{}

func withRestore(ctx context.Context, rev int64) context.Context {
	return context.WithValue(ctx, restoreKey{}, rev)
}

// articleAfterWrite keeps a full revision of every version of the title and body,
// so that an earlier one can be read and restored whole (the history only keeps
// field changes).
func articleAfterWrite(w *record.Write) error {
	if !changed(w, "title") && !changed(w, "body") {
		return nil
	}
	var n int64
	if err := w.Tx.QueryRowContext(w.Ctx, "SELECT COALESCE(MAX(revision), 0) FROM kb_article_revisions WHERE article_id = ?", w.New.ID).Scan(&n); err != nil {
		return err
	}
	var user, from any
	if w.Actor.UserID != 0 {
		user = w.Actor.UserID
	}
	if rev, ok := w.Ctx.Value(restoreKey{}).(int64); ok {
		from = rev
	}
	_, err := w.Tx.ExecContext(w.Ctx, `INSERT INTO kb_article_revisions
		(article_id, revision, title, body, user_id, user_name, restored_from, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		w.New.ID, n+1, w.New.String("title"), w.New.Values["body"], user, w.Actor.Login, from, w.Service.Now())
	return err
}

// categoryBeforeWrite refuses a parent that is the category itself or one of its
// descendants.
var categoryBeforeWrite = record.RefuseCycles("parent_id", "err.category_cycle")

// linkBeforeWrite files a ticket link in the ticket's organisation, checks the
// article may serve there (its organisation or an ancestor's) and refuses duplicates.
func linkBeforeWrite(w *record.Write) error {
	tid, ok1 := w.New.Values["ticket_id"].(int64)
	aid, ok2 := w.New.Values["article_id"].(int64)
	if !ok1 || !ok2 {
		return nil
	}
	if w.Old != nil && (w.Old.Int("ticket_id") != tid || w.Old.Int("article_id") != aid) {
		w.Errors.Add("ticket_id", "err.kb_link_moved")
		return nil
	}
	for _, f := range []string{"ticket_id", "article_id"} {
		if m, bad := w.Errors[f]; bad && m.Key != "err.reference_other_org" {
			return nil
		}
	}
	sys := record.SystemActor(w.Actor.Tree, w.Actor.Origin)
	tk, err := w.Service.GetTx(w.Ctx, w.Tx, sys, w.Service.Reg.MustType("tickets"), tid)
	if err != nil {
		return err
	}
	art, err := w.Service.GetTx(w.Ctx, w.Tx, sys, w.Service.Reg.MustType("kb-articles"), aid)
	if err != nil {
		return err
	}
	if m, bad := w.Errors["organization_id"]; bad && m.Key == "err.required" {
		delete(w.Errors, "organization_id")
	}
	delete(w.Errors, "ticket_id")
	delete(w.Errors, "article_id")
	w.New.OrgID = tk.OrgID
	if !w.Actor.CanIn(w.Type, record.Create, tk.OrgID) {
		w.Errors.Add("organization_id", "err.org_not_allowed")
	}
	if !w.Actor.Tree.IsAncestorOrSelf(art.OrgID, tk.OrgID) {
		w.Errors.Add("article_id", "err.reference_other_org")
	}
	var n int
	err = w.Tx.QueryRowContext(w.Ctx, "SELECT COUNT(*) FROM kb_article_tickets WHERE article_id = ? AND ticket_id = ? AND id <> ?", aid, tid, w.New.ID).Scan(&n)
	if err != nil {
		return err
	}
	if n > 0 {
		w.Errors.Add("article_id", "err.duplicate")
	}
	return nil
}
