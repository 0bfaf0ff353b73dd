package bot_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/onrecord/onrecord/bot"
	"github.com/onrecord/onrecord/bot/discordtest"
	"github.com/onrecord/onrecord/commands"
	"github.com/onrecord/onrecord/knowledge"
)

// stubStore answers every name with one person, after delay, or panics.
// Only /who works: the embedded Store is nil.
type stubStore struct {
	commands.Store
	delay time.Duration
	panic bool
	gen   atomic.Uint64
}

// Generation changes on every call, so that every question reaches the stub.
func (s *stubStore) Generation(context.Context) uint64 { return s.gen.Add(1) }

func (s *stubStore) FindPerson(ctx context.Context, _ knowledge.Scope, q string) (knowledge.Resolution, error) {
	if s.panic {
		panic("stub store: boom")
	}
	select {
	case <-time.After(s.delay):
	case <-ctx.Done():
		return knowledge.Resolution{}, ctx.Err()
	}
	c := knowledge.Candidate{PersonID: "p-hugh-ind", Name: "Hugh Ind", Forms: []string{"Hugh Ind"}}
	return knowledge.Resolve(q, []knowledge.Candidate{c}), nil
}

func (s *stubStore) PersonProfile(context.Context, knowledge.Scope, string) (*knowledge.PersonProfile, error) {
	return &knowledge.PersonProfile{Person: knowledge.Person{Record: knowledge.Record{ID: "p-hugh-ind"}, Name: "Hugh Ind",
		Summary: "Head of the Home Office's Immigration Enforcement agency."}, Statuses: map[knowledge.Status]int{}}, nil
}

// memMeta is a MetaStore in a map.
type memMeta struct {
	mu sync.Mutex
	m  map[string]string
}

func (m *memMeta) Meta(_ context.Context, k string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.m[k], nil
}

func (m *memMeta) SetMeta(_ context.Context, k, v string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.m == nil {
		m.m = map[string]string{}
	}
	m.m[k] = v
	return nil
}

// syncBuffer is a bytes.Buffer safe for the logger's concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type running struct {
	cancel context.CancelFunc
	done   chan error
	logs   *syncBuffer
	once   sync.Once
	err    error
	took   time.Duration
}

// stop cancels the bot and returns what RunGateway returned; it fails the
// test when the bot takes more than 10 seconds to stop.
func (r *running) stop(t *testing.T) error {
	t.Helper()
	r.once.Do(func() {
		start := time.Now()
		r.cancel()
		select {
		case r.err = <-r.done:
		case <-time.After(15 * time.Second):
			r.err = errors.New("did not stop within 15 seconds")
		}
		r.took = time.Since(start)
	})
	if r.took > 10*time.Second {
		t.Errorf("stopping took %v, more than 10 seconds", r.took)
	}
	return r.err
}

// startBot runs the gateway bot against f with store behind the router.
func startBot(t *testing.T, f *discordtest.Fake, store commands.Store, meta bot.MetaStore, mutate func(*bot.GatewayConfig)) *running {
	t.Helper()
	logs := &syncBuffer{}
	log := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	cfg := bot.GatewayConfig{Token: f.Token, APIURL: f.APIBase, DeferAfter: 2 * time.Second, Log: log}
	if mutate != nil {
		mutate(&cfg)
	}
	d := &bot.Dispatcher{Router: commands.NewRouter(store, commands.Deps{}), Log: log}
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{cancel: cancel, done: make(chan error, 1), logs: logs}
	go func() { r.done <- bot.RunGateway(ctx, cfg, d, meta) }()
	t.Cleanup(func() { r.stop(t) })
	if !f.WaitConnected(10 * time.Second) {
		select {
		case err := <-r.done:
			t.Fatalf("the bot stopped: %v\n%s", err, logs.String())
		default:
		}
		t.Fatalf("the bot did not connect\n%s", logs.String())
	}
	// Start-up is over once the commands are registered (or found unchanged).
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(logs.String(), "commands") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	return r
}

