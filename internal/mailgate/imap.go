package mailgate

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"parc/internal/mail"
)

// Mailbox is one IMAP folder to poll, from PARC_IMAP_URL:
// imaps://user:pass@host:993/INBOX, or imap://... (STARTTLS when offered;
// ?starttls=require or ?starttls=off).
type Mailbox struct {
	Addr, Host, User, Pass, Folder string
	TLS                            string // implicit, auto, require, off
	// RootCAs verify the server's certificate; nil: the system's (see mail.LoadCAFile).
	RootCAs *x509.CertPool
}

// Name identifies the mailbox in logs and records, without the password.
func (m Mailbox) Name() string { return m.User + "@" + m.Addr + "/" + m.Folder }

// ParseMailboxes reads one or more IMAP URLs separated by spaces or commas.
func ParseMailboxes(s string) ([]Mailbox, error) {
	var out []Mailbox
	for _, raw := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\t' }) {
		u, err := url.Parse(raw)
		if err != nil {
			return nil, fmt.Errorf("PARC_IMAP_URL: %w", mail.WithoutURL(err))
		}
		m := Mailbox{Host: u.Hostname(), Folder: strings.TrimPrefix(u.Path, "/"), TLS: "auto"}
		port := u.Port()
		switch u.Scheme {
		case "imaps":
			m.TLS = "implicit"
			if port == "" {
				port = "993"
			}
		case "imap":
			if port == "" {
				port = "143"
			}
			switch v := u.Query().Get("starttls"); v {
			case "", "auto":
			case "require", "off":
				m.TLS = v
			default:
				return nil, fmt.Errorf("PARC_IMAP_URL: starttls must be auto, require or off, not %q", v)
			}
		default:
			return nil, fmt.Errorf("PARC_IMAP_URL must start with imap:// or imaps://")
		}
		if m.Host == "" || u.User == nil {
			return nil, fmt.Errorf("PARC_IMAP_URL needs a user and a host: imaps://user:password@host/INBOX")
		}
		m.User = u.User.Username()
		m.Pass, _ = u.User.Password()
		if m.Folder == "" {
			m.Folder = "INBOX"
		}
		m.Addr = net.JoinHostPort(m.Host, port)
		out = append(out, m)
	}
	return out, nil
}

// dial connects and logs in. Once STARTTLS is offered (auto) or asked for
// (require), a failed handshake or an untrusted certificate is an error, never a
// fallback to plain text.
func (m Mailbox) dial() (*imapclient.Client, error) {
	opts := &imapclient.Options{TLSConfig: mail.ClientTLS(m.Host, m.RootCAs), Dialer: &net.Dialer{Timeout: 20 * time.Second}}
	var c *imapclient.Client
	var err error
	switch m.TLS {
	case "implicit":
		c, err = imapclient.DialTLS(m.Addr, opts)
	case "require":
		c, err = imapclient.DialStartTLS(m.Addr, opts)
	default:
		c, err = imapclient.DialInsecure(m.Addr, opts)
		if err == nil && m.TLS == "auto" {
			if err = c.WaitGreeting(); err == nil && c.Caps().Has(imap.CapStartTLS) {
				c.Close()
				c, err = imapclient.DialStartTLS(m.Addr, opts)
			}
		}
	}
	if err != nil {
		return nil, fmt.Errorf("IMAP %s: %w", m.Addr, mail.ExplainTLS(err))
	}
	if err := c.Login(m.User, m.Pass).Wait(); err != nil {
		c.Close()
		return nil, fmt.Errorf("IMAP login as %s on %s: %w", m.User, m.Addr, err)
	}
	return c, nil
}

