// Command onrecord is OnRecord, a Discord bot that keeps politicians on the
// record: it answers /who and /claims from a SQLite knowledge base of
// people, documents, verbatim claims and the evidence that supports or
// contradicts them.
//
// Build it with the FTS5 tag:
//
//	go build -tags sqlite_fts5 -o onrecord .
//
// Run onrecord help for the subcommands.
package main

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"

	"github.com/onrecord/onrecord/bot"
	"github.com/onrecord/onrecord/commands"
	"github.com/onrecord/onrecord/config"
	"github.com/onrecord/onrecord/db"
	"github.com/onrecord/onrecord/knowledge"
	"github.com/onrecord/onrecord/knowledge/synth"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

// usageError is a mistake in how onrecord was invoked; it exits with 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usage(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// exitCode prints err (if any) to stderr and returns the process status:
// 0 on success, 2 for a usage mistake, 1 for anything else.
func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	var ue *usageError
	var be *bot.UsageError
	switch {
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ue), errors.As(err, &be):
		fmt.Fprintln(stderr, "onrecord: "+err.Error())
		return 2
	}
	var ke *knowledge.Error
	if errors.As(err, &ke) && ke.Code != knowledge.CodeInternal {
		fmt.Fprintln(stderr, "onrecord: "+ke.Message)
		return 1
	}
	fmt.Fprintln(stderr, "onrecord: "+err.Error())
	return 1
}

const help = `onrecord keeps politicians on the record, in Discord.

Usage:
  onrecord ask [flags] '/who Hugh Ind'   answer one slash command locally, as Discord would deliver it
  onrecord console [flags]               the same, in a loop
  onrecord seed [--db PATH]              apply the embedded seed (adds and updates the seed's own records only)
  onrecord export [--db PATH]            write the whole knowledge base as JSON to standard output
  onrecord import [--db PATH] FILE       load an export into a new, empty database (all or nothing)
  onrecord backup [--db PATH] FILE       write a consistent copy of the database while it is in use
  onrecord check [--db PATH]             verify a database (or a backup): integrity, indexes, history, audit
  onrecord gen [--people N] [--claims M] [--seed S] PATH
                                         write a synthetic knowledge base (fiction, for benchmarks) to a new file
  onrecord extract [--json] [--db PATH] [--url URL] [--date YYYY-MM-DD] FILE
                                         propose the quotations a news report attributes, with speakers (FILE - reads stdin)
  onrecord run [--db PATH]               the bot, connected to Discord's gateway (needs DISCORD_TOKEN)
  onrecord serve [--db PATH]             the bot as an HTTP interactions endpoint (needs DISCORD_PUBLIC_KEY)
  onrecord loadtest [--requests N] [--concurrency 32] [--db PATH] [--cpuprofile FILE]
                                         measure serve against a bare signature-checking endpoint
  onrecord register [--guild ID]         register the slash commands with Discord now

Flags of ask and console:
  --db PATH        database file (default $ONRECORD_DB or onrecord.db); created and seeded if missing
  --json           print the exact InteractionResponse JSON instead of text (ask)
  --autocomplete   send the line as autocomplete does while it is typed: '/who Hu' (ask)
  --component ID   press a button, or with --values V,... choose in a menu, by custom_id (ask)
  --modal ID --field NAME=VALUE ...   submit a form (ask)
  --attach FILE    a file for the command's file option (ask)
  --out DIR        write files the bot attaches to its reply into DIR (ask)
  --as RANK        member (default), moderator or owner
  --guild ID       the Discord server the command comes from
  --user ID        the Discord user who sends it
  --dm             send it from a direct message instead of a server

Configuration comes from the environment: see README.md.
`

