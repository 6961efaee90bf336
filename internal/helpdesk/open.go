package helpdesk

import (
	"context"
	"slices"
	"strings"

	"parc/internal/record"
	"parc/internal/store"
)

// Item names a record a ticket is about: one of ItemTypes, and its id.
type Item struct {
	Type string
	ID   int64
}

// Opening is a ticket to open with what comes with it.
type Opening struct {
	Ticket record.Input // the ticket's fields
	Asset  *Item        // the asset it is about, one the actor may read (optional)
	Files  []File       // its attachments
	// Template, when not 0, is the ticket template whose task checklist is
	// created with the ticket (its other fields are already in Ticket).
	Template int64
}

// Open opens a ticket with its asset and its files in one transaction: a refused
// asset or file leaves no half-made ticket behind. The ticket comes back as written,
// without labels.
func (s *Service) Open(ctx context.Context, a *record.Actor, o Opening) (*record.Record, error) {
	var tk *record.Record
	err := s.Rec.DB.Tx(ctx, func(tx *store.Tx) error {
		var err error
		tk, err = s.OpenTx(ctx, tx, a, o)
		return err
	})
	if err != nil {
		return nil, err
	}
	return tk, nil
}

// OpenTx is Open inside the caller's transaction (the mail gateway records the
// mail with the ticket it opened). What can be refused without writing is checked
// first, so that a caller may try another actor after a refusal.
func (s *Service) OpenTx(ctx context.Context, tx *store.Tx, a *record.Actor, o Opening) (*record.Record, error) {
	var assetType *record.Type
	if o.Asset != nil {
		t, ok := s.Rec.Reg.Type(o.Asset.Type)
		if !ok || o.Asset.ID <= 0 || !slices.Contains(ItemTypes, o.Asset.Type) {
			return nil, fieldErr("asset", "err.bad_reference")
		}
		assetType = t
	}
	if err := checkFiles(o.Files); err != nil {
		return nil, err
	}
	tk, err := s.Rec.CreateTx(ctx, tx, a, s.tickets(), o.Ticket)
	if err != nil {
		return nil, err
	}
	if assetType != nil {
		// The asset must be one the actor sees (a requester's own); the link is
		// written on their behalf, as requesters may not link assets themselves.
		if _, err := s.Rec.GetTx(ctx, tx, a, assetType, o.Asset.ID); err != nil {
			if _, ok := record.AsError(err); ok {
				return nil, fieldErr("asset", "err.bad_reference")
			}
			return nil, err
		}
		link := record.Input{"item_type": assetType.Name, "item_id": o.Asset.ID}
		if _, err := s.AddChildTx(ctx, tx, a.Elevated("the ticket's opener links the asset it is about"), "ticket-items", tk.ID, link); err != nil {
			return nil, err
		}
	}
	if o.Template > 0 {
		if err := s.templateTasksTx(ctx, tx, a, tk, o.Template); err != nil {
			return nil, err
		}
	}
	return tk, s.AddFilesTx(ctx, tx, tk, 0, o.Files)
}

// maxTemplateTasks bounds the checklist a template opens a ticket with.
const maxTemplateTasks = 50

// templateTasksTx creates the tasks of a template's checklist, one a line, on a
// new ticket. The template must be one the actor reads, of the ticket's
// organisation or an ancestor.
func (s *Service) templateTasksTx(ctx context.Context, tx *store.Tx, a *record.Actor, tk *record.Record, id int64) error {
	tpl, err := s.Rec.GetTx(ctx, tx, a, s.Rec.Reg.MustType("ticket-templates"), id)
	if err != nil {
		if _, ok := record.AsError(err); ok {
			return fieldErr("template", "err.bad_reference")
		}
		return err
	}
	if tpl.DeletedAt != nil || !a.Tree.IsAncestorOrSelf(tpl.OrgID, tk.OrgID) {
		return fieldErr("template", "err.reference_other_org")
	}
	n := 0
	for _, line := range strings.Split(tpl.String("tasks"), "\n") {
		line = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(line), "-*•[] "))
		if line == "" || n == maxTemplateTasks {
			continue
		}
		n++
		if _, err := s.addChildTx(ctx, tx, a, "ticket-tasks", tk, record.Input{"content": line}); err != nil {
			return err
		}
	}
	return nil
}

// ReplyTx adds a follow-up and its files to a ticket the actor may see, in the
// caller's transaction (the mail gateway: a reply and its attachments).
func (s *Service) ReplyTx(ctx context.Context, tx *store.Tx, a *record.Actor, ticketID int64, in record.Input, files []File) (*record.Record, error) {
	if err := checkFiles(files); err != nil {
		return nil, err
	}
	tk, err := s.Rec.GetTx(ctx, tx, a, s.tickets(), ticketID)
	if err != nil {
		return nil, err
	}
	fu, err := s.addChildTx(ctx, tx, a, "ticket-followups", tk, in)
	if err != nil {
		return nil, err
	}
	return fu, s.AddFilesTx(ctx, tx, tk, fu.ID, files)
}

func fieldErr(field, key string) error {
	fe := record.FieldErrors{}
	fe.Add(field, key)
	return fe.Err()
}
