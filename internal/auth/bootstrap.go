package auth

import (
	"context"
	"encoding/json"
	"slices"

	"parc/internal/record"
	"parc/internal/store"
)

// BuiltinProfile is a profile every new store starts with; sites may edit them.
type BuiltinProfile struct {
	Name   string
	Rights record.Rights
}

var (
	all      = []record.Action{record.Read, record.Create, record.Update, record.Delete, record.Purge}
	work     = []record.Action{record.Read, record.Create, record.Update, record.Delete}
	edit     = []record.Action{record.Read, record.Create, record.Update}
	readOnly = []record.Action{record.Read}
)

// fleetTypes are the asset types technicians work on.
var fleetTypes = []string{"computers", "monitors", "network-equipment", "printers", "phones", "peripherals"}
var catalogueTypes = []string{"manufacturers", "models", "asset-types", "states", "suppliers"}

// ticketTypes are the helpdesk types technicians work in; helpdeskSettings are
// configured by administrators and read by technicians.
var ticketTypes = []string{"tickets", "ticket-followups", "ticket-tasks", "ticket-items"}
var helpdeskSettings = []string{"ticket-categories", "calendars", "slas", "kb-categories", "ticket-templates"}

// kbTypes are the knowledge base's articles and their links to tickets.
var kbTypes = []string{"kb-articles", "kb-article-tickets"}

// loanTypes are hand-overs and loans (internal/loan).
var loanTypes = []string{"handovers", "reservations", "loan-items"}

func rightsFor(types []string, acts []record.Action, into record.Rights) record.Rights {
	for _, t := range types {
		into[t] = acts
	}
	return into
}

// BuiltinProfiles lists the default profiles, from most to least powerful.
func BuiltinProfiles() []BuiltinProfile {
	tech := rightsFor(fleetTypes, work, record.Rights{})
	rightsFor(catalogueTypes, edit, tech)
	rightsFor([]string{"locations"}, edit, tech)
	rightsFor([]string{"organizations", "users", "groups", "group-members"}, readOnly, tech)
	rightsFor([]string{"software"}, edit, tech)
	rightsFor([]string{"agents"}, []record.Action{record.Read, record.Delete}, tech)
	rightsFor([]string{"software-rules", "inventory-rules"}, readOnly, tech)
	rightsFor(ticketTypes, work, tech)
	rightsFor(helpdeskSettings, readOnly, tech)
	// Canned responses are shared texts the technicians write and reuse.
	rightsFor([]string{"canned-responses"}, work, tech)
	rightsFor(kbTypes, work, tech)
	// Approvals are written through the approval actions only (who asks, who answers).
	rightsFor([]string{"ticket-approvals"}, readOnly, tech)
	// Stock: technicians keep the items and record movements (a ledger: never
	// changed, a correction is a new movement).
	rightsFor([]string{"stock-items"}, work, tech)
	rightsFor([]string{"stock-movements"}, []record.Action{record.Read, record.Create}, tech)
	// Hand-overs, loan equipment and reservations (internal/loan).
	rightsFor(loanTypes, work, tech)
	// Contracts and the assets they cover; the items suppliers supply.
	rightsFor([]string{"contracts", "contract-assets"}, work, tech)
	rightsFor([]string{"supplier-items"}, edit, tech)
	// Lifecycle: technicians record wipes and disposals, read the budgets.
	rightsFor([]string{"disposals", "reconditionings"}, work, tech)
	rightsFor([]string{"budgets"}, readOnly, tech)
	// Purchasing: technicians request, order and receive; approving a request is
	// granted by name (approve) to administrators and supervisors.
	rightsFor([]string{"purchase-requests", "purchase-orders", "purchase-order-lines"}, work, tech)

	sup := rightsFor([]string{"*"}, readOnly, record.Rights{})
	rightsFor(fleetTypes, []record.Action{record.Read, record.Update}, sup)
	rightsFor([]string{"tickets"}, []record.Action{record.Read, record.Update}, sup)
	rightsFor([]string{"profiles", "authorizations", "directories"}, nil, sup)
	rightsFor([]string{"purchase-requests"}, []record.Action{record.Read, "approve"}, sup)

	obs := rightsFor([]string{"*"}, readOnly, record.Rights{})
	// Directories (their servers, accounts and filters) are the administrators'.
	rightsFor([]string{"profiles", "authorizations", "directories"}, nil, obs)

	self := rightsFor(fleetTypes, []record.Action{record.ReadOwn}, record.Rights{})
	rightsFor(catalogueTypes, readOnly, self)
	rightsFor([]string{"locations"}, readOnly, self)
	// Requesters open tickets and answer on their own; they read the tickets they
	// requested and their own follow-ups (a ticket's public follow-ups come through
	// /api/v1/tickets/{id}/followups), never private ones.
	rightsFor([]string{"tickets", "ticket-followups"}, []record.Action{record.ReadOwn, record.Create}, self)
	rightsFor([]string{"ticket-categories", "kb-categories"}, readOnly, self)
	// read_own on articles is the FAQ: published public articles (see internal/kb).
	rightsFor([]string{"kb-articles"}, []record.Action{record.ReadOwn}, self)
	// read_own on approvals: those a requester (a manager, often) is asked to give.
	rightsFor([]string{"ticket-approvals"}, []record.Action{record.ReadOwn}, self)
	// read_own on hand-overs and reservations: what a requester received or borrows.
	rightsFor([]string{"handovers", "reservations"}, []record.Action{record.ReadOwn}, self)

	// Software licences: technicians keep them without reading their keys;
	// reading a key is granted by name (read_key), "*" does not give it.
	rightsFor([]string{"licenses", "license-assignments"}, work, tech)
	licenseAll := append(slices.Clone(all), "read_key")

	purchaseAll := append(slices.Clone(all), "approve")
	admin := record.Rights{"*": all, "profiles": readOnly, "licenses": licenseAll, "purchase-requests": purchaseAll}
	return []BuiltinProfile{
		{"super-admin", record.Rights{"*": all, "licenses": licenseAll, "purchase-requests": purchaseAll}},
		{"admin", admin},
		{"technician", tech},
		{"supervisor", sup},
		{"observer", obs},
		{"self-service", self},
	}
}