// run is the whole program: it parses args, loads the configuration from
// getenv, and runs one subcommand. It returns an error instead of exiting.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, help)
		return usage("no subcommand given")
	}
	sub, args := args[0], args[1:]
	switch sub {
	case "help", "-h", "--help":
		fmt.Fprint(stdout, help)
		return nil
	case "loadtest":
		return loadtest(ctx, args, stdout, stderr)
	case "gen":
		return generate(ctx, args, getenv, stdout, stderr)
	case "extract":
		return extractCmd(ctx, args, stdin, stdout, stderr)
	case "loadtest-baseline": // the bare endpoint loadtest compares with
		return loadtestBaseline(ctx, getenv, stderr)
	case "ask", "console", "seed", "export", "import", "backup", "check", "run", "register", "serve":
	default:
		return usage("unknown subcommand %q; run onrecord help", sub)
	}
	cfg, err := config.Load(getenv, os.ReadFile)
	if err != nil {
		return usage("configuration: %v", err)
	}
	if (sub == "ask" || sub == "console") && getenv("ONRECORD_LOG_LEVEL") == "" {
		cfg.LogLevel = slog.LevelWarn // keep a terminal quiet unless asked
	}
	log := newLogger(cfg, stderr)

	fs := flag.NewFlagSet("onrecord "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbPath := fs.String("db", cfg.DB, "database file")
	var asker bot.Asker
	var askOpts bot.AskOptions
	var values string
	guild := cfg.GuildID
	if sub == "register" {
		fs.StringVar(&guild, "guild", cfg.GuildID, "register to this Discord server only (default $DISCORD_GUILD_ID; global when empty)")
	}
	if sub == "ask" || sub == "console" {
		fs.StringVar(&asker.Rank, "as", "member", "who asks: member, moderator or owner")
		fs.StringVar(&asker.GuildID, "guild", bot.ConsoleGuildID, "the Discord server the command comes from")
		fs.StringVar(&asker.UserID, "user", bot.ConsoleUserID, "the Discord user who sends it")
		fs.BoolVar(&asker.DM, "dm", false, "send from a direct message")
		if sub == "ask" {
			fs.BoolVar(&askOpts.JSON, "json", false, "print the exact InteractionResponse JSON")
			fs.BoolVar(&askOpts.Autocomplete, "autocomplete", false, "send the line as autocomplete sends it while it is typed")
			fs.StringVar(&askOpts.Component, "component", "", "press the button (or choose in the menu) with this custom_id")
			fs.StringVar(&values, "values", "", "with --component: the menu options chosen, comma-separated")
			fs.StringVar(&askOpts.Modal, "modal", "", "submit the form with this custom_id")
			fs.Var(fieldsFlag{&askOpts.Fields}, "field", "with --modal: a form field, NAME=VALUE (repeat for each)")
			fs.StringVar(&askOpts.Attach, "attach", "", "a local file for the command's file option")
			fs.StringVar(&askOpts.Out, "out", "", "write files the bot attaches to its reply into this directory")
		}
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usage("%v", err)
	}
	rest := fs.Args()

	switch sub {
	case "ask":
		if values != "" {
			askOpts.Values = strings.Split(values, ",")
		}
		switch {
		case askOpts.Modal != "" && (len(rest) > 0 || askOpts.Component != ""):
			return usage("ask --modal submits a form: give no command line or --component with it")
		case askOpts.Modal == "" && len(askOpts.Fields) > 0:
			return usage("--field goes with --modal")
		case askOpts.Modal != "":
		case askOpts.Component != "" && len(rest) > 0:
			return usage("ask --component presses a button: give no command line with it")
		case askOpts.Component == "" && values != "":
			return usage("--values goes with --component")
		case askOpts.Component == "" && len(rest) == 0:
			return usage("ask needs a command, for example: onrecord ask '/who Hugh Ind'")
		}
	case "import", "backup":
		if len(rest) != 1 {
			return usage("%s needs exactly one FILE", sub)
		}
	default:
		if len(rest) > 0 {
			return usage("%s takes no arguments, got %q", sub, strings.Join(rest, " "))
		}
	}

	if sub == "check" {
		if _, err := os.Stat(*dbPath); err != nil {
			return fmt.Errorf("no database to check at %s", *dbPath)
		}
	}
	store, err := db.Open(ctx, *dbPath, db.Options{Seed: sub != "import", Logger: log})
	if err != nil {
		return err
	}
	defer store.Close()

	switch sub {
	case "ask", "console":
		if asker.Rank == "owner" {
			cfg.OwnerIDs = append(cfg.OwnerIDs, asker.UserID)
		}
		d := &bot.Dispatcher{Router: newRouter(store, bot.ConsoleDeps(log), cfg, nil), Owners: cfg.OwnerIDs, Log: log}
		if sub == "console" {
			return bot.Console(ctx, d, asker, stdin, stdout)
		}
		return bot.Ask(ctx, d, asker, strings.Join(rest, " "), askOpts, stdout)
	case "run":
		serverGC(getenv)
		deps, err := bot.DiscordDeps(gatewayConfig(cfg, log))
		if err != nil {
			return err
		}
		metrics := bot.NewMetrics(func(ctx context.Context) (map[string]int, error) { return store.Count(ctx) })
		d := &bot.Dispatcher{Router: newRouter(store, deps, cfg, metrics), Owners: cfg.OwnerIDs, Log: log, Metrics: metrics}
		gc := gatewayConfig(cfg, log)
		gc.Metrics = metrics
		if cfg.HTTPAddr == "" {
			return bot.RunGateway(ctx, gc, d, store)
		}
		// Health, readiness and metrics beside the gateway.
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		ops := make(chan error, 1)
		go func() {
			ops <- bot.ListenAndServe(ctx, cfg.HTTPAddr, bot.OpsMux(store.Ping, metrics), 2*time.Second, log, nil)
		}()
		err = bot.RunGateway(ctx, gc, d, store)
		cancel()
		if opsErr := <-ops; err == nil {
			err = opsErr
		}
		return err
	case "serve":
		serverGC(getenv)
		key, err := hex.DecodeString(cfg.PublicKey)
		if err != nil || len(key) != ed25519.PublicKeySize {
			return usage("serve needs DISCORD_PUBLIC_KEY: the application's Public Key from the Discord developer portal")
		}
		metrics := bot.NewMetrics(func(ctx context.Context) (map[string]int, error) { return store.Count(ctx) })
		gc := gatewayConfig(cfg, log)
		gc.Metrics = metrics
		deps := commands.Deps{}
		if cfg.Token != "" {
			if deps, err = bot.DiscordDeps(gc); err != nil {
				return err
			}
		}
		d := &bot.Dispatcher{Router: newRouter(store, deps, cfg, metrics), Owners: cfg.OwnerIDs, Log: log, Metrics: metrics}
		if path := getenv("ONRECORD_CPUPROFILE"); path != "" {
			// For onrecord loadtest --cpuprofile: where serve's CPU time goes.
			f, err := os.Create(path)
			if err != nil {
				return err
			}
			defer f.Close()
			if err := pprof.StartCPUProfile(f); err != nil {
				return err
			}
			defer pprof.StopCPUProfile()
		}
		addr := cfg.HTTPAddr
		if addr == "" {
			addr = config.DefaultHTTPAddr
		}
		return bot.Serve(ctx, bot.HTTPConfig{Addr: addr, PublicKey: ed25519.PublicKey(key), Discord: gc, Ready: store.Ping, Metrics: metrics, Log: log}, d, nil)
	case "register":
		return register(ctx, cfg, guild, store, log, stdout)
	case "seed":
		rep, err := store.ApplySeed(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "seed applied to %s: %d added, %d updated, %d unchanged\n", store.Path(), rep.Added, rep.Updated, rep.Unchanged)
		if len(rep.Dropped) > 0 {
			fmt.Fprintf(stdout, "left as they are (no longer in the seed): %s\n", strings.Join(rep.Dropped, ", "))
		}
		return nil
	case "export":
		ds, err := store.Export(ctx, nil)
		if err != nil {
			return err
		}
		return knowledge.EncodeDataset(stdout, ds)
	case "import":
		if err := importFile(ctx, store, rest[0], stdin, stdout); err != nil {
			store.Discard() // a new database stays absent rather than empty
			return err
		}
		return nil
	case "check":
		problems, err := store.Check(ctx)
		if err != nil {
			return err
		}
		for _, p := range problems {
			fmt.Fprintln(stdout, p)
		}
		if len(problems) > 0 {
			return fmt.Errorf("%s has %d problems", store.Path(), len(problems))
		}
		fmt.Fprintf(stdout, "%s is whole: integrity, indexes, history and audit check out\n", store.Path())
		return nil
	case "backup":
		if err := store.Backup(ctx, rest[0]); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "backed up %s to %s\n", store.Path(), rest[0])
		return nil
	}
	return nil
}

