package mailgate

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset" // decode ISO-8859-1, Windows-1252... bodies
	gomail "github.com/emersion/go-message/mail"
)

// maxParts bounds the MIME parts read from one mail (a bomb of tiny parts).
const maxParts = 200

// parsed is what the gateway uses of a mail.
type parsed struct {
	Key        string // Message-ID, else a digest of the raw mail
	MessageID  string
	References []string // In-Reply-To then References
	From       string   // address, lower case
	FromName   string
	Subject    string
	Text       string
	Files      []file
	Refused    []file // over the size limits: only name and size
	// Header is kept for the loop checks.
	Header gomail.Header
}

type file struct {
	Name, Type string
	Size       int64
	Data       []byte
}

// errMalformed marks a mail that cannot be read as MIME.
var errMalformed = errors.New("malformed mail")

func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errMalformed, fmt.Sprintf(format, args...))
}

// digestKey identifies a mail without a Message-ID by its content.
func digestKey(raw []byte) string {
	sum := sha256.Sum256(raw)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// headerKey reads only the header, to give even an unreadable mail its key.
func headerKey(raw []byte) (key, messageID string) {
	e, err := message.Read(bytes.NewReader(raw))
	if err == nil || message.IsUnknownCharset(err) {
		h := gomail.Header{Header: e.Header}
		if id, err := h.MessageID(); err == nil && id != "" {
			return "mid:" + id, id
		}
	}
	return digestKey(raw), ""
}

// parse reads a mail: header, best text body (plain, else sanitised HTML), files
// within the limits.
func parse(raw []byte, maxFile, maxFiles int64) (*parsed, error) {
	mr, err := gomail.CreateReader(bytes.NewReader(raw))
	if err != nil && !message.IsUnknownCharset(err) {
		return nil, malformed("%v", err)
	}
	if mr == nil {
		return nil, malformed("no header")
	}
	defer mr.Close()
	p := &parsed{Header: mr.Header}
	p.Key, p.MessageID = headerKey(raw)
	from, err := mr.Header.AddressList("From")
	if err != nil || len(from) == 0 {
		return nil, malformed("no readable From address")
	}
	p.From, p.FromName = strings.ToLower(strings.TrimSpace(from[0].Address)), from[0].Name
	if s, err := mr.Header.Subject(); err == nil {
		p.Subject = s
	} else {
		p.Subject = mr.Header.Get("Subject")
	}
	p.Subject = strings.TrimSpace(strings.Join(strings.Fields(p.Subject), " "))
	for _, k := range []string{"In-Reply-To", "References"} {
		ids, _ := mr.Header.MsgIDList(k)
		p.References = append(p.References, ids...)
	}
	var plain, htmlBody []string
	var kept int64
	for n := 0; ; n++ {
		if n >= maxParts {
			return nil, malformed("more than %d parts", maxParts)
		}
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil && !message.IsUnknownCharset(err) {
			return nil, malformed("%v", err)
		}
		if part == nil {
			break
		}
		ctype, _, _ := mime.ParseMediaType(part.Header.Get("Content-Type"))
		var name string
		switch h := part.Header.(type) {
		case *gomail.AttachmentHeader:
			name, _ = h.Filename()
		case *gomail.InlineHeader:
			// An inline picture or document with a name is a file too.
			if _, params, err := h.ContentDisposition(); err == nil && params["filename"] != "" {
				name = params["filename"]
			}
		}
		if name == "" && (ctype == "" || ctype == "text/plain" || ctype == "text/html") {
			body, err := io.ReadAll(io.LimitReader(part.Body, maxFile+1))
			if err != nil {
				return nil, malformed("%v", err)
			}
			if ctype == "text/html" {
				htmlBody = append(htmlBody, string(body))
			} else {
				plain = append(plain, string(body))
			}
			continue
		}
		if name == "" {
			if ctype == "message/delivery-status" || ctype == "message/rfc822" {
				name = "message.eml"
			} else {
				name = "attachment"
			}
		}
		if ctype == "" {
			ctype = "application/octet-stream"
		}
		data, err := io.ReadAll(io.LimitReader(part.Body, maxFile+1))
		if err != nil {
			return nil, malformed("attachment %s: %v", name, err)
		}
		size := int64(len(data))
		if size > maxFile {
			n, _ := io.Copy(io.Discard, part.Body)
			p.Refused = append(p.Refused, file{Name: name, Type: ctype, Size: size + n})
			continue
		}
		if kept+size > maxFiles {
			p.Refused = append(p.Refused, file{Name: name, Type: ctype, Size: size})
			continue
		}
		kept += size
		p.Files = append(p.Files, file{Name: cleanName(name), Type: ctype, Size: size, Data: data})
	}
	switch {
	case len(plain) > 0:
		p.Text = tidy(strings.ReplaceAll(strings.Join(plain, "\n\n"), "\r\n", "\n"))
	case len(htmlBody) > 0:
		p.Text = htmlToText(strings.Join(htmlBody, "\n"))
	}
	p.Text = strings.ToValidUTF8(strings.ReplaceAll(p.Text, "\x00", ""), "")
	return p, nil
}

// cleanName keeps a file name readable and harmless: no path, no control character.
func cleanName(s string) string {
	if i := strings.LastIndexAny(s, `/\`); i >= 0 {
		s = s[i+1:]
	}
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
	if s == "" || s == "." || s == ".." {
		s = "attachment"
	}
	return truncate(s, 200)
}

// truncate cuts s to at most n characters.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n])
}

// quoteStart finds where a reply starts quoting the message it answers: the
// "On ... wrote:" / "Le ... a écrit :" line, or the first line quoted with ">".
var quoteStart = regexp.MustCompile(`(?m)^(>|(On|Le) .{1,200}(wrote|a écrit)\s*:\s*$|-----\s*(Original Message|Message d'origine)\s*-----)`)

// stripQuote keeps the new text of a reply; a reply that is all quote is kept whole.
func stripQuote(s string) string {
	loc := quoteStart.FindStringIndex(s)
	if loc == nil {
		return s
	}
	if head := strings.TrimSpace(s[:loc[0]]); head != "" {
		return head
	}
	return s
}