// ProfileNames are the builtin profile names, as the CLI accepts them.
func ProfileNames() []string {
	var out []string
	for _, p := range BuiltinProfiles() {
		out = append(out, p.Name)
	}
	return out
}

// Bootstrap seeds an empty store: the root organisation and the builtin profiles.
// It reports whether the store was empty.
func (s *Service) Bootstrap(ctx context.Context, rootName string) (bool, error) {
	var n int
	if err := s.DB.QueryRowContext(ctx, "SELECT COUNT(*) FROM organizations").Scan(&n); err != nil {
		return false, err
	}
	if n > 0 {
		return false, nil
	}
	sys := record.SystemActor(&record.OrgTree{}, record.OriginCLI)
	reg := s.Rec.Reg
	if _, err := s.Rec.Create(ctx, sys, reg.MustType("organizations"), record.Input{"name": rootName}); err != nil {
		return false, err
	}
	for _, p := range BuiltinProfiles() {
		b, _ := json.Marshal(p.Rights)
		if _, err := s.Rec.Create(ctx, sys, reg.MustType("profiles"), record.Input{"name": p.Name, "rights": string(b)}); err != nil {
			return false, err
		}
	}
	return true, nil
}

// ProfileID finds a profile by name.
func (s *Service) ProfileID(ctx context.Context, name string) (int64, error) {
	var id int64
	err := s.DB.QueryRowContext(ctx, "SELECT id FROM profiles WHERE name = ? AND deleted_at IS NULL", name).Scan(&id)
	if err != nil {
		return 0, record.E(record.CodeNotFound, "err.unknown_profile", name)
	}
	return id, nil
}

// OrgID finds an organisation by name; "" is the root.
func (s *Service) OrgID(ctx context.Context, name string) (int64, error) {
	q, args := "SELECT id FROM organizations WHERE parent_id IS NULL AND deleted_at IS NULL ORDER BY id LIMIT 1", []any{}
	if name != "" {
		q, args = "SELECT id FROM organizations WHERE name = ? AND deleted_at IS NULL ORDER BY id LIMIT 1", []any{name}
	}
	var id int64
	if err := s.DB.QueryRowContext(ctx, q, args...).Scan(&id); err != nil {
		return 0, record.E(record.CodeNotFound, "err.unknown_org", name)
	}
	return id, nil
}

// CreateUser makes a user with a password and one profile on an organisation (and
// its sub-tree), as `parc user create` and the first start do.
func (s *Service) CreateUser(ctx context.Context, a *record.Actor, login, password, profile string, orgID int64) (*record.Record, error) {
	pid, err := s.ProfileID(ctx, profile)
	if err != nil {
		return nil, err
	}
	reg := s.Rec.Reg
	var u *record.Record
	err = s.DB.Tx(ctx, func(tx *store.Tx) error {
		var err error
		u, err = s.Rec.CreateTx(ctx, tx, a, reg.MustType("users"), record.Input{"login": login, "password": password, "organization_id": orgID})
		if err != nil {
			return err
		}
		_, err = s.Rec.CreateTx(ctx, tx, a, reg.MustType("authorizations"), record.Input{"user_id": u.ID, "profile_id": pid, "organization_id": orgID, "recursive": true})
		return err
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// SetPassword replaces a user's password and closes their sessions.
func (s *Service) SetPassword(ctx context.Context, a *record.Actor, userID int64, password string) error {
	if _, err := s.Rec.Update(ctx, a, s.Rec.Reg.MustType("users"), userID, record.Input{"password": password}); err != nil {
		return err
	}
	_, err := s.DB.Exec(ctx, "DELETE FROM sessions WHERE user_id = ?", userID)
	return err
}

// RequirePasswordChange makes a user choose a new password at their next sign-in,
// before anything else (the one-time administrator password of a new store).
func (s *Service) RequirePasswordChange(ctx context.Context, userID int64) error {
	_, err := s.DB.Exec(ctx, "UPDATE users SET password_change_required = ? WHERE id = ?", true, userID)
	return err
}
