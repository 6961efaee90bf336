package tree

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
	"unicode/utf8"

	"parc/internal/inventory"
)

// scanner reads an XML document held in memory with the rules of encoding/xml's
// RawToken in strict mode: it accepts what encoding/xml accepts and refuses what it
// refuses (the differential tests and FuzzParseXMLMatchesStd hold it to that), but
// reads the bytes in place instead of one ReadByte call and one allocation per token.
type scanner struct {
	buf     []byte
	pos     int
	lines   int  // newlines before buf, when a charset switch replaced it
	trusted bool // buf is valid UTF-8 holding only characters XML allows
	budget  int  // bytes that charset switches may still produce
	tmp     []byte
	names   map[string]xmlName
}

// xmlName is an element or attribute name as written (prefix included) and its local
// part, which encoding/xml gives as Name.Local.
type xmlName struct{ full, local string }

func (s *scanner) line(pos int) int {
	return 1 + s.lines + bytes.Count(s.buf[:min(pos, len(s.buf))], []byte("\n"))
}

func (s *scanner) syntax(pos int, format string, args ...any) error {
	return fmt.Errorf("%w: XML syntax error on line %d: %s",
		inventory.ErrMalformed, s.line(pos), fmt.Sprintf(format, args...))
}

func (s *scanner) eof() error { return s.syntax(len(s.buf), "unexpected EOF") }

// textSpecial marks the bytes that stop the fast path through text.
var textSpecial = [256]bool{'<': true, '&': true, '\r': true, ']': true}

// text reads character data up to the next '<' or the end, decoding references and
// line ends. The result is buf itself when there was nothing to decode, or tmp.
func (s *scanner) text() ([]byte, error) {
	buf, start := s.buf, s.pos
	i := start
	for i < len(buf) && !textSpecial[buf[i]] {
		i++
	}
	if i == len(buf) || buf[i] == '<' {
		s.pos = i
		if !s.trusted && !validChars(buf[start:i]) {
			return nil, s.badChars(start, buf[start:i])
		}
		return buf[start:i], nil
	}
	out := append(s.tmp[:0], buf[start:i]...)
	var err error
	for i < len(buf) && buf[i] != '<' {
		switch c := buf[i]; c {
		case '&':
			if out, i, err = s.reference(out, i); err != nil {
				return nil, err
			}
		case '\r':
			out = append(out, '\n')
			if i++; i < len(buf) && buf[i] == '\n' {
				i++
			}
		case ']':
			if i+2 < len(buf) && buf[i+1] == ']' && buf[i+2] == '>' {
				return nil, s.syntax(i, "unescaped ]]> not in CDATA section")
			}
			out = append(out, c)
			i++
		default:
			j := i + 1
			for j < len(buf) && !textSpecial[buf[j]] {
				j++
			}
			out = append(out, buf[i:j]...)
			i = j
		}
	}
	s.tmp = out
	// References are checked as they are decoded; the rest is checked as written.
	if !s.trusted && !validChars(buf[start:i]) {
		return nil, s.badChars(start, buf[start:i])
	}
	s.pos = i
	return out, nil
}