// Poll runs one pass over a mailbox: every unseen mail is handled, then marked
// \Seen once its outcome is committed. A mail whose handling failed (the store
// was unreachable) stays unseen for the next pass. Mails are never deleted.
func (g *Gateway) Poll(ctx context.Context, m Mailbox) (map[string]int, error) {
	c, err := m.dial()
	if err != nil {
		return nil, err
	}
	defer func() {
		c.Logout().Wait()
		c.Close()
	}()
	sel, err := c.Select(m.Folder, nil).Wait()
	if err != nil {
		return nil, fmt.Errorf("IMAP select %s: %w", m.Folder, err)
	}
	found, err := c.UIDSearch(&imap.SearchCriteria{NotFlag: []imap.Flag{imap.FlagSeen}}, nil).Wait()
	if err != nil {
		return nil, fmt.Errorf("IMAP search: %w", err)
	}
	counts := map[string]int{}
	for _, uid := range found.AllUIDs() {
		if ctx.Err() != nil {
			return counts, ctx.Err()
		}
		out, err := g.pollOne(ctx, c, m, sel.UIDValidity, uid)
		if err != nil {
			return counts, err
		}
		counts[out]++
	}
	return counts, nil
}

// pollOne handles one mail: its size first, so that a huge mail is refused
// without being downloaded.
func (g *Gateway) pollOne(ctx context.Context, c *imapclient.Client, m Mailbox, validity uint32, uid imap.UID) (string, error) {
	set := imap.UIDSetNum(uid)
	head, err := c.Fetch(set, &imap.FetchOptions{UID: true, RFC822Size: true,
		BodySection: []*imap.FetchItemBodySection{{Specifier: imap.PartSpecifierHeader, Peek: true}}}).Collect()
	if err != nil {
		return "", fmt.Errorf("IMAP fetch %d: %w", uid, err)
	}
	if len(head) == 0 {
		return "gone", nil // expunged meanwhile
	}
	src := Source{Mailbox: m.Name(), UIDValidity: validity, UID: uint32(uid)}
	var raw []byte
	if head[0].RFC822Size > g.Opt.MaxMessage {
		// Only the header is kept: enough for the key, the sender and the log line.
		raw = headerOnly(head[0])
		res, err := g.refuseBig(ctx, src, raw, head[0].RFC822Size)
		if err != nil {
			return "", err
		}
		return res.Outcome, g.markSeen(c, set)
	}
	full, err := c.Fetch(set, &imap.FetchOptions{BodySection: []*imap.FetchItemBodySection{{Peek: true}}}).Collect()
	if err != nil {
		return "", fmt.Errorf("IMAP fetch %d: %w", uid, err)
	}
	if len(full) == 0 || len(full[0].BodySection) == 0 {
		return "gone", nil
	}
	raw = full[0].BodySection[0].Bytes
	res, err := g.Handle(ctx, src, raw)
	if err != nil {
		return "", err
	}
	g.Log.Info("mail gateway", "mailbox", src.Mailbox, "uid", uid, "outcome", res.Outcome, "ticket", res.TicketID, "followup", res.FollowupID)
	return res.Outcome, g.markSeen(c, set)
}

func headerOnly(b *imapclient.FetchMessageBuffer) []byte {
	for _, s := range b.BodySection {
		return s.Bytes
	}
	return nil
}

func (g *Gateway) markSeen(c *imapclient.Client, set imap.UIDSet) error {
	err := c.Store(set, &imap.StoreFlags{Op: imap.StoreFlagsAdd, Flags: []imap.Flag{imap.FlagSeen}, Silent: true}, nil).Close()
	if err != nil {
		return fmt.Errorf("IMAP mark seen: %w", err)
	}
	return nil
}

// JobName is the gateway's job (internal/jobs): whoever polls the mailboxes, parc
// serve or parc mailgate, holds it, so that no two processes poll them at once.
const JobName = "mail.gateway"

// RunOnce polls every mailbox once; a failing mailbox does not stop the others.
func (g *Gateway) RunOnce(ctx context.Context) error {
	var errs []error
	for _, m := range g.Opt.Mailboxes {
		counts, err := g.Poll(ctx, m)
		if err != nil {
			g.Log.Warn("mail gateway pass", "mailbox", m.Name(), "err", err)
			errs = append(errs, err)
			continue
		}
		if len(counts) > 0 {
			g.Log.Info("mail gateway pass", "mailbox", m.Name(), "outcomes", counts)
		}
	}
	return errors.Join(errs...)
}
