package bot

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"

	"github.com/onrecord/onrecord/commands"
)

// DefaultAPIURL is the REST base discordgo v0.29 is built for (its
// EndpointAPI); DISCORD_API_URL replaces it.
const DefaultAPIURL = "https://discord.com/api/v9"

// GatewayConfig is what the gateway bot needs to connect.
type GatewayConfig struct {
	Token         string // the bot token, without "Bot "
	APIURL        string // REST base including the version; DefaultAPIURL when empty
	ApplicationID string // learnt from READY when empty
	GuildID       string // register commands to this guild only; global when empty
	ShardID       int
	ShardCount    int
	// DeferAfter is how long a handler may run before the interaction is
	// acknowledged with a deferred response; 2 seconds when zero.
	DeferAfter time.Duration
	// ShutdownGrace bounds how long shutdown waits for interactions in
	// flight; 7 seconds when zero, so that the whole shutdown stays within 10.
	ShutdownGrace time.Duration
	Log           *slog.Logger
	Metrics       *Metrics // nil records nothing
}

// MetaStore keeps small facts across restarts: here, the hash of the
// command definitions last registered, so that a restart with the same
// definitions registers nothing.
type MetaStore interface {
	// Meta returns the value stored under key, or "" when there is none.
	Meta(ctx context.Context, key string) (string, error)
	// SetMeta stores value under key.
	SetMeta(ctx context.Context, key, value string) error
}

// AuthError means Discord refused the bot's token (gateway close 4004 or
// REST 401): reconnecting cannot help.
type AuthError struct{ Err error }

func (e *AuthError) Error() string {
	return "authentication failed: Discord refused the bot token (check DISCORD_TOKEN): " + e.Err.Error()
}

func (e *AuthError) Unwrap() error { return e.Err }

// fatalClose returns the error to stop on for a gateway close code that a
// reconnect cannot fix, or nil.
func fatalClose(err error) error {
	var ce *websocket.CloseError
	if !errors.As(err, &ce) {
		return nil
	}
	switch ce.Code {
	case 4004:
		return &AuthError{Err: err}
	case 4010:
		return fmt.Errorf("invalid shard: check DISCORD_SHARD_ID and DISCORD_SHARD_COUNT: %w", err)
	case 4011:
		return fmt.Errorf("sharding required: this bot is in too many servers for one shard; set DISCORD_SHARD_COUNT: %w", err)
	case 4012:
		return fmt.Errorf("invalid gateway version: %w", err)
	case 4013, 4014:
		return fmt.Errorf("intents refused by Discord: %w", err)
	}
	return nil
}

// restStatus returns the HTTP status of a discordgo REST error, or 0.
func restStatus(err error) int {
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Response != nil {
		return re.Response.StatusCode
	}
	return 0
}

// NewSession returns a discordgo session for cfg: REST sent to cfg.APIURL
// through the session's own HTTP client (no discordgo globals changed), no
// gateway intents (interactions need none), the shard set, discordgo's own
// logging off (its debug output prints the IDENTIFY payload, token
// included; OnRecord logs the gateway itself), and reconnection left to
// the caller.
func NewSession(cfg GatewayConfig) (*discordgo.Session, error) {
	if strings.TrimSpace(cfg.Token) == "" {
		return nil, errors.New("DISCORD_TOKEN is not set: give the bot token from the Discord developer portal")
	}
	s, err := discordgo.New("Bot " + cfg.Token)
	if err != nil {
		return nil, fmt.Errorf("create session: %w", err)
	}
	rt, err := rebaseTransport(cfg.APIURL, http.DefaultTransport)
	if err != nil {
		return nil, err
	}
	s.Client = &http.Client{Timeout: 20 * time.Second, Transport: rt}
	s.Identify.Intents = discordgo.IntentsNone
	s.ShardID, s.ShardCount = cfg.ShardID, max(cfg.ShardCount, 1)
	s.LogLevel = -1 // discordgo logs nothing at all
	s.ShouldReconnectOnError = false
	s.StateEnabled = false
	return s, nil
}

// rebaseTransport returns a RoundTripper that sends requests for
// discordgo's built-in REST base to apiURL instead.
func rebaseTransport(apiURL string, next http.RoundTripper) (http.RoundTripper, error) {
	if apiURL == "" || strings.TrimRight(apiURL, "/") == DefaultAPIURL {
		return next, nil
	}
	to, err := url.Parse(strings.TrimRight(apiURL, "/"))
	if err != nil || (to.Scheme != "http" && to.Scheme != "https") || to.Host == "" {
		return nil, fmt.Errorf("DISCORD_API_URL %q is not an http(s) URL", apiURL)
	}
	from, _ := url.Parse(DefaultAPIURL)
	return &rebase{from: from, to: to, next: next}, nil
}

