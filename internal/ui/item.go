package ui

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"parc/internal/ingest"
	"parc/internal/kb"
	"parc/internal/record"
	"parc/internal/stock"
)

// historyPage is how many history entries one page shows.
const historyPage = 50

// ItemPage shows one record: its details, history and linked records.
type ItemPage struct {
	Base
	Type    TypeView
	ID      int64
	Label   string
	Href    string
	InTrash bool
	Deleted string
	Org     *Cell
	Version int64
	Created string
	Updated string

	Tabs    []Tab
	Tab     string
	Details []Detail
	// Blocks follow the details: a computer's hardware and inventory.
	Blocks []DetailBlock
	// Components, Software: a computer's inventory tabs; Computers: where a
	// software is installed.
	Components []ComponentGroup
	Software   *SoftwareTab
	Computers  *InstalledOn
	History    []HistoryRow
	// OlderHref pages back through the history.
	OlderHref  string
	NewestHref string
	Links      []LinkGroup

	EditHref                       string
	CanTrash, CanRestore, CanPurge bool
	NoTrash                        bool

	// TicketTab is a ticket's work tab; ReportHref its intervention report;
	// TakeHref assigns it to the user. AssetTickets: an asset's tickets.
	TicketTab *TicketTab
	// Remote: a computer's remote-control launches.
	Remote *RemoteView
	// Stock: a stock item's quantities per location, movements and movement form.
	Stock                *StockView
	ReportHref, TakeHref string
	// NewTicketHref opens a ticket about this asset (its user as the requester).
	NewTicketHref string
	AssetTickets  *AssetLink
	// Loans: an asset's hand-overs tab, or a hand-over's panel (loans.go).
	Loans *LoanTab
	// License: a licence's compliance panel; ComputerLicenses: a computer's
	// licences (internal/ui/licenses.go).
	License          *LicenseView
	ComputerLicenses *ComputerLicenses
	// Contract: a contract's page; Coverage: the contracts covering an asset or a
	// ticket's assets; SupplierLinks: a supplier's items and contracts.
	Contract      *ContractView
	Coverage      *CoverageView
	SupplierLinks []LinkGroup
	// Finance: an asset's book value, depreciation and lifecycle records.
	Finance *FinanceTab
	// Costs: an asset's total cost of ownership (finance tab); Documents: the
	// files attached to the record (details tab) (costs.go).
	Costs     *CostsView
	Documents *DocumentsView
	// Purchase: a ticket's awaited parts, an order's lines, a request's decision.
	Purchase *PurchaseView
	// Directory: a directory's panel; DirectoryFrom: the directory a user comes
	// from (directories.go).
	Directory     *DirectoryView
	DirectoryFrom string
	// UserSecurity: a user's second factor and sessions, for who may change the user (twofactor.go).
	UserSecurity *UserSecurityView
}

// Tab is one tab of the item page.
type Tab struct {
	Key, Label, Href string
	Active           bool
}

// Detail is one labelled value; Lines are shown one per line after Text.
type Detail struct {
	Label, Text, Href string
	Lines             []string
	Long              bool
	// HTML is a Markdown field rendered and sanitised (an article's body).
	HTML template.HTML
	// Locked marks a computer field that inventories may not change.
	Locked bool
}

// HistoryRow is one history entry as shown.
type HistoryRow struct {
	At, User, Origin, Action string
	Field                    string
	Old, New                 string
	Change                   bool // an update of one field, with old and new values
	// Head and Verb (added, removed, changed) write an inventory entry as a
	// sentence: "Memory added: DDR4 (8 GB)".
	Head, Verb string
}

// LinkGroup lists the records of one type that point to this record.
type LinkGroup struct {
	Type    TypeView
	Columns []Column
	Rows    []Row
	More    string
	NewHref string
	Empty   string
}

// Table is the group's table; a group has no pager, its More link goes to the list.
func (g LinkGroup) Table() TableView { return TableView{Columns: g.Columns, Rows: g.Rows} }

