package bot_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
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

// countingStore counts the lookups that reach it.
type countingStore struct {
	stubStore
	calls atomic.Int64
}

func (c *countingStore) FindPerson(ctx context.Context, s knowledge.Scope, q string) (knowledge.Resolution, error) {
	c.calls.Add(1)
	return c.stubStore.FindPerson(ctx, s, q)
}

var clock = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

func whoBody(t *testing.T) []byte {
	t.Helper()
	b, err := json.Marshal(map[string]any{
		"id": "1279831541358297128", "application_id": "900000000000000004", "type": 2, "token": "tok", "version": 1,
		"data":     map[string]any{"id": "1", "name": "who", "type": 1, "options": []any{map[string]any{"name": "name", "type": 3, "value": "Hugh Ind"}}},
		"guild_id": "290926798626357999", "channel_id": "290926798626357999",
		"member": map[string]any{"user": map[string]any{"id": "53908232506183680", "username": "mason"}, "roles": []any{}, "permissions": "2147483647",
			"joined_at": "2017-03-13T19:19:14.040000+00:00", "deaf": false, "mute": false},
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func post(t *testing.T, url string, body []byte, sig, ts string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if sig != "" {
		req.Header.Set("X-Signature-Ed25519", sig)
	}
	if ts != "" {
		req.Header.Set("X-Signature-Timestamp", ts)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func newEndpoint(t *testing.T, store commands.Store, mutate func(*bot.HTTPConfig)) (*httptest.Server, ed25519.PrivateKey) {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg := bot.HTTPConfig{PublicKey: pub, Now: func() time.Time { return clock }}
	if mutate != nil {
		mutate(&cfg)
	}
	h, err := bot.NewInteractions(cfg, &bot.Dispatcher{Router: commands.NewRouter(store, commands.Deps{})})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv, priv
}

func TestSignatures(t *testing.T) {
	store := &countingStore{}
	srv, key := newEndpoint(t, store, nil)
	body := whoBody(t)
	sig, ts := bot.SignRequest(key, body, clock)
	_, other, _ := ed25519.GenerateKey(nil)
	otherSig, _ := bot.SignRequest(other, body, clock)
	staleSig, staleTs := bot.SignRequest(key, body, clock.Add(-6*time.Minute))
	futureSig, futureTs := bot.SignRequest(key, body, clock.Add(6*time.Minute))
	altered := bytes.Replace(body, []byte("Hugh Ind"), []byte("Amber Rudd"), 1)
	tests := []struct {
		name    string
		body    []byte
		sig, ts string
		status  int
	}{
		{"valid", body, sig, ts, http.StatusOK},
		{"signed with another key", body, otherSig, ts, http.StatusUnauthorized},
		{"missing signature", body, "", ts, http.StatusUnauthorized},
		{"missing timestamp", body, sig, "", http.StatusUnauthorized},
		{"malformed hex", body, "zz" + sig[2:], ts, http.StatusUnauthorized},
		{"wrong length", body, sig[:64], ts, http.StatusUnauthorized},
		{"body altered after signing", altered, sig, ts, http.StatusUnauthorized},
		{"timestamp not the signed one", body, sig, fmt.Sprint(clock.Unix() + 1), http.StatusUnauthorized},
		{"stale timestamp", body, staleSig, staleTs, http.StatusUnauthorized},
		{"future timestamp", body, futureSig, futureTs, http.StatusUnauthorized},
		{"timestamp not a number", body, sig, "yesterday", http.StatusUnauthorized},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := store.calls.Load()
			status, resp := post(t, srv.URL, tc.body, tc.sig, tc.ts)
			if status != tc.status {
				t.Fatalf("status %d, want %d: %s", status, tc.status, resp)
			}
			reached := store.calls.Load() != before
			if reached != (tc.status == http.StatusOK) {
				t.Fatalf("reached the handler: %v", reached)
			}
			if tc.status == http.StatusOK {
				s, err := discordtest.Shared()
				if err != nil {
					t.Fatal(err)
				}
				if err := s.ValidateCallback(resp); err != nil {
					t.Fatalf("Discord would refuse: %v", err)
				}
			}
		})
	}
}

func TestEndpointLimits(t *testing.T) {
	srv, key := newEndpoint(t, &stubStore{}, nil)
	ping := []byte(`{"id":"1","application_id":"2","type":1,"token":"t","version":1}`)
	sig, ts := bot.SignRequest(key, ping, clock)
	if status, body := post(t, srv.URL, ping, sig, ts); status != 200 || strings.TrimSpace(string(body)) != `{"type":1}` {
		t.Fatalf("PING: %d %s", status, body)
	}
	big := bytes.Repeat([]byte("x"), bot.MaxBody+1)
	sig, ts = bot.SignRequest(key, big, clock)
	if status, _ := post(t, srv.URL, big, sig, ts); status != http.StatusRequestEntityTooLarge {
		t.Fatalf("oversized body: %d", status)
	}
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Fatalf("GET: %d", resp.StatusCode)
	}
}

func TestEndpointConcurrency(t *testing.T) {
	srv, key := newEndpoint(t, &stubStore{delay: 20 * time.Millisecond}, nil)
	body := whoBody(t)
	sig, ts := bot.SignRequest(key, body, clock)
	const n = 96
	var wg sync.WaitGroup
	var ok atomic.Int64
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			status, resp := post(t, srv.URL, body, sig, ts)
			if status == 200 && bytes.Contains(resp, []byte(`"title":"Hugh Ind"`)) {
				ok.Add(1)
			}
		}()
	}
	wg.Wait()
	if ok.Load() != n {
		t.Fatalf("%d of %d concurrent requests answered", ok.Load(), n)
	}
}

