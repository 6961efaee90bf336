package record

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"strings"
	"unicode"
	"unicode/utf8"

	"parc/internal/store"
)

// CSV limits.
const (
	MaxImportRows  = 50000
	MaxImportBytes = 20 << 20
)

// csvColumns are the exported columns: id, organization (org-scoped types), then fields.
func csvColumns(t *Type, q ListQuery) []*Field {
	if len(q.Columns) > 0 {
		var out []*Field
		for _, c := range q.Columns {
			if f := t.Field(c); f != nil && !f.Hidden {
				out = append(out, f)
			}
		}
		return out
	}
	return t.VisibleFields()
}

// ExportCSV writes every record matching q that the actor may read, as UTF-8 CSV with
// a byte-order mark (for spreadsheet programs). References are written as the
// referenced record's label, so that the file reads well and imports elsewhere.
// Text that a spreadsheet would run as a formula is neutralised (NeutraliseCell);
// numbers are written as they are. sep is ',' or ';'.
func (s *Service) ExportCSV(ctx context.Context, a *Actor, t *Type, q ListQuery, w io.Writer, sep rune) error {
	if !a.Can(t, Read) {
		return ErrForbidden()
	}
	cols := csvColumns(t, q)
	if sep != ';' && sep != '\t' {
		sep = ','
	}
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Comma = sep
	head := []string{"id"}
	if t.HasOrg() {
		head = append(head, "organization")
	}
	for _, f := range cols {
		head = append(head, f.Name)
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	q.Cursor, q.Count, q.Limit = "", false, MaxLimit
	for {
		page, err := s.List(ctx, a, t, q)
		if err != nil {
			return err
		}
		for _, r := range page.Records {
			row := []string{Format(r.ID)}
			if t.HasOrg() {
				row = append(row, NeutraliseCell(r.Display["organization_id"]))
			}
			for _, f := range cols {
				row = append(row, ExportCell(f, r))
			}
			if err := cw.Write(row); err != nil {
				return err
			}
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return err
		}
		if page.NextCursor == "" {
			return nil
		}
		q.Cursor = page.NextCursor
	}
}

// ExportCell is the CSV text of one field of a record: a reference's label, a
// number as it is (a number is never a formula, and -5 must stay a number a
// spreadsheet can add up), any other value neutralised as text (NeutraliseCell).
func ExportCell(f *Field, r *Record) string {
	switch f.Kind {
	case Ref:
		return NeutraliseCell(r.Display[f.Name])
	case Int, Decimal, Money:
		return Format(r.Values[f.Name])
	}
	return NeutraliseCell(Format(r.Values[f.Name]))
}

// ImportOptions say where imported records go.
type ImportOptions struct {
	// OrgID receives every row of an organisation-scoped type; 0 means the file's
	// "organization" column (by name), or the actor's only organisation.
	OrgID  int64
	DryRun bool
}

// ImportError is one problem of one line of the file (line 1 is the header).
type ImportError struct {
	Line  int    `json:"line"`
	Field string `json:"field,omitempty"`
	Msg   Msg    `json:"-"`
}

// ImportResult reports an import: with any error, or in a dry run, nothing is written.
type ImportResult struct {
	Rows    int           `json:"rows"`
	Created int           `json:"created"`
	DryRun  bool          `json:"dry_run"`
	Errors  []ImportError `json:"errors"`
}

// ImportCSV creates one record per line of a CSV file (header of field names, as
// ExportCSV writes). Every line is checked and every problem reported with its line
// number; the records are written only when no line has a problem and this is not a
// dry run, all in one transaction.
func (s *Service) ImportCSV(ctx context.Context, a *Actor, t *Type, r io.Reader, opts ImportOptions) (*ImportResult, error) {
	if !a.Can(t, Create) {
		return nil, ErrForbidden()
	}
	res := &ImportResult{DryRun: opts.DryRun, Errors: []ImportError{}}
	file, problem, err := readImportFile(r)
	if err != nil {
		return nil, err
	}
	if problem != nil {
		res.Errors = append(res.Errors, *problem)
		return res, nil
	}
	defer file.Close()
	imp, problems, err := s.newImporter(ctx, a, t, file, opts)
	if err != nil {
		return nil, err
	}
	if len(problems) > 0 {
		res.Errors = append(res.Errors, problems...)
		return res, nil
	}
	err = s.DB.Tx(ctx, func(tx *store.Tx) error {
		// A retried transaction reads the file again from its first line.
		res.Created, res.Rows = 0, 0
		res.Errors = res.Errors[:0]
		if err := imp.createRows(ctx, tx, res); err != nil {
			return err
		}
		if len(res.Errors) > 0 || opts.DryRun {
			return errRollback
		}
		return nil
	})
	if err != nil && !errors.Is(err, errRollback) {
		return nil, s.mapDBError(t, err)
	}
	if len(res.Errors) > 0 {
		res.Created = 0
	}
	return res, nil
}

// errRollback ends an import's transaction without writing: the file has problems
// (already in the result), or this is a dry run.
var errRollback = errors.New("import rolled back")

// readImportFile copies the file to a temporary file within MaxImportBytes, so
// that a large import holds one line at a time in memory, not the whole file; a
// file that is not UTF-8 text, or holds nothing, is a problem of the file. The
// caller closes the spooled file, which removes it.
func readImportFile(r io.Reader) (*spooledFile, *ImportError, error) {
	f, err := os.CreateTemp("", "parc-import-*.csv")
	if err != nil {
		return nil, nil, err
	}
	sf := &spooledFile{f: f}
	n, err := io.Copy(f, io.LimitReader(r, MaxImportBytes+1))
	if err == nil && n > MaxImportBytes {
		err = E(CodeTooLarge, "err.csv_too_large", MaxImportBytes>>20)
	}
	if err != nil {
		sf.Close()
		return nil, nil, err
	}
	problem, err := sf.check(n)
	if err != nil || problem != nil {
		sf.Close()
		return nil, problem, err
	}
	return sf, nil, nil
}

// spooledFile is an import file on disk, read again from its first line by each
// pass (the header, then the lines, again when the transaction is retried).
type spooledFile struct {
	f         *os.File
	off, size int64 // the text, after any byte-order mark
	sep       rune
}

// check skips the byte-order mark, finds the separator on the header line, and
// reads the text once through: the line of the first byte that is not UTF-8, or
// no text at all, is the file's problem.
func (sf *spooledFile) check(n int64) (*ImportError, error) {
	br := bufio.NewReaderSize(io.NewSectionReader(sf.f, 0, n), 64<<10)
	if b, _ := br.Peek(3); bytes.Equal(b, []byte("\ufeff")) {
		br.Discard(3)
		sf.off = 3
	}
	sf.size = n - sf.off
	var header []byte
	line, inHeader, blank := 1, true, true
	for {
		r, size, err := br.ReadRune()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if r == utf8.RuneError && size <= 1 {
			return &ImportError{Line: line, Msg: Msg{Key: "err.csv_encoding"}}, nil
		}
		if r == '\n' {
			line++
			inHeader = false
		} else if inHeader {
			header = utf8.AppendRune(header, r)
		}
		if blank && !unicode.IsSpace(r) {
			blank = false
		}
	}
	if blank {
		return &ImportError{Line: 1, Msg: Msg{Key: "err.csv_empty"}}, nil
	}
	sf.sep = detectSep(header)
	return nil, nil
}

// reader reads the file from its first line.
func (sf *spooledFile) reader() *csv.Reader {
	cr := csv.NewReader(bufio.NewReaderSize(io.NewSectionReader(sf.f, sf.off, sf.size), 64<<10))
	cr.Comma = sf.sep
	cr.FieldsPerRecord = -1
	return cr
}

// Close removes the temporary file.
func (sf *spooledFile) Close() error {
	err := sf.f.Close()
	if rerr := os.Remove(sf.f.Name()); err == nil {
		err = rerr
	}
	return err
}

// importer turns the lines of one file into records of one type.
type importer struct {
	s      *Service
	a      *Actor
	t      *Type
	opts   ImportOptions
	file   *spooledFile
	header []string
	cols   []*Field // by column; nil for columns read as nothing
	orgCol int      // the organisation column, or -1
	// refs maps each referenced type's labels to ids; orgs the organisations' names,
	// when the file names each line's organisation.
	refs map[string]map[string][]int64
	orgs map[string][]int64
}

// newImporter reads the header and the labels the file's references will be
// resolved with; header problems are returned as the file's problems.
func (s *Service) newImporter(ctx context.Context, a *Actor, t *Type, file *spooledFile, opts ImportOptions) (*importer, []ImportError, error) {
	imp := &importer{s: s, a: a, t: t, opts: opts, file: file, refs: map[string]map[string][]int64{}}
	header, err := imp.reader().Read()
	if err != nil {
		return nil, []ImportError{csvError(err)}, nil
	}
	var problems []ImportError
	imp.header = header
	if imp.cols, imp.orgCol, problems = mapHeader(t, header); len(problems) > 0 {
		return nil, problems, nil
	}
	for _, f := range imp.cols {
		if f != nil && f.Kind == Ref && imp.refs[f.Ref] == nil {
			m, err := s.labelIndex(ctx, a, s.Reg.MustType(f.Ref))
			if err != nil {
				return nil, nil, err
			}
			imp.refs[f.Ref] = m
		}
	}
	if imp.orgCol >= 0 && opts.OrgID == 0 && t.HasOrg() {
		imp.orgs = map[string][]int64{}
		for _, o := range a.Tree.Orgs() {
			k := strings.ToLower(o.Name)
			imp.orgs[k] = append(imp.orgs[k], o.ID)
		}
	}
	return imp, nil, nil
}

// reader reads the file from its first line.
func (imp *importer) reader() *csv.Reader { return imp.file.reader() }

// createRows creates a record per line after the header, adding every line's
// problems to res; it returns errRollback when the rest of the file cannot be read
// (a syntax error) or must not be (too many rows).
func (imp *importer) createRows(ctx context.Context, tx *store.Tx, res *ImportResult) error {
	cr := imp.reader()
	cr.Read()
	for {
		row, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			res.Errors = append(res.Errors, csvError(err))
			return errRollback
		}
		line, _ := cr.FieldPos(0)
		if isBlank(row) {
			continue
		}
		res.Rows++
		if res.Rows > MaxImportRows {
			res.Errors = append(res.Errors, ImportError{Line: line, Msg: Msg{Key: "err.csv_too_many_rows", Args: []any{MaxImportRows}}})
			return errRollback
		}
		if len(row) != len(imp.header) {
			res.Errors = append(res.Errors, ImportError{Line: line, Msg: Msg{Key: "err.csv_column_count", Args: []any{len(row), len(imp.header)}}})
			continue
		}
		in, problems := imp.rowInput(line, row)
		if len(problems) > 0 {
			res.Errors = append(res.Errors, problems...)
			continue
		}
		if _, err := imp.s.CreateTx(ctx, tx, imp.a, imp.t, in); err != nil {
			e, ok := AsError(err)
			if !ok {
				return err
			}
			res.Errors = append(res.Errors, lineErrors(line, imp.t, e)...)
			continue
		}
		res.Created++
	}
}

