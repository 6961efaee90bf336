package main

import (
	"context"
	"crypto/x509"
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
	"parc/internal/jobs"
	"parc/internal/mail"
	"parc/internal/mailgate"
)

// mailSetup reads the e-mail configuration from the environment: notifications
// (PARC_SMTP_URL, PARC_MAIL_FROM) are queued by every write once installed; the
// gateway (PARC_IMAP_URL) is returned for the caller to run. Either may be nil.
func mailSetup(a *app.App, cat *i18n.Catalog, log *slog.Logger) (*mail.Sender, *mailgate.Gateway, error) {
	sender, _, gate, err := mailSetupNotifier(a, cat, log)
	return sender, gate, err
}

// mailSetupNotifier is mailSetup that also returns the installed notifier (nil
// without PARC_SMTP_URL), which the escalation job hands its SLA events to.
func mailSetupNotifier(a *app.App, cat *i18n.Catalog, log *slog.Logger) (*mail.Sender, *mail.Notifier, *mailgate.Gateway, error) {
	var sender *mail.Sender
	var notifier *mail.Notifier
	from := os.Getenv("PARC_MAIL_FROM")
	// A private authority of the mail servers, in addition to the system's.
	var roots *x509.CertPool
	if f := os.Getenv(mail.CAFileVar); f != "" {
		var err error
		if roots, err = mail.LoadCAFile(f); err != nil {
			return nil, nil, nil, err
		}
	}
	if u := os.Getenv("PARC_SMTP_URL"); u != "" {
		cfg, err := mail.ParseSMTPURL(u)
		if err != nil {
			return nil, nil, nil, err
		}
		cfg.RootCAs = roots
		if from == "" {
			return nil, nil, nil, errors.New("PARC_SMTP_URL is set but PARC_MAIL_FROM is not: notifications need a sender address")
		}
		n, err := mail.NewNotifier(a.DB, cat, from)
		if err != nil {
			return nil, nil, nil, err
		}
		n.BaseURL = os.Getenv("PARC_BASE_URL")
		n.Install(a.Reg)
		notifier = n
		sender = mail.NewSender(a.DB, cfg, log)
	}
	u := os.Getenv("PARC_IMAP_URL")
	if u == "" {
		return sender, notifier, nil, nil
	}
	boxes, err := mailgate.ParseMailboxes(u)
	if err != nil {
		return nil, nil, nil, err
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
			return nil, nil, nil, fmt.Errorf("PARC_MAIL_MAX_MB must be a number of megabytes, not %q", v)
		}
		opt.MaxMessage = int64(n) << 20
	}
	switch v := os.Getenv("PARC_MAIL_UNKNOWN_SENDER"); {
	case v == "" || v == mailgate.UnknownRefuse:
	case strings.HasPrefix(v, mailgate.UnknownCreate+":"):
		org, err := strconv.ParseInt(strings.TrimPrefix(v, mailgate.UnknownCreate+":"), 10, 64)
		if err != nil || org < 1 {
			return nil, nil, nil, fmt.Errorf("PARC_MAIL_UNKNOWN_SENDER: create:ORGANISATION_ID, not %q", v)
		}
		opt.UnknownSender, opt.DefaultOrg = mailgate.UnknownCreate, org
	default:
		return nil, nil, nil, fmt.Errorf("PARC_MAIL_UNKNOWN_SENDER must be refuse or create:ORGANISATION_ID, not %q", v)
	}
	return sender, notifier, mailgate.New(a, cat, opt), nil
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

// startMail adds the outbox sender and the gateway to the background jobs of
// serve, and returns the notifier (nil without SMTP) for the escalation job.
// As jobs they keep their schedule across restarts, and two servers on one
// PostgreSQL store take turns instead of polling the same mailboxes together.
func startMail(a *app.App, cat *i18n.Catalog, log *slog.Logger, runner *jobs.Runner) (*mail.Notifier, error) {
	sender, notifier, gate, err := mailSetupNotifier(a, cat, log)
	if err != nil {
		return nil, err
	}
	if sender != nil {
		runner.Add(jobs.Job{Name: "mail.outbox", Every: 5 * time.Second, Jitter: time.Second, Lease: 15 * time.Minute, Run: func(ctx context.Context) error {
			_, err := sender.SendDue(ctx)
			return err
		}})
		log.Info("mail notifications on", "smtp", sender.SMTP.Addr)
	}
	if gate != nil {
		every, err := mailPollEvery()
		if err != nil {
			return nil, err
		}
		runner.Add(gatewayJob(gate, every))
		log.Info("mail gateway on", "mailboxes", len(gate.Opt.Mailboxes), "every", every.String())
	}
	return notifier, nil
}

// gatewayJob is the gateway as a job. parc serve and parc mailgate run it under
// the same name, hence the same lease and lock: a mailbox is never polled by two
// processes at once (two would fetch the same unseen mail and open two tickets).
func gatewayJob(gate *mailgate.Gateway, every time.Duration) jobs.Job {
	return jobs.Job{Name: mailgate.JobName, Every: every, Jitter: every / 10, Lease: max(10*every, 15*time.Minute), Run: gate.RunOnce}
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
	every, err := mailPollEvery()
	if err != nil {
		return err
	}
	runner := jobs.New(a.DB, log)
	if *once {
		err := runner.RunNow(ctx, gatewayJob(gate, every))
		var busy *jobs.BusyError
		if errors.As(err, &busy) {
			return fmt.Errorf("the mail gateway is running in another process (parc serve or parc mailgate): nothing polled (%w)", err)
		}
		return err
	}
	runner.Add(gatewayJob(gate, every))
	runner.Start(ctx)
	runner.Wait()
	return nil
}
