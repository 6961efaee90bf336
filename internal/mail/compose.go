package mail

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	netmail "net/mail"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	gomail "github.com/emersion/go-message/mail"
)

// compose writes a notification as an RFC 5322 message: text and HTML
// alternatives, quoted-printable, threaded on the ticket, marked as automatic so
// that well-behaved auto-responders (and parc's own gateway) do not answer it.
func compose(from *netmail.Address, to recipient, msg *message, id, thread string, ticket int64, now time.Time) (string, error) {
	var h gomail.Header
	h.SetDate(now)
	h.SetAddressList("From", []*gomail.Address{{Name: from.Name, Address: from.Address}})
	h.SetAddressList("To", []*gomail.Address{{Name: to.Name, Address: to.Email}})
	h.Set("Subject", encodeSubject(msg.Subject))
	h.SetMessageID(id)
	h.SetMsgIDList("In-Reply-To", []string{thread})
	h.SetMsgIDList("References", []string{thread})
	h.Set("Auto-Submitted", "auto-generated")
	h.Set("X-Auto-Response-Suppress", "All")
	h.Set("X-Parc-Ticket", strconv.FormatInt(ticket, 10))
	h.Set("Content-Language", to.Lang)
	var b bytes.Buffer
	w, err := gomail.CreateInlineWriter(&b, h)
	if err != nil {
		return "", err
	}
	for _, p := range []struct{ ctype, body string }{{"text/plain", msg.Text}, {"text/html", msg.HTML}} {
		var ph gomail.InlineHeader
		ph.SetContentType(p.ctype, map[string]string{"charset": "utf-8"})
		ph.Set("Content-Transfer-Encoding", "quoted-printable")
		pw, err := w.CreatePart(ph)
		if err != nil {
			return "", err
		}
		if _, err := io.WriteString(pw, p.body); err != nil {
			return "", err
		}
		if err := pw.Close(); err != nil {
			return "", err
		}
	}
	if err := w.Close(); err != nil {
		return "", err
	}
	return b.String(), nil
}

// encodeSubject writes a subject for the Subject header. Plain ASCII stays as it is
// and other text becomes RFC 2047 encoded words, as usual; but text holding "=?" is
// always encoded, since a mail program would decode a title that merely looks like
// an encoded word ("=?utf-8?q?...?=") and show something else than the title typed.
func encodeSubject(s string) string {
	if !strings.Contains(s, "=?") {
		return mime.QEncoding.Encode("utf-8", s)
	}
	// Base64 words of whole characters, at most 39 bytes each: 64 characters
	// encoded, so that each fits a folded header line, the first one after
	// "Subject: " included (RFC 2047 allows 75).
	var words []string
	for len(s) > 0 {
		n := 0
		for n < len(s) {
			_, size := utf8.DecodeRuneInString(s[n:])
			if n > 0 && n+size > 39 {
				break
			}
			n += size
		}
		words = append(words, "=?utf-8?b?"+base64.StdEncoding.EncodeToString([]byte(s[:n]))+"?=")
		s = s[n:]
	}
	return strings.Join(words, " ")
}