type rebase struct {
	from, to *url.URL
	next     http.RoundTripper
}

func (rb *rebase) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Host != rb.from.Host || !strings.HasPrefix(req.URL.Path, rb.from.Path) {
		return rb.next.RoundTrip(req)
	}
	out := req.Clone(req.Context())
	out.URL.Scheme, out.URL.Host = rb.to.Scheme, rb.to.Host
	out.URL.Path = rb.to.Path + strings.TrimPrefix(req.URL.Path, rb.from.Path)
	out.URL.RawPath = ""
	out.Host = ""
	return rb.next.RoundTrip(out)
}

// CommandsHash returns the hash of command definitions that decides
// whether they must be registered again.
func CommandsHash(defs []*discordgo.ApplicationCommand) (string, error) {
	b, err := json.Marshal(defs)
	if err != nil {
		return "", fmt.Errorf("encode command definitions: %w", err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

// Register bulk-overwrites the application's commands with defs, globally
// or in guild, unless force is false and the same definitions were the
// last registered there. It reports whether it registered. A refusal is
// returned with Discord's own message.
func Register(ctx context.Context, s *discordgo.Session, meta MetaStore, appID, guild string, defs []*discordgo.ApplicationCommand, force bool) (bool, error) {
	hash, err := CommandsHash(defs)
	if err != nil {
		return false, err
	}
	key := "commands:" + appID + ":" + guild
	if guild == "" {
		key += "global"
	}
	if !force {
		prev, err := meta.Meta(ctx, key)
		if err != nil {
			return false, fmt.Errorf("read registered commands hash: %w", err)
		}
		if prev == hash {
			return false, nil
		}
	}
	if _, err := s.ApplicationCommandBulkOverwrite(appID, guild, defs, discordgo.WithContext(ctx)); err != nil {
		if restStatus(err) == http.StatusUnauthorized {
			return false, &AuthError{Err: err}
		}
		return false, fmt.Errorf("register commands: Discord refused them: %w", err)
	}
	if err := meta.SetMeta(ctx, key, hash); err != nil {
		return false, fmt.Errorf("remember registered commands: %w", err)
	}
	return true, nil
}

// ApplicationID returns cfg's application id, or asks Discord for it.
func ApplicationID(ctx context.Context, s *discordgo.Session, configured string) (string, error) {
	if configured != "" {
		return configured, nil
	}
	app, err := s.Application("@me")
	if err != nil {
		if restStatus(err) == http.StatusUnauthorized {
			return "", &AuthError{Err: err}
		}
		return "", fmt.Errorf("ask Discord for the application id: %w", err)
	}
	return app.ID, nil
}

// Gateway is the bot connected to Discord's gateway: it answers every
// interaction through the Dispatcher, defers those that take long, keeps
// the connection alive across drops and reconnect requests, and stops on
// errors a reconnect cannot fix.
type Gateway struct {
	cfg      GatewayConfig
	d        *Dispatcher
	meta     MetaStore
	s        *discordgo.Session
	log      *slog.Logger
	inflight sync.WaitGroup
	mu       sync.Mutex // guards closing and inflight.Add against shutdown
	closing  bool
	fatal    chan error
	appID    atomic.Value // string
}

// RunGateway connects to Discord, registers the commands when their
// definitions changed, and answers interactions until ctx is cancelled; it
// then stops taking new interactions, finishes those in flight (within
// ShutdownGrace), closes the gateway and returns nil. It returns an error
// at once for what a reconnect cannot fix: a refused token (*AuthError), a
// bad shard, refused command definitions.
func RunGateway(ctx context.Context, cfg GatewayConfig, d *Dispatcher, meta MetaStore) error {
	s, err := NewSession(cfg)
	if err != nil {
		return err
	}
	g := &Gateway{cfg: cfg, d: d, meta: meta, s: s, log: cfg.Log, fatal: make(chan error, 1)}
	if g.log == nil {
		g.log = slog.New(slog.DiscardHandler)
	}
	if g.cfg.DeferAfter == 0 {
		g.cfg.DeferAfter = 2 * time.Second
	}
	if g.cfg.ShutdownGrace == 0 {
		g.cfg.ShutdownGrace = 7 * time.Second
	}
	return g.run(ctx)
}

func (g *Gateway) run(ctx context.Context) error {
	ready := make(chan *discordgo.Ready, 1)
	disconnected := make(chan struct{}, 1)
	g.s.AddHandler(func(_ *discordgo.Session, r *discordgo.Ready) {
		if r.Application != nil {
			g.appID.Store(r.Application.ID)
		}
		g.log.Info("gateway ready", "session", r.SessionID, "shard", r.Shard, "guilds", len(r.Guilds))
		select {
		case ready <- r:
		default:
		}
	})
	g.s.AddHandler(func(_ *discordgo.Session, _ *discordgo.Resumed) { g.log.Info("gateway resumed") })
	g.s.AddHandler(func(_ *discordgo.Session, rl *discordgo.RateLimit) {
		g.cfg.Metrics.rateLimit()
		g.log.Warn("rate limited by Discord", "url", rl.URL, "retry_after", rl.RetryAfter)
	})
	g.s.AddHandler(func(_ *discordgo.Session, _ *discordgo.Disconnect) {
		select {
		case disconnected <- struct{}{}:
		default:
		}
	})
	g.s.AddHandler(g.onInteraction)

	g.log.Info("connecting to the Discord gateway", "api", cmp.Or(g.cfg.APIURL, DefaultAPIURL), "shard", g.cfg.ShardID, "shards", max(g.cfg.ShardCount, 1))
	if err := g.s.Open(); err != nil {
		if fe := fatalClose(err); fe != nil {
			return fe
		}
		if restStatus(err) == http.StatusUnauthorized {
			return &AuthError{Err: err}
		}
		// Discord (or the network) failed us: keep trying, as after a drop.
		g.log.Warn("could not connect to the Discord gateway", "error", err)
		if err := g.reconnect(ctx); err != nil {
			return err
		}
		if ctx.Err() != nil {
			return nil
		}
	}
	appID := g.cfg.ApplicationID
	if appID == "" {
		select {
		case <-ready:
		case <-time.After(10 * time.Second):
		case <-ctx.Done():
		}
		appID, _ = g.appID.Load().(string)
		if appID == "" {
			g.s.Close()
			return errors.New("the READY event from Discord did not give the application id; set DISCORD_APPLICATION_ID")
		}
	}
	registered, err := Register(ctx, g.s, g.meta, appID, g.cfg.GuildID, g.d.Router.Definitions(), false)
	if err != nil {
		if ctx.Err() != nil {
			return g.shutdown(nil) // asked to stop while registering
		}
		g.s.Close()
		return err
	}
	scope := "global"
	if g.cfg.GuildID != "" {
		scope = "guild " + g.cfg.GuildID
	}
	if registered {
		g.log.Info("registered commands", "application", appID, "scope", scope, "commands", len(g.d.Router.Definitions()))
	} else {
		g.log.Info("commands unchanged since the last registration", "application", appID, "scope", scope)
	}

	for {
		select {
		case <-ctx.Done():
			return g.shutdown(nil)
		case err := <-g.fatal:
			return g.shutdown(err)
		case <-disconnected:
			if g.isClosing() {
				continue
			}
			if err := g.reconnect(ctx); err != nil {
				return g.shutdown(err)
			}
		}
	}
}

// reconnect opens the gateway again (discordgo resumes the session when it
// can), backing off from one second to a minute, until it works, ctx ends,
// or Discord refuses in a way a reconnect cannot fix.
func (g *Gateway) reconnect(ctx context.Context) error {
	wait := time.Second
	for attempt := 1; ; attempt++ {
		if ctx.Err() != nil || g.isClosing() {
			return nil
		}
		g.log.Warn("reconnecting to the gateway", "attempt", attempt)
		err := g.s.Open()
		if err == nil || errors.Is(err, discordgo.ErrWSAlreadyOpen) {
			g.log.Info("gateway reconnected", "attempt", attempt)
			g.cfg.Metrics.reconnect()
			return nil
		}
		if fe := fatalClose(err); fe != nil {
			return fe
		}
		if restStatus(err) == http.StatusUnauthorized {
			return &AuthError{Err: err}
		}
		g.log.Warn("gateway reconnect failed", "attempt", attempt, "error", err, "retry_in", wait)
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return nil
		}
		wait = min(wait*2, time.Minute)
	}
}

func (g *Gateway) isClosing() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.closing
}

// enter registers an interaction in flight, unless shutdown has begun.
func (g *Gateway) enter() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closing {
		return false
	}
	g.inflight.Add(1)
	return true
}

