package kb

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"parc/internal/helpdesk"
	"parc/internal/record"
	"parc/internal/store"
)

// Service gives the knowledge-base actions beside the generic record routes.
type Service struct {
	Rec *record.Service
}

// NewService makes the knowledge-base service over the record service.
func NewService(rec *record.Service) *Service { return &Service{Rec: rec} }

func (s *Service) articles() *record.Type { return s.Rec.Reg.MustType("kb-articles") }

// Article reads an article the actor's audience includes; anything else is not found.
func (s *Service) Article(ctx context.Context, a *record.Actor, id int64) (*record.Record, error) {
	return s.Rec.Get(ctx, a, s.articles(), id)
}

// Revision is one full version of an article.
type Revision struct {
	Revision     int64     `json:"revision"`
	Title        string    `json:"title"`
	Body         *string   `json:"body"`
	UserID       *int64    `json:"user_id"`
	UserName     string    `json:"user_name"`
	RestoredFrom *int64    `json:"restored_from"`
	CreatedAt    time.Time `json:"created_at"`
}

// staffArticle reads an article whose revisions the actor may see: those of the
// organisations where they read every article (technicians), not the FAQ readers.
func (s *Service) staffArticle(ctx context.Context, a *record.Actor, id int64) (*record.Record, error) {
	art, err := s.Article(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if !a.Scope(s.articles(), record.Read).Has(art.OrgID) {
		return nil, record.ErrForbidden()
	}
	return art, nil
}

// Revisions lists an article's revisions, newest first.
func (s *Service) Revisions(ctx context.Context, a *record.Actor, id int64) ([]Revision, error) {
	if _, err := s.staffArticle(ctx, a, id); err != nil {
		return nil, err
	}
	return s.revisions(ctx, id, 0)
}

func (s *Service) revisions(ctx context.Context, id, only int64) ([]Revision, error) {
	q := "SELECT revision, title, body, user_id, COALESCE(user_name, ''), restored_from, created_at FROM kb_article_revisions WHERE article_id = ?"
	args := []any{id}
	if only > 0 {
		q += " AND revision = ?"
		args = append(args, only)
	}
	rows, err := s.Rec.DB.QueryContext(ctx, q+" ORDER BY revision DESC", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Revision{}
	ts := &record.Field{Kind: record.DateTime}
	for rows.Next() {
		var r Revision
		var body sql.NullString
		var user, from sql.NullInt64
		var at any
		if err := rows.Scan(&r.Revision, &r.Title, &body, &user, &r.UserName, &from, &at); err != nil {
			return nil, err
		}
		if body.Valid {
			r.Body = &body.String
		}
		if user.Valid {
			r.UserID = &user.Int64
		}
		if from.Valid {
			r.RestoredFrom = &from.Int64
		}
		r.CreatedAt, _ = ts.FromDB(at).(time.Time)
		r.CreatedAt = r.CreatedAt.UTC()
		out = append(out, r)
	}
	return out, rows.Err()
}

// Restore makes an earlier revision the current text again; this writes a new
// revision (noting which one it restores) and the usual history.
func (s *Service) Restore(ctx context.Context, a *record.Actor, id, rev int64) (*record.Record, error) {
	if _, err := s.staffArticle(ctx, a, id); err != nil {
		return nil, err
	}
	rs, err := s.revisions(ctx, id, rev)
	if err != nil {
		return nil, err
	}
	if len(rs) == 0 {
		return nil, record.ErrNotFound()
	}
	in := record.Input{"title": rs[0].Title, "body": nil}
	if rs[0].Body != nil {
		in["body"] = *rs[0].Body
	}
	r, err := s.Rec.Update(withRestore(ctx, rev), a, s.articles(), id, in)
	if err != nil {
		return nil, err
	}
	return r, s.Rec.Describe(ctx, r)
}

// Rendered is an article as a reader sees it.
type Rendered struct {
	ID    int64  `json:"id"`
	Title string `json:"title"`
	HTML  string `json:"html"`
	Views int64  `json:"views"`
}

// View renders an article for reading and counts the view.
func (s *Service) View(ctx context.Context, a *record.Actor, id int64) (*Rendered, error) {
	art, err := s.Article(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if art.DeletedAt != nil {
		return nil, record.ErrNotFound()
	}
	h, err := Render(art.String("body"))
	if err != nil {
		return nil, err
	}
	// Outside the record write path: a view is neither a change nor a new version.
	if _, err := s.Rec.DB.Exec(ctx, "UPDATE kb_articles SET views = views + 1 WHERE id = ?", id); err != nil {
		return nil, err
	}
	return &Rendered{ID: art.ID, Title: art.String("title"), HTML: h, Views: art.Int("views") + 1}, nil
}

// Headings title the parts of an article drafted from a ticket, in the caller's language.
type Headings struct{ Problem, Solution string }

// FromTicket drafts an internal, unpublished article from a solved ticket's title,
// description and solution, in the ticket's organisation, linked to the ticket.
func (s *Service) FromTicket(ctx context.Context, a *record.Actor, ticketID int64, h Headings) (*record.Record, error) {
	tk, err := s.Rec.Get(ctx, a, s.Rec.Reg.MustType("tickets"), ticketID)
	if err != nil {
		return nil, err
	}
	sol := strings.TrimSpace(tk.String("solution"))
	if sol == "" {
		fe := record.FieldErrors{}
		fe.Add("solution", "err.kb_ticket_unsolved")
		return nil, fe.Err()
	}
	var body strings.Builder
	if d := strings.TrimSpace(tk.String("description")); d != "" {
		body.WriteString("## " + h.Problem + "\n\n" + d + "\n\n")
	}
	body.WriteString("## " + h.Solution + "\n\n" + sol + "\n")
	var art *record.Record
	err = s.Rec.DB.Tx(ctx, func(tx *store.Tx) error {
		art, err = s.Rec.CreateTx(ctx, tx, a, s.articles(), record.Input{"title": tk.String("title"), "body": body.String(),
			"organization_id": tk.OrgID, "visibility": Internal, "published": false})
		if err != nil {
			return err
		}
		_, err = s.Rec.CreateTx(ctx, tx, a, s.Rec.Reg.MustType("kb-article-tickets"), record.Input{"article_id": art.ID, "ticket_id": tk.ID})
		return err
	})
	if err != nil {
		return nil, err
	}
	return art, s.Rec.Describe(ctx, art)
}

// SolveFrom solves a ticket with an article the actor may read (not in the trash):
// the article's text is the solution unless one is typed (its title when it has no
// body), the parts used go with it (helpdesk.SolveWithParts), and the article is
// then linked to the ticket.
func (s *Service) SolveFrom(ctx context.Context, a *record.Actor, hd *helpdesk.Service, ticketID, articleID int64, parts string, in record.Input) (*helpdesk.Solution, error) {
	if _, err := hd.Ticket(ctx, a, ticketID); err != nil {
		return nil, err
	}
	art, err := s.Article(ctx, a, articleID)
	if e, isErr := record.AsError(err); isErr && e.Code == record.CodeNotFound || err == nil && art.DeletedAt != nil {
		fe := record.FieldErrors{}
		fe.Add("kb_article_id", "err.bad_reference")
		return nil, fe.Err()
	} else if err != nil {
		return nil, err
	}
	if text, _ := in["solution"].(string); strings.TrimSpace(text) == "" {
		in["solution"] = art.String("body")
		if in["solution"] == "" {
			in["solution"] = art.String("title")
		}
	}
	sol, err := hd.SolveWithParts(ctx, a, ticketID, parts, in)
	if err != nil {
		return nil, err
	}
	return sol, s.Link(ctx, a, art.ID, ticketID)
}

// Link ties an article to a ticket unless they already are. It acts with every
// right (the history still names the user): the caller was already allowed the
// action that implies the link.
func (s *Service) Link(ctx context.Context, a *record.Actor, articleID, ticketID int64) error {
	var n int
	err := s.Rec.DB.QueryRowContext(ctx, "SELECT COUNT(*) FROM kb_article_tickets WHERE article_id = ? AND ticket_id = ?", articleID, ticketID).Scan(&n)
	if err != nil || n > 0 {
		return err
	}
	_, err = s.Rec.Create(ctx, a.Elevated("the article solved the ticket"), s.Rec.Reg.MustType("kb-article-tickets"), record.Input{"article_id": articleID, "ticket_id": ticketID})
	if e, ok := record.AsError(err); ok && e.Code == record.CodeInvalid {
		// The article's organisation does not cover the ticket's: the solution
		// stands without the link.
		return nil
	}
	return err
}
