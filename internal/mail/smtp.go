package mail

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"os"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// dialTimeout bounds connecting to the relay; commands have go-smtp's timeouts,
// shortened below so that a stuck relay does not hold the outbox for long.
const dialTimeout = 20 * time.Second

// dial connects to the relay, secures the connection as configured and logs in.
// Its errors name the relay, and a certificate the relay's authority cannot be
// trusted for says how to trust it.
func (c *SMTPConfig) dial() (*smtp.Client, error) {
	cl, err := c.connect()
	if err != nil {
		return nil, fmt.Errorf("SMTP %s: %w", c.Addr, ExplainTLS(err))
	}
	cl.CommandTimeout = time.Minute
	cl.SubmissionTimeout = 5 * time.Minute
	if c.User != "" {
		if err := cl.Auth(sasl.NewPlainClient("", c.User, c.Pass)); err != nil {
			cl.Close()
			return nil, fmt.Errorf("SMTP login as %s on %s: %w", c.User, c.Addr, err)
		}
	}
	return cl, nil
}

// connect opens the connection and secures it: TLS from the first byte, or
// STARTTLS. Once STARTTLS is offered (auto) or asked for (require), a failed
// handshake or an untrusted certificate is an error, never a fallback to plain text.
func (c *SMTPConfig) connect() (*smtp.Client, error) {
	tlsConf := ClientTLS(c.Host, c.RootCAs)
	if c.TLS == TLSImplicit {
		conn, err := tls.DialWithDialer(&net.Dialer{Timeout: dialTimeout}, "tcp", c.Addr, tlsConf)
		if err != nil {
			return nil, err
		}
		return smtp.NewClient(conn), nil
	}
	conn, err := net.DialTimeout("tcp", c.Addr, dialTimeout)
	if err != nil {
		return nil, err
	}
	cl := smtp.NewClient(conn)
	if err := hello(cl); err != nil {
		cl.Close()
		return nil, err
	}
	if c.TLS == TLSOff {
		return cl, nil
	}
	offered, _ := cl.Extension("STARTTLS")
	switch {
	case offered:
		// go-smtp upgrades only a fresh connection: start again with STARTTLS.
		cl.Close()
		conn, err := net.DialTimeout("tcp", c.Addr, dialTimeout)
		if err != nil {
			return nil, err
		}
		cl, err = smtp.NewClientStartTLS(conn, tlsConf)
		if err != nil {
			return nil, err
		}
		// go-smtp leaves the handshake to the next command: greet now, so that a
		// refused certificate fails here and reads as such.
		if err := hello(cl); err != nil {
			cl.Close()
			return nil, err
		}
		return cl, nil
	case c.TLS == TLSRequire:
		cl.Close()
		return nil, errors.New("the server does not offer STARTTLS (starttls=require)")
	}
	return cl, nil
}

// hello introduces parc by its host name: some relays refuse "localhost".
func hello(cl *smtp.Client) error {
	name, err := os.Hostname()
	if err != nil || name == "" {
		name = "localhost"
	}
	return cl.Hello(name)
}
