package e2e_test

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"parc/internal/record"
	"parc/internal/storetest"
)

// TestBrowserDocumentsAndCosts attaches a signed contract to a contract's page
// (the file chosen in the form, the list with its size, who and when), downloads
// it, is refused an oversized file with a message, removes the document (the
// history keeps it), and reads a computer's costs block and the cost report;
// every page passes axe-core.
func TestBrowserDocumentsAndCosts(t *testing.T) {
	exe := chromium(t)
	storetest.EachStore(t, func(t *testing.T, kind string) {
		ctx := context.Background()
		a, sys, org := clientA(t, kind)
		create := func(typeName string, in record.Input) int64 {
			r, err := a.Records.Create(ctx, sys, a.Reg.MustType(typeName), in)
			if err != nil {
				t.Fatalf("create %s: %v", typeName, err)
			}
			return r.ID
		}
		pc := create("computers", record.Input{"name": "PC-TCO-1", "organization_id": org.ID, "purchase_price": 900, "purchase_date": "2024-01-10"})
		ct := create("contracts", record.Input{"organization_id": org.ID, "number": "DOC-7", "name": "Printer support", "kind": "support",
			"start_date": "2024-01-01", "duration_months": 12, "cost": 240, "cost_period": "yearly"})
		create("contract-assets", record.Input{"contract_id": ct, "item_type": "computers", "item_id": pc})
		dir := t.TempDir()
		pdf := filepath.Join(dir, "contrat-signé.pdf")
		os.WriteFile(pdf, []byte("%PDF-1.4\n% signed contract\n%%EOF\n"), 0o600)
		big := filepath.Join(dir, "scan.tiff")
		os.WriteFile(big, make([]byte, 5<<20+10), 0o600)

		srv, _ := serve(t, a)
		b := newBrowser(t, exe, srv.URL, kind+"-documents")
		b.open("/login")
		b.clickTo(langButton, http.StatusOK) // English
		b.typeIn("#login", techLogin)
		b.typeIn("#password", techPassword)
		b.clickTo(`form[action="/login"] button[type="submit"]`, http.StatusOK)

		cid := strconv.FormatInt(ct, 10)
		b.open("/contracts/" + cid)
		b.wantContains("#documents", "No document yet.", "up to 5 MB")
		b.step("choose the file", chromedp.SetUploadFiles(chromedp.CSS("#document-file"), []string{pdf}))
		b.clickTo(`#document-upload button[type="submit"]`, http.StatusOK)
		b.waitTrue(`location.pathname === "/contracts/` + cid + `"`)
		b.wantContains("main", "The document was attached.")
		b.wantContains("#documents-table", "contrat-signé.pdf", "bytes", techLogin)
		b.shots("documents")
		href := get(b, "document link", chromedp.Evaluate[string](`document.querySelector("#documents-table a[download]").getAttribute("href")`))
		// Without a session: sent to the login page, never the file.
		resp, err := http.Get(srv.URL + href)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if strings.HasPrefix(string(body), "%PDF") || resp.Request.URL.Path != "/login" {
			t.Errorf("a document without a session: %d at %s", resp.StatusCode, resp.Request.URL)
		}
		ok := get(b, "download", chromedp.Evaluate[bool](`(async () => { const r = await fetch("`+href+`"); const t = await r.text(); return r.ok && t.startsWith("%PDF"); })()`,
			func(p *runtime.EvaluateParams) { aw := true; p.AwaitPromise = &aw }))
		if !ok {
			t.Errorf("the document does not download")
		}

		// Oversized: refused with a message by the field.
		b.step("choose the big file", chromedp.SetUploadFiles(chromedp.CSS("#document-file"), []string{big}))
		b.clickTo(`#document-upload button[type="submit"]`, http.StatusOK)
		b.wantContains("#document-file-error", "over the 5 MB limit")
		b.wantContains("#documents-table", "contrat-signé.pdf")

		// Removed: gone from the list, kept in the history.
		b.clickTo(`#documents-table form button`, http.StatusOK)
		b.wantContains("main", "The document was removed")
		b.wantContains("#documents", "No document yet.")
		b.open("/contracts/" + cid + "?tab=history")
		b.wantContains("table.history", "contrat-signé.pdf")

		// The computer's costs: purchase and the contract's share (2024, 12 months).
		b.open("/computers/" + strconv.FormatInt(pc, 10) + "?tab=finance")
		b.wantContains("#costs", "€1,140.00", "€900.00", "€240.00", "DOC-7")
		b.shots("costs")
		b.open("/costs")
		b.wantContains("#costs-table", "Without a model", "€1,140.00")
		b.open("/costs?by=organization&sort=name")
		b.wantContains("#costs-table", "Client A")
		b.noPageErrors()
	})
}