// reference decodes the entity or character reference at buf[i] ('&') onto out and
// returns the index after it.
func (s *scanner) reference(out []byte, i int) ([]byte, int, error) {
	buf := s.buf
	j := i + 1
	if j >= len(buf) {
		return nil, 0, s.eof()
	}
	if buf[j] == '#' {
		j++
		hex := j < len(buf) && buf[j] == 'x' // encoding/xml takes no 'X'
		if hex {
			j++
		}
		digits, n := j, uint64(0)
		for ; j < len(buf); j++ {
			d := digitValue(buf[j], hex)
			if d < 0 {
				break
			}
			if n <= utf8.MaxRune {
				if hex {
					n = n*16 + uint64(d)
				} else {
					n = n*10 + uint64(d)
				}
			}
		}
		if j >= len(buf) {
			return nil, 0, s.eof()
		}
		if buf[j] != ';' || j == digits || n > utf8.MaxRune {
			return nil, 0, s.badReference(i, j)
		}
		r := rune(n)
		if r >= 0xD800 && r <= 0xDFFF {
			r = utf8.RuneError // as string(rune(n)) gives it
		}
		if !inCharRange(r) {
			return nil, 0, s.syntax(i, "illegal character code %U", r)
		}
		return utf8.AppendRune(out, r), j + 1, nil
	}
	k := nameEnd(buf, j)
	if k >= len(buf) {
		return nil, 0, s.eof()
	}
	if buf[k] != ';' {
		return nil, 0, s.badReference(i, k)
	}
	var c byte
	switch string(buf[j:k]) {
	case "lt":
		c = '<'
	case "gt":
		c = '>'
	case "amp":
		c = '&'
	case "apos":
		c = '\''
	case "quot":
		c = '"'
	default:
		return nil, 0, s.badReference(i, k)
	}
	return append(out, c), k + 1, nil
}

func (s *scanner) badReference(i, j int) error {
	ent := string(s.buf[i:min(j+1, i+40)])
	if s.buf[j] != ';' {
		ent = string(s.buf[i:min(j, i+40)]) + " (no semicolon)"
	}
	return s.syntax(i, "invalid character entity %s", strings.ToValidUTF8(ent, "\ufffd"))
}

func digitValue(c byte, hex bool) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case hex && 'a' <= c && c <= 'f':
		return int(c-'a') + 10
	case hex && 'A' <= c && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// attrValue skips the quoted value at s.pos (the opening quote), checking it as
// encoding/xml does; the tree keeps no attributes.
func (s *scanner) attrValue() error {
	buf := s.buf
	quote := buf[s.pos]
	start := s.pos + 1
	i := start
	for {
		if i >= len(buf) {
			return s.eof()
		}
		c := buf[i]
		if c == quote {
			break
		}
		switch c {
		case '<':
			return s.syntax(i, "unescaped < inside quoted string")
		case '&':
			var err error
			if s.tmp, i, err = s.reference(s.tmp[:0], i); err != nil {
				return err
			}
		default:
			i++
		}
	}
	if !s.trusted && !validChars(buf[start:i]) {
		return s.badChars(start, buf[start:i])
	}
	s.pos = i + 1
	return nil
}

// cdata reads the section whose content starts at s.pos, up to "]]>".
func (s *scanner) cdata() ([]byte, error) {
	start := s.pos
	n := bytes.Index(s.buf[start:], []byte("]]>"))
	if n < 0 {
		return nil, s.syntax(len(s.buf), "unexpected EOF in CDATA section")
	}
	t := s.buf[start : start+n]
	if !s.trusted && !validChars(t) {
		return nil, s.badChars(start, t)
	}
	s.pos = start + n + 3
	if bytes.IndexByte(t, '\r') < 0 {
		return t, nil
	}
	out := s.tmp[:0]
	for i := 0; i < len(t); i++ {
		switch {
		case t[i] != '\r':
			out = append(out, t[i])
		case i+1 < len(t) && t[i+1] == '\n':
			// \r\n is read as \n: the \n comes next.
		default:
			out = append(out, '\n')
		}
	}
	s.tmp = out
	return out, nil
}

// validChars reports whether b is UTF-8 holding only characters XML allows.
func validChars(b []byte) bool {
	for i := 0; i < len(b); {
		if c := b[i]; c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 || !inCharRange(r) {
			return false
		}
		i += size
	}
	return true
}

func (s *scanner) badChars(start int, b []byte) error {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			return s.syntax(start+i, "invalid UTF-8")
		}
		if !inCharRange(r) {
			return s.syntax(start+i, "illegal character code %U", r)
		}
		i += size
	}
	return s.syntax(start, "invalid character")
}

