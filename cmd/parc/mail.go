package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"parc/internal/app"
	"parc/internal/i18n"
	"parc/internal/mail"
	"parc/internal/mailgate"
)

// mailSetup reads the e-mail configuration from the environment: notifications
// (PARC_SMTP_URL, PARC_MAIL_FROM) are queued by every write once installed; the
// gateway (PARC_IMAP_URL) is returned for the caller to run. Either may be nil.
func mailSetup(a *app.App, cat *i18n.Catalog, log *slog.Logger) (*mail.Sender, *mailgate.Gateway, error) {
	var sender *mail.Sender
	from := os.Getenv("PARC_MAIL_FROM")
	if u := os.Getenv("PARC_SMTP_URL"); u != "" {
		cfg, err := mail.ParseSMTPURL(u)
		if err != nil {
			return nil, nil, err
		}
		if from == "" {
			return nil, nil, errors.New("PARC_SMTP_URL is set but PARC_MAIL_FROM is not: notifications need a sender address")
		}
		n, err := mail.NewNotifier(a.DB, cat, from)
		if err != nil {
			return nil, nil, err
		}
		n.BaseURL = os.Getenv("PARC_BASE_URL")
		n.Install(a.Reg)
		sender = mail.NewSender(a.DB, cfg, log)
	}
	u := os.Getenv("PARC_IMAP_URL")
	if u == "" {
		return sender, nil, nil
	}
	boxes, err := mailgate.ParseMailboxes(u)
	if err != nil {
		return nil, nil, err
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
			return nil, nil, fmt.Errorf("PARC_MAIL_MAX_MB must be a number of megabytes, not %q", v)
		}
		opt.MaxMessage = int64(n) << 20
	}
	switch v := os.Getenv("PARC_MAIL_UNKNOWN_SENDER"); {
	case v == "" || v == mailgate.UnknownRefuse:
	case strings.HasPrefix(v, mailgate.UnknownCreate+":"):
		org, err := strconv.ParseInt(strings.TrimPrefix(v, mailgate.UnknownCreate+":"), 10, 64)
		if err != nil || org < 1 {
			return nil, nil, fmt.Errorf("PARC_MAIL_UNKNOWN_SENDER: create:ORGANISATION_ID, not %q", v)
		}
		opt.UnknownSender, opt.DefaultOrg = mailgate.UnknownCreate, org
	default:
		return nil, nil, fmt.Errorf("PARC_MAIL_UNKNOWN_SENDER must be refuse or create:ORGANISATION_ID, not %q", v)
	}
	return sender, mailgate.New(a, cat, opt), nil
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

// startMail runs the outbox sender and the gateway in the background of serve.
func startMail(ctx context.Context, a *app.App, cat *i18n.Catalog, log *slog.Logger) error {
	sender, gate, err := mailSetup(a, cat, log)
	if err != nil {
		return err
	}
	if sender != nil {
		go sender.Run(ctx, 5*time.Second)
		log.Info("mail notifications on", "smtp", sender.SMTP.Addr)
	}
	if gate != nil {
		every, err := mailPollEvery()
		if err != nil {
			return err
		}
		go gate.Run(ctx, every)
		log.Info("mail gateway on", "mailboxes", len(gate.Opt.Mailboxes), "every", every.String())
	}
	return nil
}

// mailgateCmd runs the gateway: one pass with --once, else until interrupted.
func mailgateCmd(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("mailgate", flag.ContinueOnError)
	once := fs.Bool("once", false, "run one pass over the mailboxes and exit")
	cfg := storeFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	log := logger(stderr)
	a, err := app.Open(ctx, cfg(), log)
	if err != nil {
		return err
	}
	defer a.Close()
	if _, err := a.Bootstrap(ctx, "fr"); err != nil {
		return err
	}
	_, gate, err := mailSetup(a, i18n.MustLoad(), log)
	if err != nil {
		return err
	}
	if gate == nil {
		return errors.New("mailgate needs PARC_IMAP_URL (imaps://user:password@host/INBOX)")
	}
	if *once {
		return gate.RunOnce(ctx)
	}
	every, err := mailPollEvery()
	if err != nil {
		return err
	}
	gate.Run(ctx, every)
	return nil
}