// TestEndpointDefersSlowWork answers with a deferred response and edits
// the answer in through the REST API.
func TestEndpointDefersSlowWork(t *testing.T) {
	f := discordtest.NewFake(t)
	srv, key := newEndpoint(t, &stubStore{delay: 500 * time.Millisecond}, func(c *bot.HTTPConfig) {
		c.DeferAfter = 100 * time.Millisecond
		c.Discord = bot.GatewayConfig{Token: f.Token, APIURL: f.APIBase}
	})
	var m map[string]any
	json.Unmarshal(whoBody(t), &m)
	m["application_id"] = f.AppID
	body, _ := json.Marshal(m)
	p := f.AnsweredOverHTTP("1279831541358297128", "tok", []byte(`{"type":5}`))
	sig, ts := bot.SignRequest(key, body, clock)
	start := time.Now()
	status, resp := post(t, srv.URL, body, sig, ts)
	if status != 200 || strings.TrimSpace(string(resp)) != `{"type":5}` || time.Since(start) > time.Second {
		t.Fatalf("first answer %d %s after %v", status, resp, time.Since(start))
	}
	edit, err := p.AwaitEdit(5 * time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if edit.Embeds == nil || (*edit.Embeds)[0].Title != "Hugh Ind" {
		t.Fatalf("edit %+v", edit)
	}
}

func TestOpsEndpoints(t *testing.T) {
	m := bot.NewMetrics(func(context.Context) (map[string]int, error) { return map[string]int{"claim": 13}, nil })
	ready := true
	mux := bot.OpsMux(func(context.Context) error {
		if !ready {
			return fmt.Errorf("database is closed")
		}
		return nil
	}, m)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	get := func(path string) (int, string) {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if s, _ := get("/healthz"); s != 200 {
		t.Fatalf("healthz %d", s)
	}
	if s, _ := get("/readyz"); s != 200 {
		t.Fatalf("readyz %d", s)
	}
	ready = false
	if s, _ := get("/readyz"); s != 503 {
		t.Fatalf("readyz with the database closed: %d", s)
	}
	d := &bot.Dispatcher{Router: commands.NewRouter(&stubStore{}, commands.Deps{}), Metrics: m}
	i := &discordgo.Interaction{ID: "1", Type: discordgo.InteractionApplicationCommand, Data: discordgo.ApplicationCommandInteractionData{Name: "who",
		Options: []*discordgo.ApplicationCommandInteractionDataOption{{Name: "name", Type: discordgo.ApplicationCommandOptionString, Value: "Hugh Ind"}}}}
	d.Dispatch(context.Background(), i)
	_, text := get("/metrics")
	for _, w := range []string{`onrecord_interactions_total{command="who",outcome="ok",type="ApplicationCommand"} 1`, `onrecord_records{kind="claim"} 13`,
		"onrecord_handler_seconds_bucket", "onrecord_deferred_responses_total 0"} {
		if !strings.Contains(text, w) {
			t.Errorf("metrics lack %s", w)
		}
	}
}

// TestServeShutdownFinishesInFlight cancels Serve while an interaction is
// being answered: it is answered, and Serve returns.
func TestServeShutdownFinishesInFlight(t *testing.T) {
	pub, priv, _ := ed25519.GenerateKey(nil)
	addr := make(chan net.Addr, 1)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	d := &bot.Dispatcher{Router: commands.NewRouter(&stubStore{delay: 700 * time.Millisecond}, commands.Deps{})}
	go func() {
		done <- bot.Serve(ctx, bot.HTTPConfig{Addr: "127.0.0.1:0", PublicKey: pub, Now: func() time.Time { return clock }}, d, func(a net.Addr) { addr <- a })
	}()
	url := "http://" + (<-addr).String() + "/interactions"
	body := whoBody(t)
	sig, ts := bot.SignRequest(priv, body, clock)
	answered := make(chan int, 1)
	go func() {
		status, _ := post(t, url, body, sig, ts)
		answered <- status
	}()
	time.Sleep(200 * time.Millisecond)
	start := time.Now()
	cancel()
	if status := <-answered; status != 200 {
		t.Fatalf("the request in flight got %d", status)
	}
	if err := <-done; err != nil || time.Since(start) > 10*time.Second {
		t.Fatalf("Serve returned %v after %v", err, time.Since(start))
	}
}
