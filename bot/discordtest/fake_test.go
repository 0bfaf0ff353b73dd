package discordtest_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/onrecord/onrecord/bot/discordtest"
)

// client is a bare gateway client speaking the protocol by hand.
type client struct {
	t  *testing.T
	ws *websocket.Conn
}

func dial(t *testing.T, f *discordtest.Fake) *client {
	t.Helper()
	resp := do(t, f, "GET", "/gateway", "Bot "+f.Token, "")
	var g struct{ URL string }
	json.Unmarshal(resp.body, &g)
	if !strings.HasPrefix(g.URL, "ws://127.0.0.1:") {
		t.Fatalf("gateway url %q", g.URL)
	}
	ws, _, err := websocket.DefaultDialer.Dial(g.URL+"?v=9&encoding=json", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	return &client{t: t, ws: ws}
}

type frame struct {
	Op int             `json:"op"`
	S  *int64          `json:"s"`
	T  *string         `json:"t"`
	D  json.RawMessage `json:"d"`
}

func (c *client) read() (frame, error) {
	c.ws.SetReadDeadline(time.Now().Add(3 * time.Second))
	var fr frame
	_, b, err := c.ws.ReadMessage()
	if err != nil {
		return fr, err
	}
	return fr, json.Unmarshal(b, &fr)
}

func (c *client) send(v any) {
	if err := c.ws.WriteJSON(v); err != nil {
		c.t.Fatal(err)
	}
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func do(t *testing.T, f *discordtest.Fake, method, path, auth, body string) response {
	t.Helper()
	req, _ := http.NewRequest(method, f.APIBase+path, strings.NewReader(body))
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	return response{status: resp.StatusCode, header: resp.Header, body: b.Bytes()}
}

func TestFakeGatewayHandshake(t *testing.T) {
	f := discordtest.NewFake(t)
	c := dial(t, f)
	hello, err := c.read()
	if err != nil || hello.Op != 10 || !strings.Contains(string(hello.D), "heartbeat_interval") {
		t.Fatalf("first frame %+v %v, want HELLO", hello, err)
	}
	c.send(map[string]any{"op": 1, "d": nil})
	if ack, err := c.read(); err != nil || ack.Op != 11 {
		t.Fatalf("heartbeat answered with %+v %v", ack, err)
	}
	c.send(map[string]any{"op": 2, "d": map[string]any{"token": f.Token, "intents": 0, "properties": map[string]any{}}})
	ready, err := c.read()
	if err != nil || ready.Op != 0 || ready.T == nil || *ready.T != "READY" {
		t.Fatalf("identify answered with %+v %v", ready, err)
	}
	var r struct {
		SessionID   string `json:"session_id"`
		Application struct{ ID string }
	}
	json.Unmarshal(ready.D, &r)
	if r.SessionID == "" || r.Application.ID != f.AppID {
		t.Fatalf("READY %s", ready.D)
	}
	// A second connection resumes the session.
	c2 := dial(t, f)
	c2.read()
	c2.send(map[string]any{"op": 6, "d": map[string]any{"token": f.Token, "session_id": r.SessionID, "seq": 1}})
	if resumed, err := c2.read(); err != nil || resumed.T == nil || *resumed.T != "RESUMED" {
		t.Fatalf("resume answered with %+v %v", resumed, err)
	}
	// An unknown session is invalid.
	c3 := dial(t, f)
	c3.read()
	c3.send(map[string]any{"op": 6, "d": map[string]any{"token": f.Token, "session_id": "nope", "seq": 1}})
	if inv, err := c3.read(); err != nil || inv.Op != 9 {
		t.Fatalf("resume of an unknown session answered with %+v %v", inv, err)
	}
}

func TestFakeGatewayRefusesBadToken(t *testing.T) {
	f := discordtest.NewFake(t)
	c := dial(t, f)
	c.read()
	c.send(map[string]any{"op": 2, "d": map[string]any{"token": "wrong", "intents": 0}})
	_, err := c.read()
	var ce *websocket.CloseError
	if !errors.As(err, &ce) || ce.Code != 4004 {
		t.Fatalf("bad token answered with %v, want close 4004", err)
	}
}

// TestFakeRejectsWhatDiscordRejects sends known-bad REST requests and
// checks each gets Discord's answer and is recorded as a violation.
func TestFakeRejectsWhatDiscordRejects(t *testing.T) {
	f := discordtest.NewFake(t)
	c := dial(t, f)
	c.read()
	c.send(map[string]any{"op": 2, "d": map[string]any{"token": f.Token, "intents": 0}})
	c.read()
	if !f.WaitConnected(time.Second) {
		t.Fatal("not connected")
	}
	good := `{"type":4,"data":{"content":"hi","allowed_mentions":{"parse":[]}}}`
	pending := func() *discordtest.Pending {
		p, err := f.SlashCommand(discordtest.Member(), "who", "name", "Rudd")
		if err != nil {
			t.Fatal(err)
		}
		if fr, err := c.read(); err != nil || fr.T == nil || *fr.T != "INTERACTION_CREATE" {
			t.Fatalf("dispatch %+v %v", fr, err)
		}
		return p
	}
	callback := func(p *discordtest.Pending, body string) response {
		return do(t, f, "POST", "/interactions/"+p.ID+"/"+p.Token+"/callback", "", body)
	}

	p := pending()
	if r := callback(p, `{"type":4,"data":{"content":"`+strings.Repeat("x", 2001)+`","allowed_mentions":{"parse":[]}}}`); r.status != 400 {
		t.Fatalf("content over 2000: %d", r.status)
	}
	if r := callback(p, good); r.status != 204 {
		t.Fatalf("good callback: %d %s", r.status, r.body)
	}
	if r := callback(p, good); r.status != 400 || !strings.Contains(string(r.body), "40060") {
		t.Fatalf("second callback: %d %s", r.status, r.body)
	}
	late := pending()
	f.Window = 50 * time.Millisecond
	time.Sleep(100 * time.Millisecond)
	if r := callback(late, good); r.status != 404 || !strings.Contains(string(r.body), "10062") {
		t.Fatalf("late callback: %d %s", r.status, r.body)
	}
	if r := do(t, f, "POST", "/interactions/999/nope/callback", "", good); r.status != 404 {
		t.Fatalf("unknown interaction: %d", r.status)
	}
	if r := do(t, f, "PUT", "/applications/"+f.AppID+"/commands", "Bot "+f.Token, `[{"name":"Who","description":"x","type":1}]`); r.status != 400 {
		t.Fatalf("upper-case command name: %d", r.status)
	}
	if r := do(t, f, "PUT", "/applications/"+f.AppID+"/commands", "Bot "+f.Token, `[{"name":"who","description":"","type":1}]`); r.status != 400 {
		t.Fatalf("empty description: %d", r.status)
	}
	if r := do(t, f, "PUT", "/applications/"+f.AppID+"/commands", "", `[]`); r.status != 401 {
		t.Fatalf("no token: %d", r.status)
	}
	if n := len(f.Violations()); n != 6 {
		t.Fatalf("%d violations recorded, want 6: %v", n, f.Violations())
	}
	f.ForgetViolations()

	// Accepted definitions: permission bitsets as strings, as discordgo sends them.
	if r := do(t, f, "PUT", "/applications/"+f.AppID+"/commands", "Bot "+f.Token,
		`[{"name":"kb","description":"Moderators","type":1,"default_member_permissions":"8192","contexts":[0]}]`); r.status != 200 {
		t.Fatalf("valid definitions refused: %d %s %v", r.status, r.body, f.Violations())
	}
	f.FailNext("GET", "/gateway", http.StatusTooManyRequests, 1500*time.Millisecond, 1)
	r := do(t, f, "GET", "/gateway", "Bot "+f.Token, "")
	if r.status != 429 || r.header.Get("X-RateLimit-Reset-After") != "1.500" || !strings.Contains(string(r.body), `"retry_after":1.5`) {
		t.Fatalf("429: %d %v %s", r.status, r.header, r.body)
	}
	if r := do(t, f, "GET", "/gateway", "Bot "+f.Token, ""); r.status != 200 {
		t.Fatalf("after the fault: %d", r.status)
	}
}
