package e2e_test

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"parc/internal/storetest"
)

// TestBrowserDownloadsListExports: a French technician filters the computers,
// then downloads the list as Excel and as CSV with the list's buttons; the files
// Chromium saves hold the filtered list, as a French office reads it.
func TestBrowserDownloadsListExports(t *testing.T) {
	t.Parallel()
	exe := chromium(t)
	storetest.EachStore(t, func(t *testing.T, kind string) {
		srv, cat, other := startParc(t, kind)
		b := newBrowser(t, exe, srv.URL, kind+"-export")
		dir := t.TempDir()
		events := true
		if _, err := chromedp.Call(b.ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
			Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir, EventsEnabled: &events}); err != nil {
			t.Fatalf("allow downloads: %v", err)
		}

		b.open("/login")
		b.typeIn("#login", techLogin)
		b.typeIn("#password", techPassword)
		b.clickTo(`form[action="/login"] button[type="submit"]`, http.StatusOK)
		// French, kept on the account with the French spreadsheet format.
		b.open("/account")
		b.choose("#language", "fr")
		b.clickTo(`form[action="/account/language"] button[type="submit"]`, http.StatusOK)
		b.choose("#export-format", "fr")
		b.clickTo(`form[action="/account/export-format"] button[type="submit"]`, http.StatusOK)
		b.wantContains("main", cat.T("fr", "ui.done.export_format"))
		b.open("/computers?q=OTHER")
		b.wantContains("table.list tbody", other)
		b.wantText(`.page-head a[href^="/computers/export.xlsx"]`, cat.T("fr", "ui.list.export_xlsx"))

		b.click(`.page-head a[href^="/computers/export.xlsx"]`)
		xlsx := waitDownload(t, dir, ".xlsx")
		f, err := excelize.OpenFile(xlsx)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := f.GetRows(f.GetSheetName(0))
		f.Close()
		if err != nil || len(rows) != 2 || rows[0][2] != cat.T("fr", "field.name") || rows[1][2] != other {
			t.Fatalf("downloaded workbook: %v %v", rows, err)
		}

		b.click(`.page-head a[href^="/computers/export.csv"]`)
		csv, err := os.ReadFile(waitDownload(t, dir, ".csv"))
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(strings.TrimPrefix(string(csv), "\ufeff")), "\n")
		if len(lines) != 2 || !strings.HasPrefix(lines[0], "ID;Organisation;Nom;") || !strings.Contains(lines[1], ";"+other+";") {
			t.Fatalf("downloaded CSV: %q", csv)
		}
		b.noPageErrors()
	})
}

// waitDownload waits for Chromium to finish saving a file ending in ext in dir.
func waitDownload(t *testing.T, dir, ext string) string {
	t.Helper()
	deadline := time.Now().Add(stepTimeout)
	for time.Now().Before(deadline) {
		matches, _ := filepath.Glob(filepath.Join(dir, "*"+ext))
		for _, m := range matches {
			if fi, err := os.Stat(m); err == nil && fi.Size() > 0 {
				return m
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	entries, _ := os.ReadDir(dir)
	t.Fatalf("no %s file downloaded in %s (%v)", ext, dir, entries)
	return ""
}