// linkedTypes are the asset types with a reference to t (monitors and peripherals
// plugged into a computer), for the connections tab.
func (u *UI) linkedTypes(t *record.Type) []linkRef {
	var out []linkRef
	for _, lt := range u.App.Reg.InArea(record.AreaAssets) {
		for _, f := range lt.Fields {
			// A type's reference to itself is listed too: a host's virtual machines.
			if f.Kind == record.Ref && f.Ref == t.Name {
				out = append(out, linkRef{lt, f})
			}
		}
	}
	return out
}

type linkRef struct {
	t *record.Type
	f *record.Field
}

func (u *UI) item(c *req, t *record.Type) error {
	return u.renderItem(c, t, c.R.URL.Query().Get("tab"), nil, http.StatusOK)
}

// renderItem shows a record's page on a tab; refused is a ticket form to show
// again with its messages (nil: none), answered with status.
// renderItem draws a record's page: its header, its tabs, and the open tab.
func (u *UI) renderItem(c *req, t *record.Type, tab string, refused *TicketForm, status int) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	ctx := c.R.Context()
	rec, err := u.App.Records.Get(ctx, c.Actor, t, id)
	if err != nil {
		return err
	}
	if t.Name == "tickets" && u.Notify != nil {
		// Opening the ticket is seeing what its notifications said (before the
		// header counts the bell).
		if err := u.Notify.SeenTicket(ctx, c.Actor, id); err != nil {
			return err
		}
	}
	p := u.itemHeader(c, t, rec)
	href := p.Href

	links := u.linkedTypes(t)
	isComputer := t.Name == "computers"
	hasInv := false
	if isComputer {
		if hasInv, err = u.Inventory.HasInventory(c.R.Context(), rec); err != nil {
			return err
		}
	}
	var ports []ingest.Component
	if t.Name == "network-equipment" {
		if ports, err = u.Inventory.Ports(c.R.Context(), c.Actor, id); err != nil {
			return err
		}
	}
	tab = u.itemTabs(c, t, rec, p, tab, hasInv, len(ports), len(links) > 0)

	switch tab {
	case "details":
		if err := u.itemDetails(c, t, rec, p, hasInv, refused); err != nil {
			return err
		}
		if p.Documents, err = u.documentsBlock(c, t, rec); err != nil {
			return err
		}
	case "components":
		if len(ports) > 0 {
			p.Components = u.groups(c, ports)
		} else if p.Components, err = u.componentGroups(c, id); err != nil {
			return err
		}
	case "software":
		if p.Software, err = u.softwareTab(c, id, href); err != nil {
			return err
		}
	case "computers":
		if p.Computers, err = u.installedOn(c, rec, href); err != nil {
			return err
		}
	case "approvals", "assets":
		if p.TicketTab, err = u.ticketTab(c, rec, tab, href, refused); err != nil {
			return err
		}
	case "tickets":
		p.AssetTickets = &AssetLink{Href: href}
		if err := u.previousTickets(c, 0, p.AssetTickets); err != nil {
			return err
		}
	case "handovers":
		if err := u.assetLoans(c, rec, p); err != nil {
			return err
		}
	case "finance":
		if p.Finance, err = u.financeTab(c, t, rec); err != nil {
			return err
		}
		if p.Costs, err = u.costsBlock(c, t, rec); err != nil {
			return err
		}
	case "history":
		if err := u.history(c, t, rec, p); err != nil {
			return err
		}
	case "links":
		for _, l := range links {
			g, err := u.linkGroup(c, l, rec)
			if err != nil {
				return err
			}
			if g != nil && l.t == t && len(g.Rows) == 0 {
				continue // most computers host nothing: no empty group for them
			}
			if g != nil {
				p.Links = append(p.Links, *g)
			}
		}
	}
	return u.renderPage(c, status, "item", p)
}