// inCharRange is the Char production of XML 1.0.
func inCharRange(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}

// nameEnd returns the end of the run of bytes at buf[i:] that encoding/xml reads as a
// name before checking it: ASCII name characters and every byte of a multi-byte one.
func nameEnd(buf []byte, i int) int {
	for i < len(buf) && (buf[i] >= utf8.RuneSelf || isNameByte(buf[i])) {
		i++
	}
	return i
}

func isNameByte(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '_' || c == ':' || c == '.' || c == '-'
}

// isXMLName reports whether a run read by nameEnd is an XML name. An ASCII name only
// must not start with a digit, '.' or '-'. For the rare name with other characters,
// encoding/xml itself is asked (the result is cached with the name), so that its
// character tables are followed exactly.
func isXMLName(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if c >= utf8.RuneSelf {
			d := xml.NewDecoder(strings.NewReader("<?" + string(b) + "?>"))
			tok, err := d.RawToken()
			pi, ok := tok.(xml.ProcInst)
			return err == nil && ok && pi.Target == string(b)
		}
	}
	c := b[0]
	return c != '.' && c != '-' && (c < '0' || c > '9')
}

// name reads the element or attribute name at s.pos (which must be one: nothing else
// starts there) and returns it interned: element names repeat thousands of times.
func (s *scanner) name(what string) (xmlName, error) {
	start := s.pos
	end := nameEnd(s.buf, start)
	if end >= len(s.buf) {
		return xmlName{}, s.eof()
	}
	raw := s.buf[start:end]
	s.pos = end
	if n, ok := s.names[string(raw)]; ok {
		return n, nil
	}
	if len(raw) == 0 {
		return xmlName{}, s.syntax(start, "expected %s", what)
	}
	if !isXMLName(raw) {
		return xmlName{}, s.syntax(start, "invalid XML name: %s", Clip(strings.ToValidUTF8(string(raw), "\ufffd")))
	}
	full := string(raw)
	n := xmlName{full: full, local: full}
	// As encoding/xml's nsname: one colon between two non-empty parts is a prefix;
	// more than one makes no name.
	switch strings.Count(full, ":") {
	case 0:
	case 1:
		if prefix, local, _ := strings.Cut(full, ":"); prefix != "" && local != "" {
			n.local = local
		}
	default:
		return xmlName{}, s.syntax(start, "expected %s", what)
	}
	if s.names == nil {
		s.names = make(map[string]xmlName, 64)
	}
	s.names[full] = n
	return n, nil
}

func (s *scanner) spaces() {
	for s.pos < len(s.buf) {
		switch s.buf[s.pos] {
		case ' ', '\t', '\r', '\n':
			s.pos++
		default:
			return
		}
	}
}

// procInst reads the processing instruction at s.pos ("<?"). An XML declaration is
// honoured wherever it stands, as encoding/xml does: a version other than 1.0 is
// refused, and a declared windows-1252 or ISO-8859-1 decodes the rest of the document.
func (s *scanner) procInst() error {
	start := s.pos
	s.pos += 2
	i := nameEnd(s.buf, s.pos)
	if i >= len(s.buf) {
		return s.eof()
	}
	target := s.buf[s.pos:i]
	if len(target) == 0 {
		return s.syntax(start, "expected target name after <?")
	}
	if !isXMLName(target) {
		return s.syntax(start, "invalid XML name: %s", Clip(strings.ToValidUTF8(string(target), "\ufffd")))
	}
	s.pos = i
	s.spaces()
	n := bytes.Index(s.buf[s.pos:], []byte("?>"))
	if n < 0 {
		return s.eof()
	}
	content := s.buf[s.pos : s.pos+n]
	s.pos += n + 2
	if string(target) != "xml" {
		return nil
	}
	if v := declParam(content, "version"); v != "" && v != "1.0" {
		return fmt.Errorf("%w: XML: unsupported version %q on line %d; only version 1.0 is supported",
			inventory.ErrMalformed, Clip(v), s.line(start))
	}
	enc := declParam(content, "encoding")
	switch {
	case enc == "" || strings.EqualFold(enc, "utf-8") || isUTF8Label(enc):
	case isLatin1Label(enc):
		return s.switchToWindows1252()
	default:
		return unsupportedEncoding(enc)
	}
	return nil
}