// fieldsFlag collects repeated --field NAME=VALUE flags.
type fieldsFlag struct{ m *map[string]string }

func (f fieldsFlag) String() string { return "" }

func (f fieldsFlag) Set(v string) error {
	name, value, ok := strings.Cut(v, "=")
	if !ok || name == "" {
		return fmt.Errorf("want NAME=VALUE, got %q", v)
	}
	if *f.m == nil {
		*f.m = map[string]string{}
	}
	(*f.m)[name] = value
	return nil
}

// gatewayConfig is the gateway part of the configuration.
func gatewayConfig(cfg config.Config, log *slog.Logger) bot.GatewayConfig {
	return bot.GatewayConfig{
		Token: cfg.Token.Reveal(), APIURL: cfg.APIURL, ApplicationID: cfg.ApplicationID, GuildID: cfg.GuildID,
		ShardID: cfg.ShardID, ShardCount: cfg.ShardCount, Log: log,
	}
}

// register bulk-overwrites the commands now, globally or in guild.
func register(ctx context.Context, cfg config.Config, guild string, store *db.Store, log *slog.Logger, stdout io.Writer) error {
	if guild != "" && !knowledge.ValidSnowflake(guild) {
		return usage("--guild must be a Discord server id (digits), not %q", guild)
	}
	gc := gatewayConfig(cfg, log)
	s, err := bot.NewSession(gc)
	if err != nil {
		return err
	}
	appID, err := bot.ApplicationID(ctx, s, cfg.ApplicationID)
	if err != nil {
		return err
	}
	defs := commands.NewRouter(store, commands.Deps{}).Definitions()
	if _, err := bot.Register(ctx, s, store, appID, guild, defs, true); err != nil {
		return err
	}
	where := "globally (Discord may take a while to show them everywhere)"
	if guild != "" {
		where = "in server " + guild
	}
	fmt.Fprintf(stdout, "registered %d commands for application %s %s\n", len(defs), appID, where)
	return nil
}