// shutdown stops taking interactions, waits for those in flight (within
// ShutdownGrace), closes the gateway, and returns cause.
func (g *Gateway) shutdown(cause error) error {
	g.mu.Lock()
	g.closing = true
	g.mu.Unlock()
	g.log.Info("shutting down: finishing interactions in flight", "grace", g.cfg.ShutdownGrace)
	done := make(chan struct{})
	go func() {
		g.inflight.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(g.cfg.ShutdownGrace):
		g.log.Warn("shutdown grace over with interactions still in flight")
	}
	if err := g.s.Close(); err != nil {
		g.log.Warn("closing the gateway", "error", err)
	}
	g.log.Info("gateway closed")
	return cause
}

// onInteraction answers one INTERACTION_CREATE. discordgo runs it in its
// own goroutine without recover, so it recovers here too.
func (g *Gateway) onInteraction(s *discordgo.Session, ic *discordgo.InteractionCreate) {
	defer func() {
		if p := recover(); p != nil {
			g.log.Error("panic answering an interaction", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
		}
	}()
	if ic == nil || ic.Interaction == nil {
		return
	}
	if !g.enter() {
		return // shutting down: another instance (or the restart) will be asked again by the user
	}
	defer g.inflight.Done()
	i := ic.Interaction
	result := make(chan *discordgo.InteractionResponse, 1)
	go func() {
		resp, _ := g.d.Dispatch(context.Background(), i)
		result <- resp
	}()
	timer := time.NewTimer(g.cfg.DeferAfter)
	defer timer.Stop()
	select {
	case resp := <-result:
		g.respond(i, resp)
		return
	case <-timer.C:
	}
	if i.Type == discordgo.InteractionApplicationCommandAutocomplete {
		// Autocomplete cannot be deferred: answer with no choices rather
		// than miss the window.
		g.respond(i, &discordgo.InteractionResponse{Type: discordgo.InteractionApplicationCommandAutocompleteResult,
			Data: &discordgo.InteractionResponseData{Choices: []*discordgo.ApplicationCommandOptionChoice{}}})
		return
	}
	deferred := discordgo.InteractionResponseDeferredChannelMessageWithSource
	if i.Type == discordgo.InteractionMessageComponent {
		deferred = discordgo.InteractionResponseDeferredMessageUpdate
	}
	if !g.respond(i, &discordgo.InteractionResponse{Type: deferred}) {
		return
	}
	g.log.Info("interaction deferred", "interaction", i.ID, "after", g.cfg.DeferAfter)
	g.cfg.Metrics.deferral()
	if err := editOriginal(g.s, i, <-result); err != nil {
		g.restFailed("edit of the deferred response", i, err)
	}
}

// respond sends the first response to i and reports whether Discord took it.
func (g *Gateway) respond(i *discordgo.Interaction, resp *discordgo.InteractionResponse) bool {
	if err := g.s.InteractionRespond(i, resp); err != nil {
		g.restFailed("interaction response", i, err)
		return false
	}
	return true
}

// editOriginal replaces a deferred response with the finished one,
// through the REST API.
func editOriginal(s *discordgo.Session, i *discordgo.Interaction, resp *discordgo.InteractionResponse) error {
	edit := &discordgo.WebhookEdit{AllowedMentions: commands.NoMentions()}
	if resp.Data != nil {
		content := resp.Data.Content
		embeds := resp.Data.Embeds
		if embeds == nil {
			embeds = []*discordgo.MessageEmbed{}
		}
		components := resp.Data.Components
		if components == nil {
			components = []discordgo.MessageComponent{}
		}
		edit.Content, edit.Embeds, edit.Components = &content, &embeds, &components
		edit.Files = resp.Data.Files
	}
	if resp.Type == discordgo.InteractionResponseModal || (edit.Content != nil && *edit.Content == "" && len(*edit.Embeds) == 0) {
		msg := "Sorry, that took too long to show here. Please try again."
		edit.Content, edit.Embeds = &msg, &[]*discordgo.MessageEmbed{}
	}
	_, err := s.InteractionResponseEdit(i, edit)
	return err
}

// restFailed logs a REST failure, and stops the bot when Discord refused
// the token.
func (g *Gateway) restFailed(what string, i *discordgo.Interaction, err error) {
	status := restStatus(err)
	g.log.Error(what+" failed", "interaction", i.ID, "status", status, "error", err)
	g.cfg.Metrics.restError(status)
	if status == http.StatusUnauthorized {
		select {
		case g.fatal <- &AuthError{Err: err}:
		default:
		}
	}
}