// declParam finds `name="value"` or `name='value'` in the content of an XML
// declaration the way encoding/xml does (which is not exact, and must be followed so
// that both read the same encoding): the first "name=" followed by a quote.
func declParam(content []byte, name string) string {
	key := name + "="
	for i := 0; i < len(content); {
		k := bytes.Index(content[i:], []byte(key))
		if k < 0 || i+k+len(key) >= len(content) {
			return ""
		}
		q := content[i+k+len(key)]
		i += k + len(key) + 1
		if q == '"' || q == '\'' {
			if j := bytes.IndexByte(content[i:], q); j >= 0 {
				return string(content[i : i+j])
			}
			return ""
		}
	}
	return ""
}

// switchToWindows1252 decodes the rest of the document from windows-1252. Declarations
// repeated through a document would decode it again and again, growing it each time:
// the bytes produced are bounded.
func (s *scanner) switchToWindows1252() error {
	rest := s.buf[s.pos:]
	need := len(rest)
	for _, c := range rest {
		if c >= 0x80 {
			need += 2
		}
	}
	if need > s.budget {
		return fmt.Errorf("%w: XML: the document declares its encoding too many times", inventory.ErrLimit)
	}
	s.budget -= need
	s.lines += bytes.Count(s.buf[:s.pos], []byte("\n"))
	s.buf, s.pos, s.trusted = appendWindows1252(make([]byte, 0, need), rest), 0, true
	return nil
}

// comment skips the comment at s.pos ("<!-").
func (s *scanner) comment() error {
	start := s.pos
	i := start + 3
	if i >= len(s.buf) {
		return s.eof()
	}
	if s.buf[i] != '-' {
		return s.syntax(start, "invalid sequence <!- not part of <!--")
	}
	i++
	n := bytes.Index(s.buf[i:], []byte("--"))
	if n < 0 || i+n+2 >= len(s.buf) {
		return s.eof()
	}
	if s.buf[i+n+2] != '>' {
		return s.syntax(i+n, `invalid sequence "--" not allowed in comments`)
	}
	s.pos = i + n + 3
	return nil
}

// directive reads the directive at s.pos ("<!" and a byte that starts neither a comment
// nor a CDATA section) to its end as encoding/xml does, quotes, nested brackets and
// comments included: only a complete one is refused as unsupported, an unfinished one
// is malformed.
func (s *scanner) directive() error {
	buf, start := s.buf, s.pos
	i := start + 3 // the first byte is taken as it is, as encoding/xml does
	var quote byte
	depth := 0
	for {
		if i >= len(buf) {
			return s.eof()
		}
		b := buf[i]
		i++
		if quote == 0 && b == '>' && depth == 0 {
			break
		}
	handle:
		switch {
		case b == quote:
			quote = 0
		case quote != 0:
		case b == '\'' || b == '"':
			quote = b
		case b == '>':
			depth--
		case b == '<':
			for k := 0; k < 3; k++ {
				if i >= len(buf) {
					return s.eof()
				}
				b = buf[i]
				i++
				if b != "!--"[k] {
					depth++
					goto handle
				}
			}
			n := bytes.Index(buf[i:], []byte("-->"))
			if n < 0 {
				return s.eof()
			}
			i += n + 3
		}
	}
	s.pos = i
	d := buf[start+2 : min(i-1, start+2+80)]
	return fmt.Errorf("%w: XML: DTDs and directives (<!%.20s...>) are not accepted",
		inventory.ErrUnsupported, strings.ToValidUTF8(string(d), "\ufffd"))
}
