package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/onrecord/onrecord/bot"
	"github.com/onrecord/onrecord/bot/discordtest"
)

// startServe runs `onrecord serve` on a free loopback port and returns
// its base URL and the key requests are signed with.
func startServe(t *testing.T, env map[string]string) (string, ed25519.PrivateKey, *liveBot) {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	full := map[string]string{"DISCORD_PUBLIC_KEY": hex.EncodeToString(pub), "ONRECORD_HTTP_ADDR": "127.0.0.1:0", "ONRECORD_LOG_FORMAT": "json"}
	for k, v := range env {
		full[k] = v
	}
	ctx, cancel := context.WithCancel(context.Background())
	b := &liveBot{cancel: cancel, done: make(chan int, 1), stderr: &lockedBuffer{}}
	dbPath := newDB(t)
	go func() {
		err := run(ctx, []string{"serve", "--db", dbPath}, func(k string) string { return full[k] }, strings.NewReader(""), &bytes.Buffer{}, b.stderr)
		b.done <- exitCode(err, b.stderr)
	}()
	t.Cleanup(func() { b.stop(t) })
	re := regexp.MustCompile(`"msg":"listening","addr":"([^"]+)"`)
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if m := re.FindStringSubmatch(b.stderr.String()); m != nil {
			return "http://" + m[1], priv, b
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("onrecord serve did not start:\n%s", b.stderr.String())
	return "", nil, nil
}

func signedPost(t *testing.T, url string, key ed25519.PrivateKey, body string) (int, string, []byte) {
	t.Helper()
	sig, ts := bot.SignRequest(key, []byte(body), time.Now())
	req, _ := http.NewRequest(http.MethodPost, url+"/interactions", strings.NewReader(body))
	req.Header.Set("X-Signature-Ed25519", sig)
	req.Header.Set("X-Signature-Timestamp", ts)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), b
}

// Interactions shaped like the examples in Discord's documentation,
// adapted to OnRecord's commands.
const (
	guildSlash = `{"app_permissions":"442368","application_id":"900000000000000004","channel_id":"290926798626357999","data":{"id":"1","name":"who","options":[{"name":"name","type":3,"value":"Hugh Ind"}],"type":1},"guild_id":"290926798626357999","guild_locale":"en-US","id":"1279831541358297128","locale":"en-GB","member":{"avatar":null,"deaf":false,"joined_at":"2017-03-13T19:19:14.040000+00:00","mute":false,"nick":null,"pending":false,"permissions":"2147483647","premium_since":null,"roles":["539082325061836999"],"user":{"avatar":"a_d5efa99b3eeaa7dd43acca82f5692432","discriminator":"0","global_name":"Mason","id":"53908232506183680","public_flags":131141,"username":"mason"}},"token":"A_UNIQUE_TOKEN","type":2,"version":1,"context":0}`
	dmSlash    = `{"app_permissions":"442368","application_id":"900000000000000004","channel_id":"1279826361887199999","data":{"id":"2","name":"claims","options":[{"name":"person","type":3,"value":"Rudd"}],"type":1},"id":"1279831541358297129","locale":"en-GB","token":"A_UNIQUE_TOKEN","type":2,"user":{"avatar":null,"discriminator":"0","global_name":"Mason","id":"53908232506183680","public_flags":0,"username":"mason"},"version":1,"context":1}`
	autoReq    = `{"application_id":"900000000000000004","channel_id":"290926798626357999","data":{"id":"1","name":"who","options":[{"focused":true,"name":"name","type":3,"value":"Hu"}],"type":1},"guild_id":"290926798626357999","id":"1279831541358297130","member":{"user":{"id":"53908232506183680","username":"mason"},"roles":[],"permissions":"2147483647","joined_at":"2017-03-13T19:19:14.040000+00:00","deaf":false,"mute":false},"token":"A_UNIQUE_TOKEN","type":4,"version":1}`
	buttonReq  = `{"application_id":"900000000000000004","channel_id":"290926798626357999","data":{"component_type":2,"custom_id":"pg:claims?d=n&o=6&person=p-amber-rudd"},"guild_id":"290926798626357999","id":"1279831541358297131","member":{"user":{"id":"53908232506183680","username":"mason"},"roles":[],"permissions":"2147483647","joined_at":"2017-03-13T19:19:14.040000+00:00","deaf":false,"mute":false},"message":{"id":"1279831541358290000","channel_id":"290926798626357999","type":20,"content":"","timestamp":"2026-11-25T12:00:00Z","author":{"id":"900000000000000004","username":"OnRecord","bot":true}},"token":"A_UNIQUE_TOKEN","type":3,"version":1}`
	exportReq  = `{"application_id":"900000000000000004","channel_id":"290926798626357999","data":{"id":"3","name":"kb","options":[{"name":"export","type":1,"options":[]}],"type":1},"guild_id":"290926798626357999","id":"1279831541358297132","member":{"user":{"id":"53908232506183680","username":"mason"},"roles":[],"permissions":"8192","joined_at":"2017-03-13T19:19:14.040000+00:00","deaf":false,"mute":false},"token":"A_UNIQUE_TOKEN","type":2,"version":1}`
)

