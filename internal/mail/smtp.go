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
func (c *SMTPConfig) dial() (*smtp.Client, error) {
	tlsConf := &tls.Config{ServerName: c.Host, MinVersion: tls.VersionTLS12}
	var cl *smtp.Client
	switch c.TLS {
	case TLSImplicit:
		conn, err := tls.DialWithDialer(&net.Dialer{Timeout: dialTimeout}, "tcp", c.Addr, tlsConf)
		if err != nil {
			return nil, err
		}
		cl = smtp.NewClient(conn)
	default:
		conn, err := net.DialTimeout("tcp", c.Addr, dialTimeout)
		if err != nil {
			return nil, err
		}
		cl = smtp.NewClient(conn)
		if err := hello(cl); err != nil {
			cl.Close()
			return nil, err
		}
		if c.TLS != TLSOff {
			offered, _ := cl.Extension("STARTTLS")
			switch {
			case offered:
				// go-smtp upgrades only a fresh connection: start again with STARTTLS.
				cl.Close()
				conn, err := net.DialTimeout("tcp", c.Addr, dialTimeout)
				if err != nil {
					return nil, err
				}
				if cl, err = smtp.NewClientStartTLS(conn, tlsConf); err != nil {
					return nil, err
				}
			case c.TLS == TLSRequire:
				cl.Close()
				return nil, errors.New("SMTP server does not offer STARTTLS (starttls=require)")
			}
		}
	}
	cl.CommandTimeout = time.Minute
	cl.SubmissionTimeout = 5 * time.Minute
	if c.User != "" {
		if err := cl.Auth(sasl.NewPlainClient("", c.User, c.Pass)); err != nil {
			cl.Close()
			return nil, fmt.Errorf("SMTP login as %s: %w", c.User, err)
		}
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