// itemHeader is the page's header: label, organisation, dates, and what the user
// may do with the record.
func (u *UI) itemHeader(c *req, t *record.Type, rec *record.Record) *ItemPage {
	id := rec.ID
	tv := typeView(c, t)
	href := "/" + t.Name + "/" + strconv.FormatInt(id, 10)
	label := builtinName(c, t.Name, rec.Label())
	p := &ItemPage{Base: u.base(c, label, "/"+t.Name), Type: tv, ID: id, Label: label, Href: href,
		InTrash: rec.DeletedAt != nil, Version: rec.Version, NoTrash: t.NoTrash,
		Created: fmtDateTime(c.Lang, rec.CreatedAt, u.Loc), Updated: fmtDateTime(c.Lang, rec.UpdatedAt, u.Loc)}
	if p.Label == "" {
		p.Label = tv.One + " #" + strconv.FormatInt(id, 10)
		p.Title = p.Label
	}
	if rec.DeletedAt != nil {
		p.Deleted = fmtDateTime(c.Lang, *rec.DeletedAt, u.Loc)
	}
	if t.Scope == record.OrgShared && rec.OrgID == 0 {
		p.Org = &Cell{Text: ownerText(c, rec)}
	} else if t.HasOrg() {
		org := Cell{Text: builtinName(c, "organizations", rec.Display["organization_id"])}
		if org.Text == "" {
			org.Text = orgName(c.Actor, rec.OrgID)
		}
		if t.Scope == record.OrgShared {
			org.Text = ownerText(c, rec)
		}
		if orgs := u.App.Reg.MustType("organizations"); c.Actor.CanIn(orgs, record.Read, rec.OrgID) {
			org.Href = "/organizations/" + strconv.FormatInt(rec.OrgID, 10)
		}
		p.Org = &org
	}
	if !p.InTrash && canUpdate(c.Actor, rec) {
		p.EditHref = href + "/edit"
	}
	if !p.InTrash && isItemType(t.Name) && c.Actor.CanIn(u.App.Reg.MustType("tickets"), record.Create, rec.OrgID) && c.Actor.CanIn(u.App.Reg.MustType("tickets"), record.Update, rec.OrgID) {
		p.NewTicketHref = "/tickets/new?asset_type=" + t.Name + "&asset=" + strconv.FormatInt(id, 10)
	}
	p.CanTrash = !p.InTrash && c.Actor.CanRecord(rec, record.Delete)
	p.CanRestore = p.InTrash && c.Actor.CanRecord(rec, record.Delete)
	p.CanPurge = p.InTrash && c.Actor.CanRecord(rec, record.Purge)

	return p
}

// itemTabs adds the tabs the record has and returns the open one (details when the
// one asked for is not among them).
func (u *UI) itemTabs(c *req, t *record.Type, rec *record.Record, p *ItemPage, tab string, hasInv bool, ports int, links bool) string {
	href := p.Href
	details := c.T("ui.item.tab_details")
	if t.Name == "tickets" {
		details = c.T("timeline.tab_thread")
	}
	p.Tabs = append(p.Tabs, Tab{Key: "details", Label: details, Href: href})
	if ports > 0 {
		p.Tabs = append(p.Tabs, Tab{Key: "components", Label: c.T("ui.inv.tab_ports", fmtInt(c.Lang, int64(ports))), Href: href + "?tab=components"})
	}
	if hasInv {
		p.Tabs = append(p.Tabs, Tab{Key: "components", Label: c.T("ui.inv.tab_components"), Href: href + "?tab=components"})
		p.Tabs = append(p.Tabs, Tab{Key: "software", Label: c.T("ui.inv.tab_software", fmtInt(c.Lang, rec.Int("software_count"))), Href: href + "?tab=software"})
	}
	if t.Name == "software" && c.Actor.Can(u.App.Reg.MustType("computers"), record.Read) {
		p.Tabs = append(p.Tabs, Tab{Key: "computers", Label: c.T("type.computer.plural"), Href: href + "?tab=computers"})
	}
	if t.Name == "tickets" {
		p.Tabs = append(p.Tabs, ticketTabs(c, href)...)
		p.ReportHref = href + "/report"
		if rec.String("status") == "new" && canUpdate(c.Actor, rec) && rec.DeletedAt == nil {
			p.TakeHref = href + "/take"
		}
	}
	if isItemType(t.Name) && c.Actor.Can(u.App.Reg.MustType("tickets"), record.Read) {
		p.Tabs = append(p.Tabs, Tab{Key: "tickets", Label: c.T("type.ticket.plural"), Href: href + "?tab=tickets"})
	}
	u.loanTabs(c, t, p)
	if t.DisposedField != "" && u.Lifecycle != nil {
		p.Tabs = append(p.Tabs, Tab{Key: "finance", Label: c.T("lifecycle.tab"), Href: href + "?tab=finance"})
	}
	p.Tabs = append(p.Tabs, Tab{Key: "history", Label: c.T("ui.item.tab_history"), Href: href + "?tab=history"})
	if links {
		p.Tabs = append(p.Tabs, Tab{Key: "links", Label: c.T("ui.item.tab_links"), Href: href + "?tab=links"})
	}
	if !slices.ContainsFunc(p.Tabs, func(x Tab) bool { return x.Key == tab }) {
		tab = "details"
	}
	p.Tab = tab
	for i := range p.Tabs {
		p.Tabs[i].Active = p.Tabs[i].Key == tab
	}

	return tab
}

