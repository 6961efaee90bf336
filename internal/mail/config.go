// Package mail sends parc's e-mail notifications: helpdesk events become messages
// queued in the mail_outbox table in the transaction of the change, and a sender
// delivers them over SMTP with retries.
package mail

import (
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"strings"
)

// TLS modes of the SMTP connection.
const (
	TLSAuto     = "auto"     // STARTTLS when the server offers it
	TLSRequire  = "require"  // STARTTLS or fail
	TLSOff      = "off"      // plain text (a relay on the same host)
	TLSImplicit = "implicit" // smtps://: TLS from the first byte
)

// SMTPConfig says how to reach the relay, from PARC_SMTP_URL:
// smtp://user:pass@host:587?starttls=require, smtps://host:465, smtp://host (port 25).
type SMTPConfig struct {
	Addr       string // host:port
	Host       string
	User, Pass string
	TLS        string
	// RootCAs verify the relay's certificate; nil: the system's (see LoadCAFile).
	RootCAs *x509.CertPool
}

// ParseSMTPURL reads an SMTP URL.
func ParseSMTPURL(s string) (*SMTPConfig, error) {
	u, err := url.Parse(s)
	if err != nil {
		return nil, fmt.Errorf("PARC_SMTP_URL: %w", WithoutURL(err))
	}
	c := &SMTPConfig{Host: u.Hostname(), TLS: TLSAuto}
	port := u.Port()
	switch u.Scheme {
	case "smtp":
		if port == "" {
			port = "25"
		}
		switch m := u.Query().Get("starttls"); m {
		case "", TLSAuto:
		case TLSRequire, TLSOff:
			c.TLS = m
		default:
			return nil, fmt.Errorf("PARC_SMTP_URL: starttls must be auto, require or off, not %q", m)
		}
	case "smtps":
		if port == "" {
			port = "465"
		}
		c.TLS = TLSImplicit
	default:
		return nil, fmt.Errorf("PARC_SMTP_URL must start with smtp:// or smtps://")
	}
	if c.Host == "" {
		return nil, fmt.Errorf("PARC_SMTP_URL has no host")
	}
	c.Addr = net.JoinHostPort(c.Host, port)
	if u.User != nil {
		c.User = u.User.Username()
		c.Pass, _ = u.User.Password()
	}
	return c, nil
}

// ParseFrom reads PARC_MAIL_FROM ("parc@example.org" or "Parc <parc@example.org>")
// and gives the address and the domain used in Message-IDs.
func ParseFrom(s string) (*mail.Address, string, error) {
	a, err := mail.ParseAddress(s)
	if err != nil {
		return nil, "", fmt.Errorf("PARC_MAIL_FROM %q: %w", s, err)
	}
	_, domain, ok := strings.Cut(a.Address, "@")
	if !ok || domain == "" {
		return nil, "", fmt.Errorf("PARC_MAIL_FROM %q has no domain", s)
	}
	return a, strings.ToLower(domain), nil
}

// WithoutURL gives a URL parsing error without the URL, which may hold a
// password that must not reach logs and terminals.
func WithoutURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