// rowInput makes the input of one line: cells as typed (without the quote export
// adds before a formula), references and the organisation by label.
func (imp *importer) rowInput(line int, row []string) (Input, []ImportError) {
	in := Input{}
	var problems []ImportError
	for i, f := range imp.cols {
		if f == nil {
			continue
		}
		v := cellValue(row[i])
		if f.Kind == Ref && v != "" {
			id, key := resolveLabel(imp.refs[f.Ref], v)
			if key != "" {
				problems = append(problems, ImportError{Line: line, Field: f.Name, Msg: Msg{Key: key, Args: []any{v}}})
				continue
			}
			in[f.Name] = id
			continue
		}
		in[f.Name] = v
	}
	switch {
	case imp.opts.OrgID != 0:
		in["organization_id"] = imp.opts.OrgID
	case imp.orgs != nil && cellValue(row[imp.orgCol]) != "":
		name := cellValue(row[imp.orgCol])
		id, key := resolveLabel(imp.orgs, name)
		if key != "" {
			problems = append(problems, ImportError{Line: line, Field: "organization", Msg: Msg{Key: key, Args: []any{name}}})
		} else {
			in["organization_id"] = id
		}
	}
	return in, problems
}

// lineErrors reports a refused record as problems of its line, its fields in the
// type's order.
func lineErrors(line int, t *Type, e *Error) []ImportError {
	if len(e.Fields) == 0 {
		return []ImportError{{Line: line, Msg: e.Msg}}
	}
	out := make([]ImportError, 0, len(e.Fields))
	for _, f := range fieldOrder(t, e.Fields) {
		out = append(out, ImportError{Line: line, Field: f, Msg: e.Fields[f]})
	}
	return out
}

