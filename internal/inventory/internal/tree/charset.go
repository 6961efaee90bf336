package tree

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"parc/internal/inventory"
)

// prepareXML returns the document ready for the scanner, whether it is read as UTF-8,
// and what it repaired:
//
//   - a UTF-8 byte order mark is dropped; UTF-16 is refused;
//   - any declared encoding other than UTF-8, ISO-8859-1 and windows-1252 is refused
//     (ErrUnsupported) before parsing;
//   - control characters that XML 1.0 forbids are removed (agents copy them from the
//     Windows registry); in a UTF-8 document, bytes that are not UTF-8 are read as
//     windows-1252 (agents copy strings from the registry and old files without
//     converting them). Both are reported as warnings rather than refusing a whole
//     inventory for one software name.
//
// When utf8Doc is true the result is valid UTF-8 holding only characters XML allows.
// A document declared ISO-8859-1 or windows-1252 is decoded by the scanner when it
// reads the declaration, as encoding/xml did. A document that needs no repair is
// returned as it is.
func prepareXML(data []byte) (out []byte, utf8Doc bool, warnings []string, err error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if bytes.HasPrefix(data, []byte("\xfe\xff")) || bytes.HasPrefix(data, []byte("\xff\xfe")) ||
		bytes.HasPrefix(data, []byte("\x00<")) || bytes.HasPrefix(data, []byte("<\x00")) {
		return nil, false, nil, fmt.Errorf("%w: XML in UTF-16 is not accepted (UTF-8, ISO-8859-1 and windows-1252 are)",
			inventory.ErrUnsupported)
	}
	label := declaredEncoding(data)
	utf8Doc = isUTF8Label(label)
	if !utf8Doc && !isLatin1Label(label) {
		return nil, false, nil, unsupportedEncoding(label)
	}
	if clean(data, utf8Doc) {
		return data, utf8Doc, nil, nil
	}
	out, repaired, dropped := sanitize(data, utf8Doc)
	if repaired > 0 {
		warnings = append(warnings, fmt.Sprintf("the document is not valid UTF-8: %d bytes were read as windows-1252", repaired))
	}
	if dropped > 0 {
		warnings = append(warnings, fmt.Sprintf("%d control characters that XML does not allow were removed", dropped))
	}
	return out, utf8Doc, warnings, nil
}

func unsupportedEncoding(label string) error {
	return fmt.Errorf("%w: XML encoding %q is not accepted (UTF-8, ISO-8859-1 and windows-1252 are)",
		inventory.ErrUnsupported, Clip(label))
}

// declaredEncoding returns the encoding named by the XML declaration at the start of
// data, or "" when there is none (or it cannot be read: the scanner will then read the
// declaration itself as encoding/xml does, and refuse what it does not know).
func declaredEncoding(data []byte) string {
	if !bytes.HasPrefix(data, []byte("<?xml")) || len(data) < 6 || !isSpace(data[5]) {
		return ""
	}
	stop := bytes.Index(data, []byte("?>"))
	if stop < 0 {
		return ""
	}
	decl := data[5:stop]
	i := bytes.Index(decl, []byte("encoding"))
	if i < 0 {
		return ""
	}
	rest := bytes.TrimLeft(decl[i+len("encoding"):], " \t\r\n")
	if len(rest) == 0 || rest[0] != '=' {
		return ""
	}
	rest = bytes.TrimLeft(rest[1:], " \t\r\n")
	if len(rest) == 0 || (rest[0] != '"' && rest[0] != '\'') {
		return ""
	}
	j := bytes.IndexByte(rest[1:], rest[0])
	if j < 0 {
		return ""
	}
	return string(rest[1 : 1+j])
}

func isSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\r' || b == '\n' }

func isUTF8Label(label string) bool {
	switch strings.ToLower(strings.TrimSpace(label)) {
	case "", "utf-8", "utf8", "us-ascii", "ascii":
		return true
	}
	return false
}

func isLatin1Label(label string) bool {
	switch strings.ToLower(strings.TrimSpace(label)) {
	case "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1", "cp819",
		"windows-1252", "cp1252", "x-cp1252", "win-1252":
		return true
	}
	return false
}

// clean reports whether data needs no repair: no control character that XML forbids
// and, for a UTF-8 document, valid UTF-8 without U+FFFE and U+FFFF.
func clean(data []byte, utf8Doc bool) bool {
	for _, b := range data {
		if b < 0x20 && b != '\t' && b != '\n' && b != '\r' {
			return false
		}
	}
	return !utf8Doc || utf8.Valid(data) &&
		!bytes.Contains(data, []byte("\xef\xbf\xbe")) && !bytes.Contains(data, []byte("\xef\xbf\xbf"))
}

// sanitize returns data without the control characters XML forbids and, for a UTF-8
// document, with bytes that are not UTF-8 read as windows-1252 and U+FFFE and U+FFFF
// replaced. It counts the bytes repaired and the control characters dropped.
func sanitize(data []byte, utf8Doc bool) (out []byte, repaired, dropped int) {
	out = make([]byte, 0, len(data)+len(data)/8)
	for i := 0; i < len(data); {
		b := data[i]
		if b < 0x80 || !utf8Doc {
			if b < 0x20 && b != '\t' && b != '\n' && b != '\r' {
				dropped++
			} else {
				out = append(out, b)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			out = utf8.AppendRune(out, windows1252(b))
			repaired++
		case r == 0xFFFE || r == 0xFFFF:
			out = utf8.AppendRune(out, utf8.RuneError)
		default:
			out = append(out, data[i:i+size]...)
		}
		i += size
	}
	return out, repaired, dropped
}

// appendWindows1252 appends src, read as windows-1252, to dst in UTF-8.
func appendWindows1252(dst, src []byte) []byte {
	for len(src) > 0 {
		i := 0
		for i < len(src) && src[i] < 0x80 {
			i++
		}
		dst = append(dst, src[:i]...)
		if i == len(src) {
			break
		}
		dst = utf8.AppendRune(dst, windows1252(src[i]))
		src = src[i+1:]
	}
	return dst
}

// windows1252 decodes one byte of windows-1252. The five bytes the code page leaves
// undefined map to the control characters of the same value, as in the WHATWG
// encoding standard.
func windows1252(b byte) rune {
	if b >= 0x80 && b < 0xa0 {
		return cp1252High[b-0x80]
	}
	return rune(b)
}

var cp1252High = [32]rune{
	0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
	0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
}

// Clip shortens a value quoted in an error or a warning to about 60 characters, so
// that a hostile document cannot make its messages huge.
func Clip(s string) string {
	if r := []rune(s); len(r) > 60 {
		return string(r[:60]) + "..."
	}
	return s
}
