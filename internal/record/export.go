package record

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// Export formats a user may keep in their account settings (users.export_format);
// "" follows their language.
const (
	ExportFormatFR = "fr" // ; between columns, decimal comma, dd/mm/yyyy
	ExportFormatEN = "en" // , between columns, decimal point, yyyy-mm-dd
)

// Style says how an export writes its values. The zero Style (MachineStyle) is for
// programs: field names as column heads, ',' between columns, decimal points,
// ISO dates and RFC 3339 instants in UTC, enum options and true/false as stored.
// A person's style (PersonStyle) writes what their spreadsheet expects and reads
// as they do; ImportCSV reads either back.
type Style struct {
	Sep          rune // ',' (zero), ';' or '\t'
	DecimalComma bool
	Cents        bool           // money with its two decimals (12.50, not 12.5)
	Dates        string         // Go layout of dates; "" for 2006-01-02
	DateTimes    string         // layout of instants in Loc; "" for RFC 3339 in UTC
	Loc          *time.Location // nil for UTC
	// Tr and Lang label the columns, enum options and yes/no; nil Tr for the
	// stored names.
	Tr   Translator
	Lang string
}

// MachineStyle is the format of the API's exports unless asked otherwise.
func MachineStyle() Style { return Style{Sep: ','} }

// PersonStyle is the style of a user who reads lang, with their kept export
// format ("" follows the language: French users get the French format).
func PersonStyle(tr Translator, lang, format string, loc *time.Location) Style {
	if format != ExportFormatFR && format != ExportFormatEN {
		format = ExportFormatEN
		if lang == "fr" {
			format = ExportFormatFR
		}
	}
	s := Style{Sep: ',', Cents: true, Dates: "2006-01-02", DateTimes: "2006-01-02 15:04", Loc: loc, Tr: tr, Lang: lang}
	if format == ExportFormatFR {
		s.Sep, s.DecimalComma, s.Dates, s.DateTimes = ';', true, "02/01/2006", "02/01/2006 15:04"
	}
	return s
}

func (st Style) sep() rune {
	if st.Sep == ';' || st.Sep == '\t' {
		return st.Sep
	}
	return ','
}

func (st Style) loc() *time.Location {
	if st.Loc == nil {
		return time.UTC
	}
	return st.Loc
}

// Head is the column head of a field ("id" and "organization" included).
func (st Style) Head(t *Type, name string) string {
	if st.Tr == nil {
		return name
	}
	return FieldLabel(st.Tr, st.Lang, t, name)
}

// enumLabel is an enum option as the user reads it, or the option itself.
func (st Style) enumLabel(f *Field, opt string) string {
	if st.Tr == nil {
		return opt
	}
	if k := "enum." + f.Name + "." + opt; st.Tr.Has(st.Lang, k) {
		return st.Tr.T(st.Lang, k)
	}
	return opt
}

// Cell is the CSV text of one field of a record: a reference's label, a number as
// it is (a number is never a formula, and -5 must stay a number a spreadsheet can
// add up), dates and instants in the style's layouts, any other value neutralised
// as text (NeutraliseCell).
func (st Style) Cell(f *Field, r *Record) string {
	v := r.Values[f.Name]
	switch f.Kind {
	case Ref:
		return NeutraliseCell(r.Display[f.Name])
	case Int:
		return Format(v)
	case Decimal, Money:
		s := Format(v)
		if x, ok := v.(float64); ok && f.Kind == Money && st.Cents {
			s = strconv.FormatFloat(x, 'f', 2, 64)
		}
		if st.DecimalComma {
			s = strings.Replace(s, ".", ",", 1)
		}
		return s
	case Bool:
		b, ok := v.(bool)
		if !ok || st.Tr == nil {
			return Format(v)
		}
		if b {
			return st.Tr.T(st.Lang, "ui.yes")
		}
		return st.Tr.T(st.Lang, "ui.no")
	case Date:
		s, _ := v.(string)
		if d, err := time.Parse(dateLayout, s); err == nil && st.Dates != "" {
			return d.Format(st.Dates)
		}
		return s
	case DateTime:
		ts, ok := v.(time.Time)
		if !ok || st.DateTimes == "" {
			return Format(v)
		}
		return ts.In(st.loc()).Format(st.DateTimes)
	case Enum:
		s, _ := v.(string)
		return NeutraliseCell(st.enumLabel(f, s))
	}
	return NeutraliseCell(Format(v))
}

// ExportCell is the machine-format CSV text of one field of a record.
func ExportCell(f *Field, r *Record) string { return MachineStyle().Cell(f, r) }

// exportRows calls row for every record matching q that the actor may read, a
// page at a time, in the list's order.
func (s *Service) exportRows(ctx context.Context, a *Actor, t *Type, q ListQuery, row func(*Record) error, page func() error) error {
	q.Cursor, q.Count, q.Limit = "", false, MaxLimit
	for {
		p, err := s.List(ctx, a, t, q)
		if err != nil {
			return err
		}
		for _, r := range p.Records {
			if err := row(r); err != nil {
				return err
			}
		}
		if page != nil {
			if err := page(); err != nil {
				return err
			}
		}
		if p.NextCursor == "" {
			return nil
		}
		q.Cursor = p.NextCursor
	}
}

// importReader reads a person's cells back into the values Parse takes: column
// heads and enum options by their labels in any language the translator has,
// instants in the style's layouts and location.
type importReader struct {
	heads map[string]string            // lower-cased label -> field name
	enums map[string]map[string]string // field -> lower-cased label -> option
	loc   *time.Location
}

// newImportReader indexes the labels of t's columns in every language of langs.
func newImportReader(t *Type, tr Translator, langs []string, loc *time.Location) *importReader {
	ir := &importReader{heads: map[string]string{}, enums: map[string]map[string]string{}, loc: loc}
	if ir.loc == nil {
		ir.loc = time.UTC
	}
	if tr == nil {
		return ir
	}
	for _, lang := range langs {
		st := Style{Tr: tr, Lang: lang}
		for _, name := range []string{"id", "organization"} {
			ir.heads[strings.ToLower(st.Head(t, name))] = name
		}
		for _, f := range t.Fields {
			if f.Hidden {
				continue
			}
			if _, taken := ir.heads[strings.ToLower(st.Head(t, f.Name))]; !taken {
				ir.heads[strings.ToLower(st.Head(t, f.Name))] = f.Name
			}
			if f.Kind == Enum {
				m := ir.enums[f.Name]
				if m == nil {
					m = map[string]string{}
					ir.enums[f.Name] = m
				}
				for _, o := range f.Options {
					m[strings.ToLower(st.enumLabel(f, o))] = o
				}
			}
		}
	}
	return ir
}

// head is the field name a column head stands for: the name itself, or a label.
func (ir *importReader) head(h string) string {
	name := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(h), " ", "_"))
	if ir == nil {
		return name
	}
	if n, ok := ir.heads[strings.ToLower(strings.TrimSpace(h))]; ok {
		return n
	}
	return name
}

// value turns a person's cell into what f's parser takes.
func (ir *importReader) value(f *Field, v string) string {
	if ir == nil || v == "" {
		return v
	}
	switch f.Kind {
	case Enum:
		if o, ok := ir.enums[f.Name][strings.ToLower(v)]; ok {
			return o
		}
	case DateTime:
		for _, layout := range []string{"02/01/2006 15:04", "02/01/2006 15:04:05", "2006-01-02 15:04", "2006-01-02 15:04:05"} {
			if ts, err := time.ParseInLocation(layout, v, ir.loc); err == nil {
				return ts.UTC().Format(time.RFC3339)
			}
		}
	}
	return v
}
