// Command parc is the IT asset and service management server and its tools.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"parc/internal/app"
	"parc/internal/asset"
	"parc/internal/auth"
	"parc/internal/demo"
	"parc/internal/i18n"
	"parc/internal/record"
	"parc/internal/store"
	"parc/internal/version"
)

const usage = `parc — IT asset and service management

Usage:
  parc serve    [--addr :8080] [--data DIR] [--demo]    run the web interface and API
  parc migrate  [--data DIR]                            bring the database schema up to date
  parc user create --login NAME --profile PROFILE [--org NAME] --password-stdin
  parc user reset-password --login NAME --password-stdin
  parc user list
  parc token create --login NAME [--name LABEL]         print a new API token once
  parc backup   --out FILE                              online copy of the SQLite store
  parc restore  --in FILE                               replace the SQLite store (server stopped)
  parc agent    --server URL [--token T] [--every 24h] [--tag TAG]   send this machine's inventory
  parc agent    --local FILE                            write this machine's inventory to a file
  parc mailgate [--once]                                poll the PARC_IMAP_URL mailboxes (docs/mail.md)
  parc directory sync --name X                          synchronise an LDAP directory now (docs/directory.md)
  parc bench    [--assets N]                            measure list and create speed
  parc bench helpdesk [--tickets N]                     measure the helpdesk (views, search, tickets, SLA)
  parc bench logins [--parallel N]                      memory of parc serve under bursts of bad sign-ins
  parc bench memory [--import N] [--bulk N]             memory of parc serve: demo, CSV import, bulk update
  parc bench pages [--assets N] [--tickets N]            HTML pages of a technician (home, helpdesk views) at size
  parc bench renewal [--assets N]                       renewal plan and forecast, page and API, at size
  parc version

Every command that opens the store reads --data / PARC_DATA (default ./parc-data)
and PARC_DATABASE_URL (postgres://... selects PostgreSQL instead of SQLite).
`

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "parc:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command given")
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return serve(ctx, rest, stdout, stderr)
	case "migrate":
		return migrate(ctx, rest, stdout)
	case "user":
		return userCmd(ctx, rest, stdin, stdout)
	case "token":
		return tokenCmd(ctx, rest, stdout)
	case "backup":
		return backup(ctx, rest, stdout)
	case "restore":
		return restore(ctx, rest, stdout)
	case "bench":
		return bench(ctx, rest, stdout)
	case "agent":
		return agentCmd(ctx, rest, stdout, stderr)
	case "mailgate":
		return mailgateCmd(ctx, rest, stderr)
	case "directory":
		return directoryCmd(ctx, rest, stdout, stderr)
	case "version", "--version", "-v":
		fmt.Fprintln(stdout, "parc", version.Version)
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}

func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// storeFlags adds --data to a command's flags and returns the store configuration.
func storeFlags(fs *flag.FlagSet) func() store.Config {
	data := fs.String("data", env("PARC_DATA", "parc-data"), "data directory (SQLite file, attachments)")
	return func() store.Config {
		return store.Config{DataDir: *data, DatabaseURL: os.Getenv("PARC_DATABASE_URL"), DataSteps: asset.DataSteps()}
	}
}

func logger(w io.Writer) *slog.Logger {
	level := slog.LevelInfo
	if os.Getenv("PARC_LOG_LEVEL") == "debug" {
		level = slog.LevelDebug
	}
	if os.Getenv("PARC_LOG_FORMAT") == "json" {
		return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level}))
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}