// ask dispatches /who Hugh Ind and waits for the answer.
func ask(t *testing.T, f *discordtest.Fake) *discordgo.InteractionResponse {
	t.Helper()
	p, err := f.SlashCommand(discordtest.Member(), "who", "name", "Hugh Ind")
	if err != nil {
		t.Fatal(err)
	}
	resp, err := p.Await(5 * time.Second)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func answered(t *testing.T, resp *discordgo.InteractionResponse) {
	t.Helper()
	if resp.Type != discordgo.InteractionResponseChannelMessageWithSource || resp.Data == nil || len(resp.Data.Embeds) == 0 ||
		resp.Data.Embeds[0].Title != "Hugh Ind" {
		t.Fatalf("not the answer to /who Hugh Ind: %+v", resp)
	}
}

func TestDefaultAPIURLIsDiscordgos(t *testing.T) {
	if bot.DefaultAPIURL+"/" != discordgo.EndpointAPI {
		t.Fatalf("DefaultAPIURL %q, discordgo's EndpointAPI %q", bot.DefaultAPIURL, discordgo.EndpointAPI)
	}
}

func TestGatewayAnswersAndRegistersOnce(t *testing.T) {
	f := discordtest.NewFake(t)
	meta := &memMeta{}
	r := startBot(t, f, &stubStore{}, meta, nil)
	answered(t, ask(t, f))
	waitRegistered(t, meta, 1)
	if err := r.stop(t); err != nil {
		for _, rq := range f.Requests() {
			t.Logf("%s %s %d %s", rq.Method, rq.Path, rq.Status, rq.At.Format("05.000"))
		}
		t.Fatalf("stop: %v\n%s", err, r.logs.String())
	}
	if n := f.CommandPuts(); n != 1 {
		t.Fatalf("%d command registrations on the first start, want 1", n)
	}
	var names []string
	for _, c := range f.Commands("") {
		names = append(names, c.Name)
	}
	var want []string
	for _, d := range commands.NewRouter(&stubStore{}, commands.Deps{}).Definitions() {
		want = append(want, d.Name)
	}
	if strings.Join(names, ",") != strings.Join(want, ",") {
		t.Fatalf("registered %v, the router has %v", names, want)
	}
	r = startBot(t, f, &stubStore{}, meta, nil)
	answered(t, ask(t, f))
	time.Sleep(200 * time.Millisecond) // time enough to register, were it going to
	if err := r.stop(t); err != nil {
		t.Fatalf("second stop: %v", err)
	}
	if n := f.CommandPuts(); n != 1 {
		t.Fatalf("a restart with the same definitions registered again (%d)", n)
	}
	// A development server gets its own registration.
	r = startBot(t, f, &stubStore{}, meta, func(c *bot.GatewayConfig) { c.GuildID = discordtest.GuildID })
	waitRegistered(t, meta, 2)
	r.stop(t)
	if len(f.Commands(discordtest.GuildID)) != len(want) || f.CommandPuts() != 2 {
		t.Fatalf("guild registration: %d commands, %d puts", len(f.Commands(discordtest.GuildID)), f.CommandPuts())
	}
}

// waitRegistered waits until the bot has remembered n registrations.
func waitRegistered(t *testing.T, m *memMeta, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		m.mu.Lock()
		got := len(m.m)
		m.mu.Unlock()
		if got >= n {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("the bot did not finish registering %d times", n)
}

// waitCounts waits until IDENTIFY plus RESUME counts exceed before.
func waitCounts(f *discordtest.Fake, before int, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		ids, res, _ := f.Counts()
		if ids+res > before && f.Connected() > 0 {
			return true
		}
		time.Sleep(20 * time.Millisecond)
	}
	return false
}

func TestGatewayDefersSlowHandlers(t *testing.T) {
	f := discordtest.NewFake(t)
	startBot(t, f, &stubStore{delay: 600 * time.Millisecond}, &memMeta{}, func(c *bot.GatewayConfig) { c.DeferAfter = 150 * time.Millisecond })
	p, err := f.SlashCommand(discordtest.Member(), "who", "name", "Hugh Ind")
	if err != nil {
		t.Fatal(err)
	}
	resp, err := p.Await(3 * time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource {
		t.Fatalf("first response type %d, want a deferred response (5)", resp.Type)
	}
	if d := p.RespondedAfter(); d > time.Second {
		t.Fatalf("deferred after %v", d)
	}
	edit, err := p.AwaitEdit(5 * time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if edit.Embeds == nil || len(*edit.Embeds) == 0 || (*edit.Embeds)[0].Title != "Hugh Ind" {
		t.Fatalf("the edit is not the answer: %+v", edit)
	}
	if edit.AllowedMentions == nil || edit.AllowedMentions.Parse == nil || len(edit.AllowedMentions.Parse) != 0 {
		t.Fatal("the edit does not disable mentions")
	}
}

func TestGatewaySurvivesPanics(t *testing.T) {
	f := discordtest.NewFake(t)
	r := startBot(t, f, &stubStore{panic: true}, &memMeta{}, nil)
	for range 2 {
		p, err := f.SlashCommand(discordtest.Member(), "who", "name", "Hugh Ind")
		if err != nil {
			t.Fatalf("the bot is gone after a panic: %v", err)
		}
		resp, err := p.Await(5 * time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if resp.Data == nil || resp.Data.Flags&discordgo.MessageFlagsEphemeral == 0 || !strings.Contains(resp.Data.Content, "Sorry") {
			t.Fatalf("no ephemeral apology: %+v", resp.Data)
		}
	}
	if !strings.Contains(r.logs.String(), `"outcome":"panic"`) {
		t.Fatal("the panic was not logged")
	}
}

func TestGatewayAuthenticationFailure(t *testing.T) {
	tests := []struct {
		name  string
		setup func(f *discordtest.Fake, cfg *bot.GatewayConfig)
	}{
		{"close 4004 at identify", func(f *discordtest.Fake, _ *bot.GatewayConfig) { f.RefuseIdentify(4004) }},
		{"401 from REST", func(_ *discordtest.Fake, cfg *bot.GatewayConfig) { cfg.Token = "revoked.token" }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := discordtest.NewFake(t)
			cfg := bot.GatewayConfig{Token: f.Token, APIURL: f.APIBase}
			tc.setup(f, &cfg)
			d := &bot.Dispatcher{Router: commands.NewRouter(&stubStore{}, commands.Deps{})}
			done := make(chan error, 1)
			go func() { done <- bot.RunGateway(context.Background(), cfg, d, &memMeta{}) }()
			select {
			case err := <-done:
				var ae *bot.AuthError
				if !errors.As(err, &ae) || !strings.Contains(err.Error(), "authentication failed") {
					t.Fatalf("RunGateway returned %v, want an authentication error", err)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("the bot kept trying instead of stopping")
			}
		})
	}
}

// TestGatewayAuthenticationFailureLater revokes the token mid-session: the
// reconnect meets close 4004 and the bot stops instead of looping.
func TestGatewayAuthenticationFailureLater(t *testing.T) {
	f := discordtest.NewFake(t)
	r := startBot(t, f, &stubStore{}, &memMeta{}, nil)
	f.RefuseIdentify(4004)
	f.DropConnections()
	select {
	case err := <-r.done:
		var ae *bot.AuthError
		if !errors.As(err, &ae) {
			t.Fatalf("RunGateway returned %v, want an authentication error", err)
		}
		r.once.Do(func() {}) // already stopped
	case <-time.After(15 * time.Second):
		t.Fatalf("the bot kept reconnecting:\n%s", r.logs.String())
	}
}

func TestGatewayShutdownFinishesInFlight(t *testing.T) {
	f := discordtest.NewFake(t)
	r := startBot(t, f, &stubStore{delay: 800 * time.Millisecond}, &memMeta{}, nil)
	p, err := f.SlashCommand(discordtest.Member(), "who", "name", "Hugh Ind")
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond) // the interaction is in flight
	if err := r.stop(t); err != nil {
		t.Fatalf("shutdown returned %v", err)
	}
	resp, err := p.Await(time.Second)
	if err != nil {
		t.Fatalf("the interaction in flight was dropped: %v", err)
	}
	answered(t, resp)
	if f.Connected() != 0 {
		t.Fatal("the gateway is still connected after shutdown")
	}
}

// TestGatewayNeverLogsTheToken runs at debug level through a reconnect:
// nothing logged holds the token.
func TestGatewayNeverLogsTheToken(t *testing.T) {
	f := discordtest.NewFake(t)
	r := startBot(t, f, &stubStore{}, &memMeta{}, nil)
	ids, res, _ := f.Counts()
	f.DropConnections()
	if !waitCounts(f, ids+res, 10*time.Second) {
		t.Fatalf("no reconnect:\n%s", r.logs.String())
	}
	answered(t, ask(t, f))
	r.stop(t)
	if logs := r.logs.String(); strings.Contains(logs, f.Token) || !strings.Contains(logs, "reconnect") {
		t.Fatalf("token in the logs, or the reconnect not logged:\n%s", logs)
	}
}

func TestGatewayIdentifiesWithNoIntentsAndItsShard(t *testing.T) {
	f := discordtest.NewFake(t)
	startBot(t, f, &stubStore{}, &memMeta{}, func(c *bot.GatewayConfig) { c.ShardID, c.ShardCount = 1, 2 })
	intents, shard := f.LastIdentify()
	if intents != 0 {
		t.Errorf("identified with intents %d; slash commands need none", intents)
	}
	if len(shard) != 2 || shard[0] != 1 || shard[1] != 2 {
		t.Errorf("identified as shard %v, want [1 2]", shard)
	}
	answered(t, ask(t, f))
}

func TestGatewayStopsWhenRegistrationIsRefused(t *testing.T) {
	f := discordtest.NewFake(t)
	f.FailNext("PUT", "/applications/", http.StatusBadRequest, 0, 1)
	d := &bot.Dispatcher{Router: commands.NewRouter(&stubStore{}, commands.Deps{})}
	done := make(chan error, 1)
	go func() {
		done <- bot.RunGateway(context.Background(), bot.GatewayConfig{Token: f.Token, APIURL: f.APIBase}, d, &memMeta{})
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "Discord refused them") || !strings.Contains(err.Error(), "400") {
			t.Fatalf("RunGateway returned %v, want the refusal with Discord's answer", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a refused registration did not stop start-up")
	}
}