// formulaStarts are the first characters that make Excel or LibreOffice read a
// cell as a formula (OWASP, "CSV injection").
const formulaStarts = "=+-@\t\r"

// looksLikeFormula reports text a spreadsheet would run, also behind quotes already
// there: the text '=1 is written with a second quote in front, to read back as '=1.
func looksLikeFormula(s string) bool {
	t := strings.TrimLeft(s, "'")
	return t != "" && strings.IndexByte(formulaStarts, t[0]) >= 0
}

// NeutraliseCell prefixes with ' a text cell that a spreadsheet would otherwise run
// as a formula; spreadsheets show the text, and import removes the quote again.
func NeutraliseCell(s string) string {
	if looksLikeFormula(s) {
		return "'" + s
	}
	return s
}

// cellValue reads one cell of an imported file: without the spaces around it, and
// without the quote NeutraliseCell put before a formula-like text (in any column:
// a number another program quoted, '-5, reads as -5). The quote is looked for
// before the spaces after it are trimmed, so that "'\t" reads as a blank cell.
func cellValue(cell string) string {
	v := strings.TrimLeftFunc(cell, unicode.IsSpace)
	if strings.HasPrefix(v, "'") && looksLikeFormula(v[1:]) {
		v = v[1:]
	}
	return strings.TrimRightFunc(v, unicode.IsSpace)
}

