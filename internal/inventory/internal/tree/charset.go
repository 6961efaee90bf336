package tree

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"parc/internal/inventory"
)

// prepareXML returns the document as clean UTF-8, ready for encoding/xml:
//
//   - a UTF-8 byte order mark is dropped; UTF-16 is refused;
//   - a document declared ISO-8859-1 or windows-1252 is transcoded to UTF-8 (both
//     read as windows-1252, as browsers do: the two differ only in 0x80-0x9F, where
//     ISO-8859-1 has control characters agents never mean), and its declaration is
//     replaced by one without an encoding;
//   - any other declared encoding is refused (ErrUnsupported);
//   - in a UTF-8 document, bytes that are not UTF-8 are read as windows-1252 (agents
//     copy strings from the Windows registry and from old files without converting
//     them), and control characters that XML 1.0 forbids are removed; both are
//     reported as warnings rather than refusing a whole inventory for one software name.
//
// A document that needs none of this is returned as it is, without copying.
func prepareXML(data []byte) ([]byte, []string, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if bytes.HasPrefix(data, []byte("\xfe\xff")) || bytes.HasPrefix(data, []byte("\xff\xfe")) ||
		bytes.HasPrefix(data, []byte("\x00<")) || bytes.HasPrefix(data, []byte("<\x00")) {
		return nil, nil, fmt.Errorf("%w: XML in UTF-16 is not accepted (UTF-8, ISO-8859-1 and windows-1252 are)",
			inventory.ErrUnsupported)
	}
	label, declEnd := declaredEncoding(data)
	switch {
	case isUTF8Label(label):
		if cleanUTF8(data) {
			return data, nil, nil
		}
		out, repaired, dropped := sanitize(data, "", false)
		var warnings []string
		if repaired > 0 {
			warnings = append(warnings, fmt.Sprintf("the document is not valid UTF-8: %d bytes were read as windows-1252", repaired))
		}
		if dropped > 0 {
			warnings = append(warnings, fmt.Sprintf("%d control characters that XML does not allow were removed", dropped))
		}
		return out, warnings, nil
	case isLatin1Label(label):
		out, _, dropped := sanitize(data[declEnd:], `<?xml version="1.0"?>`, true)
		var warnings []string
		if dropped > 0 {
			warnings = append(warnings, fmt.Sprintf("%d control characters that XML does not allow were removed", dropped))
		}
		return out, warnings, nil
	default:
		return nil, nil, fmt.Errorf("%w: XML encoding %q is not accepted (UTF-8, ISO-8859-1 and windows-1252 are)",
			inventory.ErrUnsupported, truncate(label, 40))
	}
}

// declaredEncoding returns the encoding named by the XML declaration at the start of
// data ("" when there is none) and where the declaration ends.
func declaredEncoding(data []byte) (label string, end int) {
	if !bytes.HasPrefix(data, []byte("<?xml")) || len(data) < 6 || !isSpace(data[5]) {
		return "", 0
	}
	head := data[:min(len(data), 1024)]
	stop := bytes.Index(head, []byte("?>"))
	if stop < 0 {
		return "", 0 // malformed: encoding/xml will say so
	}
	decl := head[5:stop]
	end = stop + 2
	i := bytes.Index(decl, []byte("encoding"))
	if i < 0 {
		return "", end
	}
	rest := bytes.TrimLeft(decl[i+len("encoding"):], " \t\r\n")
	if len(rest) == 0 || rest[0] != '=' {
		return "", end
	}
	rest = bytes.TrimLeft(rest[1:], " \t\r\n")
	if len(rest) == 0 || (rest[0] != '"' && rest[0] != '\'') {
		return "", end
	}
	q := rest[0]
	j := bytes.IndexByte(rest[1:], q)
	if j < 0 {
		return "", end
	}
	return string(rest[1 : 1+j]), end
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

// charsetReader is only reached for labels that prepareXML let through as UTF-8
// ("utf8", "ascii"), or when the declaration could not be read by prepareXML.
func charsetReader(label string, input io.Reader) (io.Reader, error) {
	if isUTF8Label(label) {
		return input, nil
	}
	return nil, fmt.Errorf("%w: XML encoding %q is not accepted (UTF-8, ISO-8859-1 and windows-1252 are)",
		inventory.ErrUnsupported, truncate(label, 40))
}

// cleanUTF8 reports whether data is valid UTF-8 with only characters XML allows.
func cleanUTF8(data []byte) bool {
	for _, b := range data {
		if b < 0x20 && b != '\t' && b != '\n' && b != '\r' {
			return false
		}
	}
	return utf8.Valid(data) &&
		!bytes.Contains(data, []byte("\xef\xbf\xbe")) && !bytes.Contains(data, []byte("\xef\xbf\xbf"))
}

// sanitize returns prefix followed by data as clean UTF-8. With all1252, every byte of
// data is read as windows-1252; otherwise data is read as UTF-8 and only its invalid
// bytes as windows-1252. It counts the bytes repaired and the control characters
// dropped.
func sanitize(data []byte, prefix string, all1252 bool) (out []byte, repaired, dropped int) {
	out = make([]byte, 0, len(prefix)+len(data)+len(data)/8)
	out = append(out, prefix...)
	for i := 0; i < len(data); {
		b := data[i]
		if b < 0x80 {
			if b < 0x20 && b != '\t' && b != '\n' && b != '\r' {
				dropped++
			} else {
				out = append(out, b)
			}
			i++
			continue
		}
		if all1252 {
			out = utf8.AppendRune(out, windows1252(b))
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

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "..."
	}
	return s
}
