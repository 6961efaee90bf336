package ui

import (
	"encoding/csv"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"parc/internal/cost"
	"parc/internal/document"
	"parc/internal/record"
)

// Costs and documents: an asset's total cost of ownership (a block of its
// finance tab), the report per model and organisation (/costs, with its CSV),
// and the documents block of every record that accepts documents
// (internal/cost, internal/document).

func init() {
	pageNames = append(pageNames, "costs")
	pageParts["item"] = append(pageParts["item"], "templates/costs_parts.html")
	doneKeys["document_added"] = "documents.added"
	doneKeys["document_removed"] = "documents.removed"
}

func (u *UI) registerCosts(mux *http.ServeMux) {
	if u.Costs != nil {
		mux.HandleFunc("GET /costs", u.page(u.costsPage))
		mux.HandleFunc("GET /costs/export.csv", u.page(u.costsCSV))
	}
	if u.Documents != nil {
		for _, name := range document.Types {
			if !u.Documents.Accepts(name) {
				continue
			}
			t := u.App.Reg.MustType(name)
			p := "/" + name + "/{id}/documents"
			mux.HandleFunc("POST "+p, u.typed(t, u.uploadDocument))
			mux.HandleFunc("GET "+p+"/{doc}", u.typed(t, u.downloadDocument))
			mux.HandleFunc("POST "+p+"/{doc}/delete", u.typed(t, u.deleteDocument))
		}
	}
}

// CostsView is an asset's costs block.
type CostsView struct {
	Total, Hours string
	Lines        []CostLine
	Years        []CostYear
	Empty        bool
	ReportHref   string
}

// CostLine is one line of the block.
type CostLine struct {
	Year, Kind, Label, Href, Detail, Amount string
}

// CostYear is one year's sums.
type CostYear struct {
	Year, Purchase, Contracts, Labour, Parts, Total string
}

// hours writes minutes as "3 h 30".
func hours(c *req, minutes int64) string {
	return c.T("costs.hours", fmtInt(c.Lang, minutes/60), fmt.Sprintf("%02d", minutes%60))
}

func costYear(c *req, y int) string {
	if y == 0 {
		return c.T("costs.year_unknown")
	}
	return strconv.Itoa(y)
}

// costsBlock is an asset's total cost of ownership, for its finance tab.
func (u *UI) costsBlock(c *req, t *record.Type, rec *record.Record) (*CostsView, error) {
	if u.Costs == nil || !cost.IsFleet(t.Name) {
		return nil, nil
	}
	tc, err := u.Costs.Asset(c.R.Context(), c.Actor, t.Name, rec.ID)
	if err != nil {
		return nil, err
	}
	v := &CostsView{Total: money(c, tc.Total), Empty: len(tc.Lines) == 0, ReportHref: "/costs?asset_type=" + t.Name}
	if tc.Minutes > 0 {
		v.Hours = hours(c, tc.Minutes)
	}
	for _, l := range tc.Lines {
		cl := CostLine{Year: costYear(c, l.Year), Kind: c.T("costs.kind." + l.Kind), Amount: money(c, l.Amount)}
		switch l.Kind {
		case cost.Purchase:
			cl.Detail = c.T("costs.purchase_detail")
			if d := rec.String("purchase_date"); d != "" {
				cl.Detail = c.T("costs.purchase_on", fmtDate(c.Lang, d))
			}
		case cost.Contract:
			cl.Label = l.Label
			if l.ContractID == 0 {
				cl.Label = c.T("costs.contract_hidden")
			} else {
				cl.Href = "/contracts/" + strconv.FormatInt(l.ContractID, 10)
			}
			dec := 2
			if l.Months == float64(int64(l.Months)) {
				dec = 0
			}
			months := c.T("costs.months", fmtNumber(c.Lang, l.Months, dec))
			if l.Assets > 1 {
				cl.Detail = c.T("costs.contract_detail", months, money(c, l.YearCost), l.Assets)
			} else {
				cl.Detail = c.T("costs.contract_detail_one", months, money(c, l.YearCost))
			}
		case cost.Labour:
			cl.Label = l.Label
			switch {
			case l.UserID == 0 && l.Label == "":
				cl.Label = c.T("costs.labour_nobody")
			case l.UserID == 0:
				cl.Label = c.T("costs.labour_hidden")
			default:
				if c.Actor.Can(u.App.Reg.MustType("users"), record.Read) {
					cl.Href = "/users/" + strconv.FormatInt(l.UserID, 10)
				}
			}
			cl.Detail = c.T("costs.labour_detail", hours(c, l.Minutes), money(c, l.Rate), c.T("costs.rate."+l.RateSource))
		case cost.Parts:
			cl.Label = l.Label
			if c.Actor.Can(u.App.Reg.MustType("stock-items"), record.Read) {
				cl.Href = "/stock-items/" + strconv.FormatInt(l.StockItemID, 10)
			}
			cl.Detail = c.T("costs.parts_detail", fmtNumber(c.Lang, l.Quantity, 0), money(c, l.Rate))
		}
		v.Lines = append(v.Lines, cl)
	}
	for _, y := range tc.Years {
		v.Years = append(v.Years, CostYear{Year: costYear(c, y.Year), Purchase: money(c, y.Purchase), Contracts: money(c, y.Contracts),
			Labour: money(c, y.Labour), Parts: money(c, y.Parts), Total: money(c, y.Total)})
	}
	return v, nil
}

