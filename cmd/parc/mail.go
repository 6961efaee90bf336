package main

import (
	"context"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"parc/internal/app"
	"parc/internal/jobs"
	"parc/internal/mail"
	"parc/internal/mailgate"
)

// mailConfig reads the e-mail configuration from the environment: notifications
// (PARC_SMTP_URL, PARC_MAIL_FROM, PARC_BASE_URL) and the gateway (PARC_IMAP_URL and
// its limits). The zero value, without those variables, turns e-mail off.
func mailConfig() (app.MailConfig, error) {
	var cfg app.MailConfig
	from := os.Getenv("PARC_MAIL_FROM")
	// A private authority of the mail servers, in addition to the system's.
	var roots *x509.CertPool
	if f := os.Getenv(mail.CAFileVar); f != "" {
		var err error
		if roots, err = mail.LoadCAFile(f); err != nil {
			return cfg, err
		}
	}
	if u := os.Getenv("PARC_SMTP_URL"); u != "" {
		smtp, err := mail.ParseSMTPURL(u)
		if err != nil {
			return cfg, err
		}
		smtp.RootCAs = roots
		if from == "" {
			return cfg, errors.New("PARC_SMTP_URL is set but PARC_MAIL_FROM is not: notifications need a sender address")
		}
		if _, _, err := mail.ParseFrom(from); err != nil {
			return cfg, err
		}
		cfg.SMTP, cfg.From, cfg.BaseURL = smtp, from, os.Getenv("PARC_BASE_URL")
	}
	u := os.Getenv("PARC_IMAP_URL")
	if u == "" {
		return cfg, nil
	}
	boxes, err := mailgate.ParseMailboxes(u)
	if err != nil {
		return cfg, err
	}
	for i := range boxes {
		boxes[i].RootCAs = roots
	}
	opt := mailgate.Options{Mailboxes: boxes}
	if from != "" {
		if addr, _, err := mail.ParseFrom(from); err == nil {
			opt.Own = append(opt.Own, addr.Address)
		}
	}
	for _, b := range boxes {
		if strings.Contains(b.User, "@") {
			opt.Own = append(opt.Own, b.User)
		}
	}
	if v := os.Getenv("PARC_MAIL_MAX_MB"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return cfg, fmt.Errorf("PARC_MAIL_MAX_MB must be a number of megabytes, not %q", v)
		}
		opt.MaxMessage = int64(n) << 20
	}
	switch v := os.Getenv("PARC_MAIL_UNKNOWN_SENDER"); {
	case v == "" || v == mailgate.UnknownRefuse:
	case strings.HasPrefix(v, mailgate.UnknownCreate+":"):
		org, err := strconv.ParseInt(strings.TrimPrefix(v, mailgate.UnknownCreate+":"), 10, 64)
		if err != nil || org < 1 {
			return cfg, fmt.Errorf("PARC_MAIL_UNKNOWN_SENDER: create:ORGANISATION_ID, not %q", v)
		}
		opt.UnknownSender, opt.DefaultOrg = mailgate.UnknownCreate, org
	default:
		return cfg, fmt.Errorf("PARC_MAIL_UNKNOWN_SENDER must be refuse or create:ORGANISATION_ID, not %q", v)
	}
	if cfg.PollEvery, err = mailPollEvery(); err != nil {
		return cfg, err
	}
	cfg.Gateway = &opt
	return cfg, nil
}

// mailPollEvery is the gateway's interval in parc serve (PARC_MAIL_POLL, default 1m).
func mailPollEvery() (time.Duration, error) {
	v := os.Getenv("PARC_MAIL_POLL")
	if v == "" {
		return time.Minute, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < time.Second {
		return 0, fmt.Errorf("PARC_MAIL_POLL must be a duration such as 1m, not %q", v)
	}
	return d, nil
}

// mailgateCmd runs the gateway: one pass with --once (refused while another
// process holds the gateway), else as the job parc serve runs, until interrupted.
func mailgateCmd(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("mailgate", flag.ContinueOnError)
	once := fs.Bool("once", false, "run one pass over the mailboxes and exit")
	cfg := storeFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	mailCfg, err := mailConfig()
	if err != nil {
		return err
	}
	if mailCfg.Gateway == nil {
		return errors.New("mailgate needs PARC_IMAP_URL (imaps://user:password@host/INBOX)")
	}
	a, err := app.OpenWith(ctx, cfg(), app.Options{Log: logger(stderr), Mail: mailCfg})
	if err != nil {
		return err
	}
	defer a.Close()
	if _, err := a.Bootstrap(ctx, "fr"); err != nil {
		return err
	}
	err = a.RunGateway(ctx, *once)
	var busy *jobs.BusyError
	if errors.As(err, &busy) {
		return fmt.Errorf("the mail gateway is running in another process (parc serve or parc mailgate): nothing polled (%w)", err)
	}
	return err
}
