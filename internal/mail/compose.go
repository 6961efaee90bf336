package mail

import (
	"bytes"
	"io"
	netmail "net/mail"
	"strconv"
	"time"

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
	h.SetSubject(msg.Subject)
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