// CostsPage is the report per model or organisation.
type CostsPage struct {
	Base
	Intro, Count, ExportHref, RatesHref string
	Types, By                           []Option
	GroupLabel                          string
	Heads                               []CostHead
	Rows                                []CostRow
	Total                               *CostRow
	Prev, Next                          string
}

// CostHead is a sortable column heading.
type CostHead struct {
	Label, Href, Sort string // Sort: "ascending", "descending" or ""
	Num               bool
}

// CostRow is one model or organisation.
type CostRow struct {
	Name, Href                                                        string
	Assets, Purchase, Contracts, Labour, Hours, Parts, Total, Average string
}

const costsPageSize = 50

func (u *UI) costsQuery(c *req) cost.ReportQuery {
	v := c.R.URL.Query()
	q := cost.ReportQuery{Type: v.Get("asset_type"), By: v.Get("by"), Sort: v.Get("sort")}
	if !cost.IsFleet(q.Type) {
		q.Type = "computers"
	}
	if q.By != "organization" {
		q.By = "model"
	}
	key := strings.TrimPrefix(q.Sort, "-")
	if !slicesContains(cost.SortKeys, key) {
		q.Sort = "-total"
	}
	return q
}

func (u *UI) costsPage(c *req) error {
	q := u.costsQuery(c)
	page, _ := strconv.Atoi(c.R.URL.Query().Get("page"))
	page = max(page, 1)
	q.Offset, q.Limit = (page-1)*costsPageSize, costsPageSize
	rep, err := u.Costs.Report(c.R.Context(), c.Actor, q)
	if err != nil {
		return err
	}
	p := &CostsPage{Base: u.base(c, c.T("costs.report.title"), "/costs"), Intro: c.T("costs.report.intro")}
	p.Count = counted(c, "costs.report.count", rep.Count)
	base := url.Values{"asset_type": {q.Type}, "by": {q.By}, "sort": {q.Sort}}
	p.ExportHref = withQuery("/costs/export.csv", base)
	if c.Actor.Can(u.App.Reg.MustType("hourly-rates"), record.Read) {
		p.RatesHref = "/hourly-rates"
	}
	for _, name := range cost.FleetTypes {
		t := u.App.Reg.MustType(name)
		if c.Actor.Can(t, record.Read) {
			p.Types = append(p.Types, Option{Value: name, Label: c.T(typeKey(t, true)), Selected: q.Type == name})
		}
	}
	p.By = []Option{{Value: "model", Label: c.T("costs.report.by_model"), Selected: q.By == "model"},
		{Value: "organization", Label: c.T("costs.report.by_organization"), Selected: q.By == "organization"}}
	p.GroupLabel = c.T("costs.col." + q.By)
	cols := []struct{ key, label string }{{"name", p.GroupLabel}, {"assets", "costs.col.assets"}, {"purchase", "costs.col.purchase"},
		{"contracts", "costs.col.contracts"}, {"labour", "costs.col.labour"}, {"parts", "costs.col.parts"}, {"total", "costs.col.total"}, {"average", "costs.col.average"}}
	for i, col := range cols {
		h := CostHead{Label: col.label, Num: i > 0}
		if i > 0 {
			h.Label = c.T(col.label)
		}
		next := col.key
		if q.Sort == col.key {
			h.Sort, next = "ascending", "-"+col.key
		} else if q.Sort == "-"+col.key {
			h.Sort = "descending"
		} else if col.key != "name" {
			next = "-" + col.key
		}
		h.Href = withQuery("/costs", url.Values{"asset_type": {q.Type}, "by": {q.By}, "sort": {next}})
		p.Heads = append(p.Heads, h)
	}
	for _, r := range rep.Rows {
		p.Rows = append(p.Rows, u.costRow(c, q, r))
	}
	if rep.Count > 0 {
		tot := u.costRow(c, q, rep.Total)
		tot.Name, tot.Href = c.T("costs.col.total"), ""
		p.Total = &tot
	}
	if page > 1 {
		v := url.Values{"asset_type": {q.Type}, "by": {q.By}, "sort": {q.Sort}, "page": {strconv.Itoa(page - 1)}}
		p.Prev = withQuery("/costs", v)
	}
	if q.Offset+costsPageSize < rep.Count {
		v := url.Values{"asset_type": {q.Type}, "by": {q.By}, "sort": {q.Sort}, "page": {strconv.Itoa(page + 1)}}
		p.Next = withQuery("/costs", v)
	}
	return u.renderPage(c, http.StatusOK, "costs", p)
}