// itemDetails fills the details tab: the fields (empty inventory-only ones of a
// computer never inventoried left out), a ticket's due times and tab, a computer's
// hardware and inventory blocks.
func (u *UI) itemDetails(c *req, t *record.Type, rec *record.Record, p *ItemPage, hasInv bool, refused *TicketForm) error {
	href, isComputer, isTicket := p.Href, t.Name == "computers", t.Name == "tickets"
	if isTicket {
		// A ticket's details are its thread's header: only the fields that are set.
		var err error
		if p.TicketTab, err = u.ticketTab(c, rec, "details", href, refused); err != nil {
			return err
		}
		if p.Coverage, err = u.ticketCoverage(c, rec); err != nil || u.Purchase == nil {
			return err
		}
		if err := u.purchasePanels(c, t, rec, p); err != nil {
			return err
		}
		// On a ticket, the awaited parts sit in the thread's side column and the
		// part request among the thread's actions.
		p.TicketTab.Purchase, p.Purchase = p.Purchase, nil
		return nil
	}
	if err := u.itemExtras(c, t, rec, p); err != nil {
		return err
	}
	if err := u.directoryPanel(c, t, rec, p); err != nil {
		return err
	}
	var locked map[string]bool
	if lf := lockField(t); lf != nil {
		locked = lockedSet(rec.String(lf.Name))
	}
	for _, f := range t.VisibleFields() {
		if isComputer && inventoryOnly(f, hasInv) {
			continue
		}
		if t.Scope == record.OrgShared && f.Name == record.RecursiveField {
			continue // said by the organisation above: "... and its sub-organisations"
		}
		if f.ReadOnly && rec.Values[f.Name] == nil && isLoanType(t) {
			continue // a hand-over not yet returned nor acknowledged (loans.go)
		}
		if t.Name == "licenses" && licensePanelFields[f.Name] {
			continue // in the compliance panel above
		}
		if t.Name == "directories" && directoryPanelFields[f.Name] {
			continue // in the directory's panel above
		}
		if f.Name == "asset_name" && t.HasField("asset_id") {
			continue // a lifecycle record's asset: shown by its id's line, linked
		}
		d := Detail{Label: shownLabel(c, f), Long: f.Kind == record.LongText, Locked: locked[f.Name]}
		cell := u.cell(c, rec, f)
		d.Text, d.Href = cell.Text, cell.Href
		switch {
		case f.Name == "asset_id" && t.HasField("asset_name"):
			// Lifecycle records keep their asset's name.
			d.Label, d.Text, d.Href = c.T("field.asset"), rec.String("asset_name"), u.assetHref(c, rec)
		case f.Name == "asset_id" && t.HasField("asset_type"):
			// Hand-overs and loans name their asset by type and id: shown by name.
			d.Text, d.Href = rec.Label(), assetHref(rec)
		}
		if f.Name == t.NameField {
			d.Text = builtinName(c, t.Name, d.Text)
		}
		if f.Kind == record.LongText {
			d.Text = u.display(c, f, rec.Values[f.Name])
		}
		if t.Name == "kb-articles" && f.Name == "body" && d.Text != "" {
			// As the portal shows it: Markdown rendered, then sanitised.
			html, err := kb.Render(d.Text)
			if err != nil {
				return err
			}
			d.HTML, d.Text = template.HTML(html), ""
		}
		if f.Kind == record.URL && d.Text != "" {
			d.Href = d.Text
		}
		if f.Kind == record.Email && d.Text != "" {
			d.Href = "mailto:" + d.Text
		}
		if lf := lockField(t); lf != nil && f == lf {
			d.Text = u.lockLabels(c, t, rec.String(f.Name))
		}
		p.Details = append(p.Details, d)
	}
	if t.Name == "handovers" {
		if err := u.handoverPanel(c, rec, p); err != nil {
			return err
		}
	}
	if isComputer {
		var err error
		if p.Remote, err = u.remoteView(c, rec, 0); err != nil {
			return err
		}
		if err := u.computerLicenses(c, rec, p); err != nil {
			return err
		}
	}
	if t.Name == "licenses" {
		if err := u.licenseView(c, rec, p); err != nil {
			return err
		}
	}
	if t.Name == stock.ItemsType && u.Stock != nil {
		var err error
		if p.Stock, err = u.stockView(c, rec, href); err != nil {
			return err
		}
	}
	if t.Name == "budgets" && u.Lifecycle != nil {
		b, err := u.budgetBlock(c, rec)
		if err != nil {
			return err
		}
		p.Blocks = append(p.Blocks, b)
	}
	if u.Purchase != nil {
		if err := u.purchasePanels(c, t, rec, p); err != nil {
			return err
		}
	}
	if t.Name == "users" {
		if err := u.userSecurityPanel(c, t, rec, p); err != nil {
			return err
		}
	}
	if hasInv {
		p.Blocks = append(p.Blocks, u.hardwareBlock(c, t, rec, locked))
		b, err := u.inventoryBlock(c, rec, href)
		if err != nil {
			return err
		}
		p.Blocks = append(p.Blocks, b)
	}
	return nil
}