func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("addr", env("PARC_ADDR", ":8080"), "listen address")
	demoData := fs.Bool("demo", env("PARC_DEMO", "") == "1", "load demo organisations, users and assets into a new store")
	cfg := storeFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	start := time.Now()
	log := logger(stderr)
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	mailCfg, err := mailConfig()
	if err != nil {
		return err
	}
	a, err := app.OpenWith(ctx, cfg(), app.Options{Log: log, Mail: mailCfg, AgentToken: os.Getenv("PARC_AGENT_TOKEN")})
	if err != nil {
		return err
	}
	defer a.Close()
	fresh, err := a.Bootstrap(ctx, "fr")
	if err != nil {
		return fmt.Errorf("seed new store: %w", err)
	}
	if fresh {
		pw := auth.RandomToken(12)
		sys, err := a.System(ctx, record.OriginCLI)
		if err != nil {
			return err
		}
		admin, err := a.Auth.CreateUser(ctx, sys, "admin", pw, "super-admin", sys.Tree.Root)
		if err != nil {
			return fmt.Errorf("create admin: %w", err)
		}
		if err := a.Auth.RequirePasswordChange(ctx, admin.ID); err != nil {
			return fmt.Errorf("create admin: %w", err)
		}
		fmt.Fprintf(stdout, "New store: administrator login \"admin\", one-time password: %s\n(the first sign-in asks for a new one; it is not shown again)\n", pw)
		if *demoData {
			if err := a.LoadDemo(ctx); err != nil {
				return fmt.Errorf("demo data: %w", err)
			}
			fmt.Fprintf(stdout, "Demo data loaded: sign in as %q / %q (super-admin) or see README for the other demo users.\n", demo.AdminLogin, demo.Password)
		}
	} else if *demoData {
		fmt.Fprintln(stdout, "Store already holds data: demo data not loaded.")
	}
	l, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	if a.Sender != nil {
		log.Info("mail notifications on", "smtp", a.Sender.SMTP.Addr)
	}
	if a.Gateway != nil {
		log.Info("mail gateway on", "mailboxes", len(a.Gateway.Opt.Mailboxes), "every", mailCfg.PollEvery.String())
	}
	// Jobs stop before the store closes, whether serving ends by a signal or an error.
	jobsCtx, stopJobs := context.WithCancel(ctx)
	waitJobs := a.StartJobs(jobsCtx)
	defer func() { stopJobs(); waitJobs() }()
	srv := a.HTTP()
	srv.HTTPS = strings.HasPrefix(os.Getenv("PARC_BASE_URL"), "https://")
	log.Info("parc listening", "addr", l.Addr().String(), "store", string(a.DB.Dialect), "version", version.Version, "startup_ms", time.Since(start).Milliseconds())
	fmt.Fprintf(stdout, "parc %s listening on http://%s\n", version.Version, displayAddr(l.Addr()))
	go keepStatistics(ctx, a.DB, log)
	return srv.Serve(ctx, l)
}

// keepStatistics refreshes the query planner's statistics once the server is up,
// then every six hours: never on the way to ready, since a first analysis of a
// large store takes a few hundred milliseconds.
func keepStatistics(ctx context.Context, db *store.DB, log *slog.Logger) {
	for {
		t0 := time.Now()
		if err := db.Optimize(ctx); err != nil {
			if ctx.Err() == nil {
				log.Warn("refresh planner statistics", "err", err)
			}
		} else {
			log.Debug("planner statistics refreshed", "ms", time.Since(t0).Milliseconds())
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(6 * time.Hour):
		}
	}
}

func displayAddr(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok {
		return a.String()
	}
	if tcp.IP.IsUnspecified() {
		return fmt.Sprintf("localhost:%d", tcp.Port)
	}
	return tcp.String()
}

func migrate(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	cfg := storeFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := store.Open(ctx, cfg())
	if err != nil {
		return err
	}
	defer db.Close()
	v, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "schema at version %d (%s)\n", v, db.Dialect)
	return nil
}

func openApp(ctx context.Context, cfg store.Config) (*app.App, *record.Actor, error) {
	a, err := app.Open(ctx, cfg, logger(io.Discard))
	if err != nil {
		return nil, nil, err
	}
	if _, err := a.Bootstrap(ctx, "fr"); err != nil {
		a.Close()
		return nil, nil, err
	}
	sys, err := a.System(ctx, record.OriginCLI)
	if err != nil {
		a.Close()
		return nil, nil, err
	}
	return a, sys, nil
}

func readPassword(stdin io.Reader) (string, error) {
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return "", errors.New("no password on standard input")
	}
	return pw, nil
}

