package record

import (
	"archive/zip"
	"context"
	"io"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// xlsxMaxText is the most characters a spreadsheet cell holds (Excel's limit).
const xlsxMaxText = 32767

// ExportXLSX writes every record matching q that the actor may read as an Excel
// workbook of one sheet, with typed cells: numbers as numbers, dates and instants
// as dates (in the style's layouts and location), yes/no as booleans, the rest as
// text (a text cell is never a formula in a workbook, so nothing is neutralised).
// Rows are streamed: excelize's StreamWriter keeps them in a temporary file past
// a small buffer, so memory stays bounded whatever the number of records.
func (s *Service) ExportXLSX(ctx context.Context, a *Actor, t *Type, q ListQuery, w io.Writer, st Style) error {
	if !a.Can(t, Read) {
		return ErrForbidden()
	}
	cols := csvColumns(t, q)
	f := excelize.NewFile()
	defer f.Close()
	sheet := t.Name
	if k := "type." + t.Singular + ".plural"; st.Tr != nil && st.Tr.Has(st.Lang, k) {
		sheet = st.Tr.T(st.Lang, k)
	}
	sheet = xlsxSheetName(sheet, t.Name)
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	styles, err := newXLSXStyles(f, st)
	if err != nil {
		return err
	}
	head := []any{excelize.Cell{StyleID: styles.head, Value: st.Head(t, "id")}}
	widths := []float64{8}
	if t.HasOrg() {
		head = append(head, excelize.Cell{StyleID: styles.head, Value: st.Head(t, "organization")})
		widths = append(widths, 24)
	}
	for _, fd := range cols {
		head = append(head, excelize.Cell{StyleID: styles.head, Value: st.Head(t, fd.Name)})
		widths = append(widths, xlsxWidth(fd))
	}
	for i, wd := range widths {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if err := sw.SetRow("A1", head); err != nil {
		return err
	}
	n := 1
	cells := make([]any, 0, len(head))
	row := func(r *Record) error {
		n++
		cells = append(cells[:0], r.ID)
		if t.HasOrg() {
			cells = append(cells, xlsxText(r.Display["organization_id"]))
		}
		for _, fd := range cols {
			cells = append(cells, styles.cell(st, fd, r))
		}
		ref, err := excelize.CoordinatesToCellName(1, n)
		if err != nil {
			return err
		}
		return sw.SetRow(ref, cells)
	}
	if err := s.exportRows(ctx, a, t, q, row, nil); err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	// excelize builds the workbook's zip in a buffer unless given the zip writer:
	// with one over w, the archive streams out and the buffer stays empty.
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zip.NewWriter(w) })
	_, err = f.WriteTo(io.Discard)
	return err
}

// xlsxStyles are the cell styles of one workbook.
type xlsxStyles struct {
	head, date, dateTime, money, decimal int
}

func newXLSXStyles(f *excelize.File, st Style) (*xlsxStyles, error) {
	dates, times := "yyyy-mm-dd", "yyyy-mm-dd hh:mm"
	if st.Dates == "02/01/2006" {
		dates, times = "dd/mm/yyyy", "dd/mm/yyyy hh:mm"
	}
	money, decimal := "#,##0.00", "0.##"
	var out xlsxStyles
	var err error
	for _, s := range []struct {
		id    *int
		style *excelize.Style
	}{
		{&out.head, &excelize.Style{Font: &excelize.Font{Bold: true}}},
		{&out.date, &excelize.Style{CustomNumFmt: &dates}},
		{&out.dateTime, &excelize.Style{CustomNumFmt: &times}},
		{&out.money, &excelize.Style{CustomNumFmt: &money}},
		{&out.decimal, &excelize.Style{CustomNumFmt: &decimal}},
	} {
		if *s.id, err = f.NewStyle(s.style); err != nil {
			return nil, err
		}
	}
	return &out, nil
}

// cell is the typed value of one field of a record.
func (xs *xlsxStyles) cell(st Style, f *Field, r *Record) any {
	v := r.Values[f.Name]
	if v == nil && f.Kind != Ref {
		return nil
	}
	switch f.Kind {
	case Ref:
		return xlsxText(r.Display[f.Name])
	case Int:
		return v
	case Decimal:
		return excelize.Cell{StyleID: xs.decimal, Value: v}
	case Money:
		return excelize.Cell{StyleID: xs.money, Value: v}
	case Bool:
		return v
	case Date:
		s, _ := v.(string)
		d, err := time.Parse(dateLayout, s)
		if err != nil {
			return xlsxText(s)
		}
		return excelize.Cell{StyleID: xs.date, Value: d}
	case DateTime:
		ts, ok := v.(time.Time)
		if !ok {
			return xlsxText(Format(v))
		}
		// A workbook's dates have no zone: write the wall clock the user reads.
		l := ts.In(st.loc())
		return excelize.Cell{StyleID: xs.dateTime, Value: time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), 0, time.UTC)}
	case Enum:
		s, _ := v.(string)
		return st.enumLabel(f, s)
	}
	return xlsxText(Format(v))
}

// xlsxText cuts a text to what a cell holds; an empty text is an empty cell.
func xlsxText(s string) any {
	if s == "" {
		return nil
	}
	if utf8.RuneCountInString(s) > xlsxMaxText {
		s = string([]rune(s)[:xlsxMaxText])
	}
	return s
}

// xlsxWidth is a column's width in characters, after its kind.
func xlsxWidth(f *Field) float64 {
	switch f.Kind {
	case Int, Bool:
		return 10
	case Decimal, Money, Date, IP:
		return 14
	case DateTime, MAC, Serial:
		return 18
	case LongText:
		return 50
	}
	return 24
}

// xlsxSheetName makes a valid sheet name (at most 31 characters, none of
// : \ / ? * [ ]), falling back on the type's name.
func xlsxSheetName(name, fallback string) string {
	out := make([]rune, 0, 31)
	for _, r := range name {
		switch r {
		case ':', '\\', '/', '?', '*', '[', ']':
			continue
		}
		if len(out) == 31 {
			break
		}
		out = append(out, r)
	}
	if len(out) == 0 {
		return fallback
	}
	return string(out)
}