func (u *UI) history(c *req, t *record.Type, rec *record.Record, p *ItemPage) error {
	before, _ := strconv.ParseInt(c.R.URL.Query().Get("before"), 10, 64)
	es, err := u.App.Records.History(c.R.Context(), c.Actor, t, rec.ID, historyPage, before)
	if err != nil {
		return err
	}
	for _, e := range es {
		h := HistoryRow{At: fmtDateTime(c.Lang, e.At, u.Loc), User: e.UserName, Origin: c.T("history.origin." + e.Origin),
			Action: c.T("history.action." + e.Action)}
		if h.User == "" {
			h.User = c.T("ui.history.nobody")
		}
		if inventoryHistory(c, e, &h) {
			p.History = append(p.History, h)
			continue
		}
		if e.Field != "" {
			h.Change = true
			h.Field = u.fieldLabel(c, t, e.Field)
			f := t.Field(e.Field)
			switch {
			case e.Field == "remote":
				h.Old, h.New = "", remoteHistoryText(c, e.NewValue)
			case e.Field == "organization_id":
				h.Old, h.New = orgLabel(c.Actor, e.OldValue), orgLabel(c.Actor, e.NewValue)
			case f != nil && f.Hidden:
				h.Old, h.New = "", c.T("ui.history.secret")
			case f != nil && f.Kind == record.Ref:
				h.Old, h.New = refText(e.OldLabel, e.OldValue), refText(e.NewLabel, e.NewValue)
			case f != nil && f == lockField(t):
				h.Old, h.New = u.lockLabels(c, t, e.OldValue), u.lockLabels(c, t, e.NewValue)
			case f != nil && isComputerSize(t, f):
				h.Field = c.T(map[string]string{"memory_mb": "ui.inv.memory", "disk_mb": "ui.inv.disk"}[f.Name])
				h.Old, h.New = sizeText(c, e.OldValue), sizeText(c, e.NewValue)
			default:
				h.Old, h.New = u.displayText(c, f, e.OldValue), u.displayText(c, f, e.NewValue)
			}
		}
		p.History = append(p.History, h)
	}
	if len(es) == historyPage {
		v := url.Values{"tab": {"history"}, "before": {strconv.FormatInt(es[len(es)-1].ID, 10)}}
		p.OlderHref = p.Href + "?" + v.Encode()
	}
	if before > 0 {
		p.NewestHref = p.Href + "?tab=history"
	}
	return nil
}