// describe turns a service error into a readable English line for the terminal.
func describe(err error) error {
	e, ok := record.AsError(err)
	if !ok {
		return err
	}
	return errors.New(e.Render(i18n.MustLoad(), "en", nil).String())
}

func userCmd(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New("user needs a subcommand: create, reset-password, list")
	}
	fs := flag.NewFlagSet("user "+args[0], flag.ContinueOnError)
	login := fs.String("login", "", "login")
	profile := fs.String("profile", "", "profile: "+strings.Join(auth.ProfileNames(), ", "))
	org := fs.String("org", "", "organisation name (default: the root)")
	pwStdin := fs.Bool("password-stdin", false, "read the password from standard input")
	cfg := storeFlags(fs)
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	a, sys, err := openApp(ctx, cfg())
	if err != nil {
		return err
	}
	defer a.Close()
	switch args[0] {
	case "create":
		if *login == "" || *profile == "" || !*pwStdin {
			return errors.New("user create needs --login, --profile and --password-stdin")
		}
		pw, err := readPassword(stdin)
		if err != nil {
			return err
		}
		orgID, err := a.Auth.OrgID(ctx, *org)
		if err != nil {
			return describe(err)
		}
		u, err := a.Auth.CreateUser(ctx, sys, *login, pw, *profile, orgID)
		if err != nil {
			return describe(err)
		}
		fmt.Fprintf(stdout, "user %s created (id %d) with profile %s\n", *login, u.ID, *profile)
	case "reset-password":
		if *login == "" || !*pwStdin {
			return errors.New("user reset-password needs --login and --password-stdin")
		}
		pw, err := readPassword(stdin)
		if err != nil {
			return err
		}
		id, err := userID(ctx, a, *login)
		if err != nil {
			return err
		}
		if err := a.Auth.SetPassword(ctx, sys, id, pw); err != nil {
			return describe(err)
		}
		fmt.Fprintf(stdout, "password of %s changed; their sessions are closed\n", *login)
	case "list":
		users := a.Reg.MustType("users")
		tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tLOGIN\tNAME\tEMAIL\tACTIVE\tORGANISATION")
		q := record.ListQuery{Sort: "login", Limit: record.MaxLimit}
		for {
			page, err := a.Records.List(ctx, sys, users, q)
			if err != nil {
				return err
			}
			for _, u := range page.Records {
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%v\t%s\n", u.ID, u.String("login"), strings.TrimSpace(u.String("firstname")+" "+u.String("lastname")), u.String("email"), u.Get("active"), u.Display["organization_id"])
			}
			if page.NextCursor == "" {
				break
			}
			q.Cursor = page.NextCursor
		}
		return tw.Flush()
	default:
		return fmt.Errorf("unknown user subcommand %q", args[0])
	}
	return nil
}

func userID(ctx context.Context, a *app.App, login string) (int64, error) {
	var id int64
	err := a.DB.QueryRowContext(ctx, "SELECT id FROM users WHERE lower(login) = lower(?) AND deleted_at IS NULL", login).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("no user %q", login)
	}
	return id, nil
}

func tokenCmd(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return errors.New("token needs a subcommand: create")
	}
	fs := flag.NewFlagSet("token create", flag.ContinueOnError)
	login := fs.String("login", "", "login of the token's owner")
	name := fs.String("name", "cli", "label of the token")
	scope := fs.String("scope", "", `what the token may do: "" (all the owner may), "read", or "types:a,b"`)
	valid := fs.Duration("valid", 0, "how long the token works (e.g. 720h); 0: until revoked")
	cfg := storeFlags(fs)
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *login == "" {
		return errors.New("token create needs --login")
	}
	a, _, err := openApp(ctx, cfg())
	if err != nil {
		return err
	}
	defer a.Close()
	id, err := userID(ctx, a, *login)
	if err != nil {
		return err
	}
	secret, _, err := a.Auth.CreateScopedToken(ctx, id, *name, *valid, *scope)
	if err != nil {
		return describe(err)
	}
	fmt.Fprintln(stdout, secret)
	return nil
}
