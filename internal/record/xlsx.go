package record

import (
	"context"
	"io"
	"time"
)

// xlsxMaxText is the most characters a spreadsheet cell holds (Excel's limit).
const xlsxMaxText = 32767

// ExportXLSX writes every record matching q that the actor may read as an Excel
// workbook of one sheet, with typed cells: numbers as numbers, dates and instants
// as dates (in the style's layouts and location), yes/no as booleans, the rest as
// text (a text cell is never a formula in a workbook, so nothing is neutralised).
// Rows go straight into the sheet's zip entry (sheetWriter), so memory stays
// bounded whatever the number of records.
func (s *Service) ExportXLSX(ctx context.Context, a *Actor, t *Type, q ListQuery, w io.Writer, st Style) error {
	if !a.Can(t, Read) {
		return ErrForbidden()
	}
	cols := csvColumns(t, q)
	sheet := t.Name
	if k := "type." + t.Singular + ".plural"; st.Tr != nil && st.Tr.Has(st.Lang, k) {
		sheet = st.Tr.T(st.Lang, k)
	}
	sheet = xlsxSheetName(sheet, t.Name)
	headCell := func(s string) xcell { c := xText(s); c.style = xsHead; return c }
	head := []xcell{headCell(st.Head(t, "id"))}
	widths := []float64{8}
	if t.HasOrg() {
		head = append(head, headCell(st.Head(t, "organization")))
		widths = append(widths, 24)
	}
	for _, fd := range cols {
		head = append(head, headCell(st.Head(t, fd.Name)))
		widths = append(widths, xlsxWidth(fd))
	}
	dates, times := "yyyy-mm-dd", "yyyy-mm-dd hh:mm"
	if st.Dates == "02/01/2006" {
		dates, times = "dd/mm/yyyy", "dd/mm/yyyy hh:mm"
	}
	sw, err := newSheetWriter(w, sheet, widths, dates, times)
	if err != nil {
		return err
	}
	if err := sw.Row(head); err != nil {
		return err
	}
	cells := make([]xcell, 0, len(head))
	row := func(r *Record) error {
		cells = append(cells[:0], xcell{kind: 'i', i: r.ID})
		if t.HasOrg() {
			cells = append(cells, xText(r.Display["organization_id"]))
		}
		for _, fd := range cols {
			cells = append(cells, xlsxCell(st, fd, r))
		}
		return sw.Row(cells)
	}
	if err := s.exportRows(ctx, a, t, q, row, nil); err != nil {
		return err
	}
	return sw.Close()
}

// xlsxCell is the typed value of one field of a record.
func xlsxCell(st Style, f *Field, r *Record) xcell {
	v := r.Values[f.Name]
	if v == nil && f.Kind != Ref {
		return xcell{}
	}
	switch f.Kind {
	case Ref:
		return xText(r.Display[f.Name])
	case Int:
		if n, ok := v.(int64); ok {
			return xcell{kind: 'i', i: n}
		}
	case Decimal, Money:
		style := xsDecimal
		if f.Kind == Money {
			style = xsMoney
		}
		switch n := v.(type) {
		case float64:
			return xcell{kind: 'f', style: style, f: n}
		case int64:
			return xcell{kind: 'i', style: style, i: n}
		}
	case Bool:
		if b, ok := v.(bool); ok {
			c := xcell{kind: 'b'}
			if b {
				c.i = 1
			}
			return c
		}
	case Date:
		s, _ := v.(string)
		d, err := time.Parse(dateLayout, s)
		if err != nil {
			return xText(s)
		}
		return xDate(d, xsDate)
	case DateTime:
		ts, ok := v.(time.Time)
		if !ok {
			return xText(Format(v))
		}
		// A workbook's dates have no zone: write the wall clock the user reads.
		return xDate(ts.In(st.loc()), xsDateTime)
	case Enum:
		s, _ := v.(string)
		return xText(st.enumLabel(f, s))
	}
	return xText(Format(v))
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