func refText(label, id string) string {
	if label != "" || id == "" {
		return label
	}
	return "#" + id
}

func orgLabel(a *record.Actor, s string) string {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return s
	}
	return orgName(a, id)
}

// linkGroup lists the records of l.t whose l.f points to rec.
func (u *UI) linkGroup(c *req, l linkRef, rec *record.Record) (*LinkGroup, error) {
	if !c.Actor.Can(l.t, record.Read) {
		return nil, nil
	}
	idStr := strconv.FormatInt(rec.ID, 10)
	q := record.ListQuery{Filters: []record.Filter{{Field: l.f.Name, Op: record.OpEq, Value: idStr}}, Limit: 100}
	page, err := u.App.Records.List(c.R.Context(), c.Actor, l.t, q)
	if err != nil {
		return nil, err
	}
	g := &LinkGroup{Type: typeView(c, l.t)}
	if page.NextCursor != "" {
		g.More = withQuery("/"+l.t.Name, q.Encode())
	}
	if canCreate(c.Actor, l.t) && rec.DeletedAt == nil {
		v := url.Values{l.f.Name: {idStr}}
		if rec.OrgID != 0 && l.t.Scope == record.OrgScoped {
			v.Set("organization_id", strconv.FormatInt(rec.OrgID, 10))
		}
		g.NewHref = "/" + l.t.Name + "/new?" + v.Encode()
	}
	var cols []*record.Field
	for _, f := range l.t.Fields {
		if f.List && !f.Hidden && f != l.f {
			cols = append(cols, f)
		}
	}
	for _, f := range cols {
		g.Columns = append(g.Columns, Column{Label: c.T(f.LabelKey()), Class: kindClass(f)})
	}
	for _, r := range page.Records {
		row := Row{ID: r.ID, Href: "/" + l.t.Name + "/" + strconv.FormatInt(r.ID, 10)}
		for i, f := range cols {
			cell := u.cell(c, r, f)
			if i == 0 {
				cell.Href = row.Href
			}
			row.Cells = append(row.Cells, cell)
		}
		g.Rows = append(g.Rows, row)
	}
	if len(g.Rows) == 0 {
		g.Empty = c.T("ui.item.no_links", lowerFirst(g.Type.Plural))
	}
	return g, nil
}

// isComputerSize reports whether f is a computer's memory or disk size in MB, which
// reads better as "16 GB" than as "16,384".
func isComputerSize(t *record.Type, f *record.Field) bool {
	return t.Name == "computers" && (f.Name == "memory_mb" || f.Name == "disk_mb")
}

// sizeText writes a size in MB kept as text (a history value) for reading.
func sizeText(c *req, s string) string {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return s
	}
	return fmtSize(c, n)
}

// ownerText says whose a catalogue record (OrgShared) is: every organisation's, or
// one organisation's, with its sub-organisations when they see it too.
func ownerText(c *req, r *record.Record) string {
	if r.OrgID == 0 {
		return c.T("ui.catalog.shared")
	}
	name := r.Display["organization_id"]
	if name == "" {
		name = orgName(c.Actor, r.OrgID)
	}
	if r.Bool(record.RecursiveField) {
		return c.T("ui.catalog.with_below", name)
	}
	return name
}
