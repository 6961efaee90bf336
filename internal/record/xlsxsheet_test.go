package record

import (
	"bytes"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// The workbook writer's cells read back typed: text escaped and rid of what XML
// cannot hold, columns past Z, booleans, numbers, dates with their format.
func TestSheetWriterCells(t *testing.T) {
	var buf bytes.Buffer
	sw, err := newSheetWriter(&buf, `Parc <"&">`, []float64{8, 24}, "dd/mm/yyyy", "dd/mm/yyyy hh:mm")
	if err != nil {
		t.Fatal(err)
	}
	row := make([]xcell, 28)
	row[0] = xText("a <b> & \"c\"\x01\x1f\tz")
	row[1] = xcell{kind: 'b', i: 1}
	row[2] = xcell{kind: 'f', style: xsMoney, f: 999.99}
	row[3] = xDate(time.Date(2024, 3, 31, 0, 0, 0, 0, time.UTC), xsDate)
	row[4] = xDate(time.Date(2024, 3, 31, 18, 0, 0, 0, time.UTC), xsDateTime)
	row[27] = xcell{kind: 'i', i: -42}
	if err := sw.Row([]xcell{{kind: 's', style: xsHead, s: "ID"}}); err != nil {
		t.Fatal(err)
	}
	if err := sw.Row(row); err != nil {
		t.Fatal(err)
	}
	if err := sw.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetName(0)
	if sheet != `Parc <"&">` {
		t.Errorf("sheet %q", sheet)
	}
	for cell, want := range map[string]string{"A1": "ID", "A2": "a <b> & \"c\"\tz", "B2": "1", "C2": "999.99", "D2": "45382", "E2": "45382.75", "AB2": "-42"} {
		if got, _ := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true}); got != want {
			t.Errorf("%s = %q, want %q", cell, got, want)
		}
	}
	if got, _ := f.GetCellValue(sheet, "D2"); got != "31/03/2024" {
		t.Errorf("date shown as %q", got)
	}
	if ty, _ := f.GetCellType(sheet, "B2"); ty != excelize.CellTypeBool {
		t.Errorf("B2 type %v", ty)
	}
	if p, err := f.GetPanes(sheet); err != nil || !p.Freeze || p.YSplit != 1 {
		t.Errorf("panes %+v %v", p, err)
	}
	if w, _ := f.GetColWidth(sheet, "B"); w != 24 {
		t.Errorf("column B width %v", w)
	}
	if long := xText(string(bytes.Repeat([]byte("é"), xlsxMaxText+5))); len([]rune(long.s)) != xlsxMaxText {
		t.Errorf("a long text keeps %d characters", len([]rune(long.s)))
	}
}