func (u *UI) costRow(c *req, q cost.ReportQuery, r cost.ReportRow) CostRow {
	row := CostRow{Name: r.Name, Assets: fmtInt(c.Lang, int64(r.Assets)), Purchase: money(c, r.Purchase), Contracts: money(c, r.Contracts),
		Labour: money(c, r.Labour), Parts: money(c, r.Parts), Total: money(c, r.Total), Average: money(c, r.Average)}
	if r.Minutes > 0 {
		row.Hours = hours(c, r.Minutes) // under the amount, so the column stays narrow
	}
	field := "model_id"
	if q.By == "organization" {
		field = "organization_id"
	}
	if q.By == "model" && r.ID == 0 {
		row.Name = c.T("costs.report.no_model")
		return row
	}
	row.Href = withQuery("/"+q.Type, url.Values{"filter": {field + ":eq:" + strconv.FormatInt(r.ID, 10)}})
	return row
}

// costsCSV exports the whole report, in the person's spreadsheet style.
func (u *UI) costsCSV(c *req) error {
	q := u.costsQuery(c)
	rep, err := u.Costs.Report(c.R.Context(), c.Actor, q)
	if err != nil {
		return err
	}
	w := c.W
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="costs-`+q.By+`.csv"`)
	cw := csv.NewWriter(w)
	dec := "."
	if c.Lang == "fr" {
		cw.Comma, dec = ';', ","
	}
	num := func(x float64) string { return strings.Replace(strconv.FormatFloat(x, 'f', 2, 64), ".", dec, 1) }
	w.Write([]byte("\ufeff"))
	head := []string{"costs.col." + q.By, "costs.col.assets", "costs.col.purchase", "costs.col.contracts", "costs.col.labour", "costs.col.parts", "costs.col.total", "costs.col.average"}
	for i, k := range head {
		head[i] = c.T(k)
	}
	cw.Write(head)
	for _, r := range rep.Rows {
		name := r.Name
		if q.By == "model" && r.ID == 0 {
			name = c.T("costs.report.no_model")
		}
		cw.Write([]string{record.NeutraliseCell(name), strconv.Itoa(r.Assets), num(r.Purchase), num(r.Contracts), num(r.Labour), num(r.Parts), num(r.Total), num(r.Average)})
	}
	cw.Flush()
	return cw.Error()
}

// DocumentsView is a record's documents block.
type DocumentsView struct {
	Action, CSRF, Error, Hint string
	Rows                      []DocumentRow
	CanWrite                  bool
}

// DocumentRow is one document.
type DocumentRow struct {
	Name, Href, Size, By, At, DeleteHref string
}

// documentErrors are the refusals the block shows after a redirect.
var documentErrors = map[string]string{"too_large": "err.document_too_large", "empty": "err.document_empty", "choose": "documents.choose"}

// documentsBlock lists a record's documents with the upload form, for types
// that accept documents.
func (u *UI) documentsBlock(c *req, t *record.Type, rec *record.Record) (*DocumentsView, error) {
	if u.Documents == nil || !u.Documents.Accepts(t.Name) {
		return nil, nil
	}
	_, docs, err := u.Documents.List(c.R.Context(), c.Actor, t.Name, rec.ID)
	if err != nil {
		return nil, err
	}
	href := "/" + t.Name + "/" + strconv.FormatInt(rec.ID, 10) + "/documents"
	v := &DocumentsView{Action: href, CSRF: c.Sess.CSRF, CanWrite: document.CanWrite(c.Actor, rec), Hint: c.T("documents.file_hint", document.MaxSize>>20)}
	if k, ok := documentErrors[c.R.URL.Query().Get("docerr")]; ok {
		v.Error = c.T(k, document.MaxSize>>20)
	}
	for _, d := range docs {
		row := DocumentRow{Name: d.Name, Href: href + "/" + strconv.FormatInt(d.ID, 10), Size: fmtBytes(c, d.Size), By: d.User,
			At: fmtDateTime(c.Lang, d.CreatedAt, u.Loc)}
		if v.CanWrite {
			row.DeleteHref = row.Href + "/delete"
		}
		v.Rows = append(v.Rows, row)
	}
	return v, nil
}

func (u *UI) uploadDocument(c *req, t *record.Type) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	back := "/" + t.Name + "/" + strconv.FormatInt(id, 10)
	if c.R.MultipartForm == nil {
		c.R.Body = http.MaxBytesReader(c.W, c.R.Body, document.MaxSize+maxSmallForm)
		if err := c.R.ParseMultipartForm(8 << 20); err != nil {
			return redirect(c, back+"?docerr=too_large#documents")
		}
	}
	f, h, err := c.R.FormFile("file")
	if err != nil {
		return redirect(c, back+"?docerr=choose#documents")
	}
	defer f.Close()
	if h.Size > document.MaxSize {
		return redirect(c, back+"?docerr=too_large#documents")
	}
	data, err := io.ReadAll(io.LimitReader(f, document.MaxSize+1))
	if err != nil {
		return err
	}
	_, err = u.Documents.Add(c.R.Context(), c.Actor, t.Name, id, h.Filename, data)
	if e, ok := record.AsError(err); ok && e.Code == record.CodeTooLarge {
		return redirect(c, back+"?docerr=too_large#documents")
	}
	if e, ok := record.AsError(err); ok && e.Code == record.CodeInvalid {
		return redirect(c, back+"?docerr=empty#documents")
	}
	if err != nil {
		return err
	}
	return redirect(c, back+"?done=document_added#documents")
}

func (u *UI) downloadDocument(c *req, t *record.Type) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	doc, err := strconv.ParseInt(c.R.PathValue("doc"), 10, 64)
	if err != nil {
		return record.ErrNotFound()
	}
	d, err := u.Documents.Get(c.R.Context(), c.Actor, t.Name, id, doc)
	if err != nil {
		return err
	}
	h := c.W.Header()
	h.Set("Content-Type", "application/octet-stream")
	h.Set("Content-Disposition", mimeAttachment(d.Name))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, no-store")
	c.W.Write(d.Content)
	return nil
}

func (u *UI) deleteDocument(c *req, t *record.Type) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	doc, err := strconv.ParseInt(c.R.PathValue("doc"), 10, 64)
	if err != nil {
		return record.ErrNotFound()
	}
	if err := u.Documents.Delete(c.R.Context(), c.Actor, t.Name, id, doc); err != nil {
		return err
	}
	return redirect(c, "/"+t.Name+"/"+strconv.FormatInt(id, 10)+"?done=document_removed#documents")
}

// mimeAttachment is the Content-Disposition of a download named name.
func mimeAttachment(name string) string {
	return mime.FormatMediaType("attachment", map[string]string{"filename": name})
}