// detectSep picks the separator used most on the header line.
func detectSep(data []byte) rune {
	line, _, _ := bytes.Cut(data, []byte("\n"))
	best, n := ',', bytes.Count(line, []byte(","))
	for _, c := range []rune{';', '\t'} {
		if k := bytes.Count(line, []byte(string(c))); k > n {
			best, n = c, k
		}
	}
	return best
}

func csvError(err error) ImportError {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return ImportError{Line: pe.Line, Msg: Msg{Key: "err.csv_syntax", Args: []any{pe.Err.Error()}}}
	}
	return ImportError{Line: 1, Msg: Msg{Key: "err.csv_syntax", Args: []any{err.Error()}}}
}

func isBlank(row []string) bool {
	for _, c := range row {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// mapHeader matches header cells to fields; "id" is ignored, "organization" noted.
func mapHeader(t *Type, header []string) ([]*Field, int, []ImportError) {
	cols := make([]*Field, len(header))
	orgCol := -1
	var errs []ImportError
	seen := map[string]bool{}
	for i, h := range header {
		name := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(h), " ", "_"))
		switch name {
		case "id", "created_at", "updated_at", "version":
			continue
		case "organization", "organization_id", "organisation":
			orgCol = i
			continue
		}
		f := t.Field(name)
		if f != nil && f.ReadOnly && !f.Hidden {
			// Exported facts (inventory summaries...) read back in as nothing.
			continue
		}
		if f == nil || f.Hidden {
			errs = append(errs, ImportError{Line: 1, Field: h, Msg: Msg{Key: "err.csv_unknown_column", Args: []any{h}}})
			continue
		}
		if seen[name] {
			errs = append(errs, ImportError{Line: 1, Field: h, Msg: Msg{Key: "err.csv_duplicate_column", Args: []any{h}}})
			continue
		}
		seen[name] = true
		cols[i] = f
	}
	for _, f := range t.Fields {
		if f.Required && !f.Hidden && !seen[f.Name] && !(t.NamingPlan && f.Name == t.NameField) && f.Default == nil {
			errs = append(errs, ImportError{Line: 1, Field: f.Name, Msg: Msg{Key: "err.csv_missing_column", Args: []any{f.Name}}})
		}
	}
	return cols, orgCol, errs
}

// labelIndex maps lower-cased labels of the records of t the actor can read to ids.
func (s *Service) labelIndex(ctx context.Context, a *Actor, t *Type) (map[string][]int64, error) {
	where, args, ok := s.scopeSQL(a, t, Read)
	out := map[string][]int64{}
	if !ok {
		return out, nil
	}
	rows, err := s.DB.QueryContext(ctx, "SELECT id, "+t.LabelExpr()+" FROM "+t.Table+" WHERE deleted_at IS NULL AND "+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var l sql.NullString
		if err := rows.Scan(&id, &l); err != nil {
			return nil, err
		}
		k := strings.ToLower(strings.TrimSpace(l.String))
		out[k] = append(out[k], id)
	}
	return out, rows.Err()
}

// resolveLabel finds the one record of a label, or "#id"; it returns a message key
// when there is none or more than one.
func resolveLabel(idx map[string][]int64, v string) (int64, string) {
	ids := idx[strings.ToLower(v)]
	switch {
	case len(ids) == 1:
		return ids[0], ""
	case len(ids) > 1:
		return 0, "err.csv_ambiguous"
	}
	if n := ParseID(strings.TrimPrefix(v, "#")); n > 0 && strings.HasPrefix(v, "#") {
		return n, ""
	}
	return 0, "err.csv_no_such"
}