func TestServeAnswersDiscordsPayloads(t *testing.T) {
	url, key, b := startServe(t, nil)
	schema, err := discordtest.Shared()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, body string
		want       []string
	}{
		{"ping", `{"id":"1","application_id":"2","type":1,"token":"t","version":1}`, []string{`{"type":1}`}},
		{"guild member slash", guildSlash, []string{`"title":"Hugh Ind"`, `"parse":[]`}},
		{"DM user slash", dmSlash, []string{"we don't have targets for removals", `"Next ▶"`}},
		{"autocomplete", autoReq, []string{`"type":8`, `"Hugh Ind: Head of Immigration Enforcement"`}},
		{"button", buttonReq, []string{`"type":7`, "c-rudd-not-aware-of-them"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, ct, body := signedPost(t, url, key, tc.body)
			if status != 200 || ct != "application/json" {
				t.Fatalf("status %d %s: %s", status, ct, body)
			}
			for _, w := range tc.want {
				if !strings.Contains(string(body), w) {
					t.Errorf("answer lacks %s:\n%.400s", w, body)
				}
			}
			if tc.name != "ping" {
				if err := schema.ValidateCallback(body); err != nil {
					t.Fatalf("Discord would refuse: %v", err)
				}
			}
		})
	}
	// A reply with a file is multipart/form-data: payload_json and the file.
	status, ct, body := signedPost(t, url, key, exportReq)
	mt, params, _ := mime.ParseMediaType(ct)
	if status != 200 || mt != "multipart/form-data" {
		t.Fatalf("export: %d %s", status, ct)
	}
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	parts := map[string][]byte{}
	for {
		p, err := mr.NextPart()
		if err != nil {
			break
		}
		b, _ := io.ReadAll(p)
		parts[p.FormName()] = b
	}
	if err := schema.ValidateCallback(parts["payload_json"]); err != nil {
		t.Fatalf("export payload: %v", err)
	}
	if !bytes.Contains(parts["files[0]"], []byte(`"format": "onrecord/1"`)) {
		t.Fatalf("export parts %v", len(parts))
	}
	// The same question again, from another member: the same answer, kept.
	again := strings.NewReplacer("53908232506183680", "53908232506183681", "1279831541358297128", "1279831541358297199").Replace(guildSlash)
	first, second := answerOf(t, url, key, guildSlash), answerOf(t, url, key, again)
	if !bytes.Equal(first, second) {
		t.Fatalf("the same question got another answer:\n%s\n%s", first, second)
	}
	// Health, readiness and metrics, on the same address.
	for path, want := range map[string]string{"/healthz": "ok", "/readyz": "ready",
		"/metrics":  `onrecord_interactions_total{command="who",outcome="ok",type="ApplicationCommand"} 3`,
		"/metrics#": "onrecord_answer_cache_hits_total 2"} {
		path, _, _ = strings.Cut(path, "#")
		resp, err := http.Get(url + path)
		if err != nil {
			t.Fatal(err)
		}
		text, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(text), want) {
			t.Errorf("%s: %d, lacks %q", path, resp.StatusCode, want)
		}
	}
	if code := b.stop(t); code != 0 {
		t.Fatalf("exit %d after SIGTERM", code)
	}
}

func answerOf(t *testing.T, url string, key ed25519.PrivateKey, body string) []byte {
	t.Helper()
	status, _, b := signedPost(t, url, key, body)
	if status != 200 {
		t.Fatalf("status %d: %s", status, b)
	}
	return b
}

func TestServeNeedsAPublicKey(t *testing.T) {
	r := onrecord(t, map[string]string{"ONRECORD_HTTP_ADDR": "127.0.0.1:0"}, "", "serve", "--db", newDB(t))
	if r.code != 2 || !strings.Contains(r.stderr, "DISCORD_PUBLIC_KEY") {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
}

func TestRunServesHealthWhenAsked(t *testing.T) {
	f := discordtest.NewFake(t)
	b := startRun(t, f, newDB(t), map[string]string{"ONRECORD_HTTP_ADDR": "127.0.0.1:0"})
	re := regexp.MustCompile(`"msg":"listening","addr":"([^"]+)"`)
	m := re.FindStringSubmatch(b.stderr.String())
	if m == nil {
		t.Fatalf("no health endpoint:\n%s", b.stderr.String())
	}
	resp, err := http.Get("http://" + m[1] + "/readyz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("readyz: %v %v", err, resp)
	}
	resp.Body.Close()
}
