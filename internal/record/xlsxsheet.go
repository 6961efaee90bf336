package record

import (
	"archive/zip"
	"bufio"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// A workbook of one sheet written as it goes: the package's fixed parts, then
// the sheet's rows straight into its zip entry, so that nothing grows with the
// number of rows (excelize's StreamWriter kept 16 MiB of the sheet's XML in a
// buffer that doubled, and the heap doubled that). Cells are typed: numbers,
// booleans, dates as day serials with a date format, text inline (never a
// formula). docs/exports.md.

// Cell styles of the workbook (cellXfs of styles.xml, in this order).
const (
	xsNone = iota
	xsHead
	xsDate
	xsDateTime
	xsMoney
	xsDecimal
)

// xcell is one typed cell.
type xcell struct {
	kind  byte // 0 empty, 's' text, 'i' integer, 'f' number, 'b' boolean
	style int
	s     string
	i     int64
	f     float64
}

func xText(s string) xcell {
	if s == "" {
		return xcell{}
	}
	if utf8.RuneCountInString(s) > xlsxMaxText {
		s = string([]rune(s)[:xlsxMaxText])
	}
	return xcell{kind: 's', s: s}
}

// xDate is an instant's wall clock as a day serial (days since 1899-12-30, as
// spreadsheets count from 1900-03-01 on).
func xDate(t time.Time, style int) xcell {
	base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	w := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
	return xcell{kind: 'f', style: style, f: w.Sub(base).Hours() / 24}
}

// sheetWriter writes a workbook of one sheet to w.
type sheetWriter struct {
	zw  *zip.Writer
	w   *bufio.Writer
	row int
	buf []byte
}

const (
	xmlHead   = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
	nsMain    = `http://schemas.openxmlformats.org/spreadsheetml/2006/main`
	nsRel     = `http://schemas.openxmlformats.org/officeDocument/2006/relationships`
	nsPkgRels = `http://schemas.openxmlformats.org/package/2006/relationships`
)

// newSheetWriter writes the workbook's fixed parts and opens the sheet: its
// name, its columns' widths, the first row frozen. dates and dateTimes are the
// date formats (Excel's codes).
func newSheetWriter(w io.Writer, name string, widths []float64, dates, dateTimes string) (*sheetWriter, error) {
	zw := zip.NewWriter(w)
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
			`<Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
			`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
			`<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>` +
			`</Types>`},
		{"_rels/.rels", `<Relationships xmlns="` + nsPkgRels + `">` +
			`<Relationship Id="rId1" Type="` + nsRel + `/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", `<workbook xmlns="` + nsMain + `" xmlns:r="` + nsRel + `"><bookViews><workbookView/></bookViews>` +
			`<sheets><sheet name="` + xmlEscape(name) + `" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<Relationships xmlns="` + nsPkgRels + `">` +
			`<Relationship Id="rId1" Type="` + nsRel + `/worksheet" Target="worksheets/sheet1.xml"/>` +
			`<Relationship Id="rId2" Type="` + nsRel + `/styles" Target="styles.xml"/></Relationships>`},
		{"xl/styles.xml", stylesXML(dates, dateTimes)},
	}
	for _, p := range parts {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate})
		if err != nil {
			return nil, err
		}
		if _, err := io.WriteString(f, xmlHead+p.body); err != nil {
			return nil, err
		}
	}
	f, err := zw.CreateHeader(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate})
	if err != nil {
		return nil, err
	}
	sw := &sheetWriter{zw: zw, w: bufio.NewWriterSize(f, 64<<10)}
	var b strings.Builder
	b.WriteString(xmlHead + `<worksheet xmlns="` + nsMain + `" xmlns:r="` + nsRel + `">`)
	b.WriteString(`<sheetViews><sheetView tabSelected="1" workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>` +
		`<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>`)
	if len(widths) > 0 {
		b.WriteString("<cols>")
		for i, wd := range widths {
			n := strconv.Itoa(i + 1)
			b.WriteString(`<col min="` + n + `" max="` + n + `" width="` + strconv.FormatFloat(wd, 'f', -1, 64) + `" customWidth="1"/>`)
		}
		b.WriteString("</cols>")
	}
	b.WriteString("<sheetData>")
	if _, err := sw.w.WriteString(b.String()); err != nil {
		return nil, err
	}
	return sw, nil
}

func stylesXML(dates, dateTimes string) string {
	num := func(id int) string {
		return `<xf numFmtId="` + strconv.Itoa(id) + `" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>`
	}
	return `<styleSheet xmlns="` + nsMain + `">` +
		`<numFmts count="4"><numFmt numFmtId="164" formatCode="` + xmlEscape(dates) + `"/><numFmt numFmtId="165" formatCode="` + xmlEscape(dateTimes) + `"/>` +
		`<numFmt numFmtId="166" formatCode="#,##0.00"/><numFmt numFmtId="167" formatCode="0.##"/></numFmts>` +
		`<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>` +
		`<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>` +
		`<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>` +
		`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
		`<cellXfs count="6"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>` +
		`<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>` +
		num(164) + num(165) + num(166) + num(167) + `</cellXfs>` +
		`<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`
}

// Row writes the next row.
func (sw *sheetWriter) Row(cells []xcell) error {
	sw.row++
	r := strconv.Itoa(sw.row)
	b := append(sw.buf[:0], `<row r="`...)
	b = append(b, r...)
	b = append(b, `">`...)
	for i, c := range cells {
		if c.kind == 0 {
			continue
		}
		b = append(b, `<c r="`...)
		b = appendColName(b, i)
		b = append(b, r...)
		b = append(b, '"')
		if c.style != xsNone {
			b = append(b, ` s="`...)
			b = strconv.AppendInt(b, int64(c.style), 10)
			b = append(b, '"')
		}
		switch c.kind {
		case 's':
			b = append(b, ` t="inlineStr"><is><t xml:space="preserve">`...)
			b = appendXMLText(b, c.s)
			b = append(b, `</t></is></c>`...)
		case 'b':
			v := byte('0')
			if c.i != 0 {
				v = '1'
			}
			b = append(b, ` t="b"><v>`...)
			b = append(b, v)
			b = append(b, `</v></c>`...)
		case 'i':
			b = append(b, `><v>`...)
			b = strconv.AppendInt(b, c.i, 10)
			b = append(b, `</v></c>`...)
		case 'f':
			b = append(b, `><v>`...)
			b = strconv.AppendFloat(b, c.f, 'f', -1, 64)
			b = append(b, `</v></c>`...)
		}
	}
	b = append(b, `</row>`...)
	sw.buf = b
	_, err := sw.w.Write(b)
	return err
}

// Close ends the sheet and the workbook.
func (sw *sheetWriter) Close() error {
	if _, err := sw.w.WriteString("</sheetData></worksheet>"); err != nil {
		return err
	}
	if err := sw.w.Flush(); err != nil {
		return err
	}
	return sw.zw.Close()
}

// appendColName appends the letters of the column i (0 is A).
func appendColName(b []byte, i int) []byte {
	var tmp [4]byte
	n := len(tmp)
	for i++; i > 0; i = (i - 1) / 26 {
		n--
		tmp[n] = byte('A' + (i-1)%26)
	}
	return append(b, tmp[n:]...)
}

// appendXMLText appends s escaped for XML text, without the characters XML 1.0
// cannot hold (control characters other than tab and line breaks).
func appendXMLText(b []byte, s string) []byte {
	for _, r := range s {
		switch {
		case r == '&':
			b = append(b, "&amp;"...)
		case r == '<':
			b = append(b, "&lt;"...)
		case r == '>':
			b = append(b, "&gt;"...)
		case r == '"':
			b = append(b, "&quot;"...)
		case r == '\t' || r == '\n' || r == '\r':
			b = append(b, byte(r))
		case r < 0x20 || r == 0xFFFE || r == 0xFFFF || r == utf8.RuneError:
			// not representable in XML 1.0
		default:
			b = utf8.AppendRune(b, r)
		}
	}
	return b
}

func xmlEscape(s string) string { return string(appendXMLText(nil, s)) }