// importFile loads the export in file ("-" for standard input) into store.
func importFile(ctx context.Context, store *db.Store, file string, stdin io.Reader, stdout io.Writer) error {
	var r io.Reader = stdin
	if file != "-" {
		f, err := os.Open(file)
		if err != nil {
			var pe *fs.PathError
			reason := "it cannot be opened"
			if errors.As(err, &pe) {
				reason = pe.Err.Error()
			}
			return knowledge.Wrap(err, knowledge.CodeInvalid, "cannot read "+file+": "+reason)
		}
		defer f.Close()
		r = f
	}
	ds, err := knowledge.DecodeDataset(io.LimitReader(r, 512<<20))
	if err != nil {
		return err
	}
	n, err := store.Import(ctx, ds)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "imported %d records into %s\n", n, store.Path())
	return nil
}

// newLogger returns the process logger: text or JSON on w, at the
// configured level.
func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// newRouter returns the routing table over store, keeping as many answers
// as the configuration says and reporting them in metrics.
func newRouter(store *db.Store, deps commands.Deps, cfg config.Config, metrics *bot.Metrics) *commands.Router {
	rt := commands.NewRouter(store, deps)
	rt.SetAnswerCache(cfg.AnswerCache)
	metrics.WatchAnswerCache(rt)
	return rt
}

// generate writes a synthetic knowledge base to a new database file,
// through the same path as onrecord import.
func generate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("onrecord gen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	people := fs.Int("people", 1000, "people to generate")
	claims := fs.Int("claims", 10000, "claims to generate")
	seed := fs.Uint64("seed", 1, "the same seed gives the same knowledge base")
	if err := fs.Parse(args); err != nil {
		return usage("%v", err)
	}
	if fs.NArg() != 1 {
		return usage("gen needs exactly one PATH for the new database")
	}
	if *people < 10 || *people > 10_000_000 || *claims < 1 || *claims > 50_000_000 {
		return usage("gen makes 10 to 10,000,000 people and 1 to 50,000,000 claims")
	}
	path := fs.Arg(0)
	if _, err := os.Stat(path); err == nil {
		return usage("%s exists already: gen writes a new file", path)
	}
	cfg, err := config.Load(getenv, os.ReadFile)
	if err != nil {
		return usage("configuration: %v", err)
	}
	log := newLogger(cfg, stderr)
	start := time.Now()
	ds := synth.Generate(synth.Options{People: *people, Claims: *claims, Seed: *seed})
	log.Info("generated", "people", len(ds.People), "claims", len(ds.Claims), "excerpts", len(ds.Excerpts), "documents", len(ds.Documents),
		"evidence", len(ds.Evidence), "took", time.Since(start).Round(time.Millisecond))
	store, err := db.Open(ctx, path, db.Options{Logger: log})
	if err != nil {
		return err
	}
	n, err := store.Import(ctx, ds)
	if err != nil {
		store.Discard()
		return err
	}
	if err := store.Close(); err != nil {
		return err
	}
	st, err := os.Stat(path)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %d records (%d people, %d claims) to %s: %.1f MB in %s\n", n, len(ds.People), len(ds.Claims), path,
		float64(st.Size())/1e6, time.Since(start).Round(time.Second))
	return nil
}

// serverGC lets the garbage collector run a quarter as often as Go's
// default in the long-running servers, unless GOGC says otherwise: their
// live heap is tens of megabytes, and collecting less often keeps a
// busy bot's p99 latency under a millisecond (see BENCHMARKS.md).
func serverGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
}
