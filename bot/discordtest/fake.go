package discordtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// Fake is a local Discord for tests: the REST API under /api/v9 and the
// gateway WebSocket, on 127.0.0.1. The real discordgo Session talks to it
// through Session.Client (REST) and the gateway URL that GET /gateway
// returns, with no discordgo globals changed.
//
// It is strict: every REST body is validated against Discord's OpenAPI
// schema and the documented limits, interaction callbacks must arrive
// within the 3-second window and only once, and REST calls need the bot
// token. Each violation is answered as Discord would (400, 401, 404) and
// fails the test that caused it when the test ends. It records every
// request.
type Fake struct {
	URL     string // http://127.0.0.1:PORT
	APIBase string // URL + "/api/v9": what DISCORD_API_URL points at
	AppID   string
	BotID   string
	Token   string // the valid bot token, without "Bot "

	// Window is how long after dispatch an interaction may first be
	// answered; Discord's is 3 seconds.
	Window time.Duration

	t      testing.TB
	srv    *httptest.Server
	schema *Schema
	nextID atomic.Int64

	mu           sync.Mutex
	changed      chan struct{} // closed and replaced on every change
	requests     []Request
	violations   []string
	commands     map[string][]*discordgo.ApplicationCommand // by guild id, "" for global
	puts         int
	interactions map[string]*Pending // by id
	byToken      map[string]*Pending
	faults       []*fault
	conns        []*gwConn
	sessions     map[string]*gwSession
	identifies   int
	resumes      int
	heartbeats   int
	interval     time.Duration
	acks         bool
	hellos       int
	refuse       int // close code for every IDENTIFY and RESUME; 0 to accept
	lastIntents  int
	lastShard    []int
	attachments  map[string][]byte   // served at /attachments/{id}/{name}
	channelMsgs  map[string][][]byte // posted by the bot, by channel
}

// Request is one REST request the fake received.
type Request struct {
	Method string
	Path   string // without the /api/v9 prefix
	Body   []byte
	Status int // what the fake answered
	At     time.Time
}

// Pending is an interaction the fake dispatched, and what the bot did
// with it.
type Pending struct {
	ID, Token string
	SentAt    time.Time
	f         *Fake
	responses [][]byte // callback bodies accepted
	edits     [][]byte // PATCH @original bodies accepted
	followups [][]byte
	files     map[string][]byte // files uploaded with the response, by name
	respondAt time.Time
}

type fault struct {
	method, path string // path prefix after /api/v9
	status       int
	retryAfter   time.Duration
	left         int
}

type gwSession struct {
	id  string
	seq int64
}

type gwConn struct {
	ws      *websocket.Conn
	wmu     sync.Mutex
	session *gwSession
	closed  atomic.Bool
}

func (c *gwConn) send(v any) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	return c.ws.WriteJSON(v)
}

// NewFake starts a fake Discord for the test and stops it when the test
// ends, failing the test if the bot sent anything Discord would refuse.
func NewFake(t testing.TB) *Fake {
	t.Helper()
	schema, err := Shared()
	if err != nil {
		t.Fatalf("load Discord's schema: %v", err)
	}
	f := &Fake{
		AppID: "1100000000000000001", BotID: "1100000000000000002", Token: "fake.bot-token.0123456789",
		Window: 3 * time.Second, t: t, schema: schema, changed: make(chan struct{}),
		commands: map[string][]*discordgo.ApplicationCommand{}, interactions: map[string]*Pending{},
		byToken: map[string]*Pending{}, sessions: map[string]*gwSession{}, interval: 41250 * time.Millisecond, acks: true,
		attachments: map[string][]byte{}, channelMsgs: map[string][][]byte{},
	}
	f.nextID.Store(1200000000000000000)
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	f.URL = f.srv.URL
	f.APIBase = f.srv.URL + "/api/v9"
	t.Cleanup(func() {
		f.CloseConnections(websocket.CloseGoingAway, "test over")
		f.srv.CloseClientConnections()
		f.srv.Close()
		for _, v := range f.Violations() {
			t.Errorf("fake Discord: the bot sent what Discord would refuse: %s", v)
		}
	})
	return f
}

func (f *Fake) id() string { return strconv.FormatInt(f.nextID.Add(1), 10) }

// notify wakes every waiter; f.mu must be held.
func (f *Fake) notify() {
	close(f.changed)
	f.changed = make(chan struct{})
}

// WaitFor waits until cond holds, or timeout; cond is checked again after
// every change the fake sees and every 20ms, and may call the fake's
// methods.
func (f *Fake) WaitFor(timeout time.Duration, cond func() bool) bool {
	deadline := time.After(timeout)
	for {
		f.mu.Lock()
		ch := f.changed
		f.mu.Unlock()
		if cond() {
			return true
		}
		select {
		case <-ch:
		case <-time.After(20 * time.Millisecond):
		case <-deadline:
			return false
		}
	}
}

// waitLocked is WaitFor with cond called with the fake locked, for
// conditions on its internals.
func (f *Fake) waitLocked(timeout time.Duration, cond func() bool) bool {
	deadline := time.After(timeout)
	for {
		f.mu.Lock()
		ok := cond()
		ch := f.changed
		f.mu.Unlock()
		if ok {
			return true
		}
		select {
		case <-ch:
		case <-deadline:
			return false
		}
	}
}

func (f *Fake) violate(format string, args ...any) {
	f.mu.Lock()
	f.violations = append(f.violations, fmt.Sprintf(format, args...))
	f.notify()
	f.mu.Unlock()
}

// Violations returns every refusal so far.
func (f *Fake) Violations() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.violations...)
}

// ForgetViolations clears the violations a test provoked on purpose.
func (f *Fake) ForgetViolations() {
	f.mu.Lock()
	f.violations = nil
	f.mu.Unlock()
}

// Requests returns every REST request so far.
func (f *Fake) Requests() []Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Request(nil), f.requests...)
}

// CommandPuts returns how many bulk overwrites of commands the bot made.
func (f *Fake) CommandPuts() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.puts
}

// Commands returns the commands registered for guild ("" for global).
func (f *Fake) Commands(guild string) []*discordgo.ApplicationCommand {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]*discordgo.ApplicationCommand(nil), f.commands[guild]...)
}

// Counts returns how many IDENTIFY, RESUME and heartbeats the gateway got.
func (f *Fake) Counts() (identifies, resumes, heartbeats int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.identifies, f.resumes, f.heartbeats
}

// FailNext makes the next n REST requests whose method matches and whose
// path (after /api/v9) starts with pathPrefix fail with status: 429 with
// retry_after and rate-limit headers, or any other status with Discord's
// JSON error body.
func (f *Fake) FailNext(method, pathPrefix string, status int, retryAfter time.Duration, n int) {
	f.mu.Lock()
	f.faults = append(f.faults, &fault{method: method, path: pathPrefix, status: status, retryAfter: retryAfter, left: n})
	f.mu.Unlock()
}

// SetHeartbeat sets the heartbeat interval HELLO announces to new
// connections, and whether heartbeats are acknowledged (a zombie
// connection stops acknowledging).
func (f *Fake) SetHeartbeat(interval time.Duration, ack bool) {
	f.mu.Lock()
	f.interval, f.acks = interval, ack
	f.mu.Unlock()
}

// SetHeartbeatAcks turns acknowledging heartbeats on or off.
func (f *Fake) SetHeartbeatAcks(ack bool) {
	f.mu.Lock()
	f.acks = ack
	f.mu.Unlock()
}

// LastIdentify returns the intents and shard ([id, count], nil when none)
// of the last IDENTIFY the gateway accepted.
func (f *Fake) LastIdentify() (intents int, shard []int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.lastIntents, append([]int(nil), f.lastShard...)
}

// Attachment makes body downloadable as a file a user attached, the way
// Discord's CDN serves it, and returns the attachment to put in an
// interaction's resolved data.
func (f *Fake) Attachment(name string, body []byte) map[string]any {
	id := f.id()
	f.mu.Lock()
	f.attachments[id] = body
	f.mu.Unlock()
	return map[string]any{"id": id, "filename": name, "size": len(body), "url": f.URL + "/attachments/" + id + "/" + name,
		"proxy_url": f.URL + "/attachments/" + id + "/" + name, "content_type": "application/json"}
}

// ChannelMessages returns the bodies the bot posted in channel.
func (f *Fake) ChannelMessages(channel string) [][]byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([][]byte(nil), f.channelMsgs[channel]...)
}

// Files returns the files the bot uploaded with its first response.
func (p *Pending) Files() map[string][]byte {
	p.f.mu.Lock()
	defer p.f.mu.Unlock()
	return p.files
}

// RefuseIdentify makes the gateway close every IDENTIFY and RESUME with
// code (4004: authentication failed), as Discord does for a revoked token;
// 0 accepts them again.
func (f *Fake) RefuseIdentify(code int) {
	f.mu.Lock()
	f.refuse = code
	f.mu.Unlock()
}

// Connected reports how many gateway connections are open and identified
// or resumed.
func (f *Fake) Connected() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.connectedLocked()
}

func (f *Fake) connectedLocked() int {
	n := 0
	for _, c := range f.conns {
		if !c.closed.Load() && c.session != nil {
			n++
		}
	}
	return n
}

// WaitConnected waits until a gateway connection is identified or resumed.
func (f *Fake) WaitConnected(timeout time.Duration) bool {
	return f.waitLocked(timeout, func() bool { return f.connectedLocked() > 0 })
}

func (f *Fake) liveConns() []*gwConn {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []*gwConn
	for _, c := range f.conns {
		if !c.closed.Load() {
			out = append(out, c)
		}
	}
	return out
}

// DropConnections cuts every gateway connection without a close frame:
// the client sees close 1006.
func (f *Fake) DropConnections() {
	for _, c := range f.liveConns() {
		c.closed.Store(true)
		c.ws.UnderlyingConn().Close()
	}
	f.mu.Lock()
	f.notify()
	f.mu.Unlock()
}

// CloseConnections closes every gateway connection with code and reason.
func (f *Fake) CloseConnections(code int, reason string) {
	for _, c := range f.liveConns() {
		c.closed.Store(true)
		c.wmu.Lock()
		c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, reason), time.Now().Add(time.Second))
		c.wmu.Unlock()
		c.ws.Close()
	}
	f.mu.Lock()
	f.notify()
	f.mu.Unlock()
}

// SendReconnect sends op 7 (reconnect) on every connection.
func (f *Fake) SendReconnect() {
	for _, c := range f.liveConns() {
		c.send(map[string]any{"op": 7, "d": nil})
	}
}

// SendInvalidSession sends op 9 (invalid session) on every connection.
func (f *Fake) SendInvalidSession(resumable bool) {
	for _, c := range f.liveConns() {
		c.send(map[string]any{"op": 9, "d": resumable})
	}
}

// Who is who sends an interaction: a member of a guild with permissions
// and roles, or (Guild empty) a user in a DM.
type Who struct {
	UserID      string
	Guild       string
	Permissions int64
	Roles       []string
}

// The server and the member the fake's interactions come from by default.
const (
	GuildID  = "1300000000000000001"
	MemberID = "1300000000000000009"
)

// Member returns an ordinary member of GuildID: no Manage Messages.
func Member() Who {
	return Who{UserID: MemberID, Guild: GuildID, Permissions: int64(discordgo.PermissionViewChannel | discordgo.PermissionSendMessages | discordgo.PermissionUseApplicationCommands)}
}

// SlashCommand dispatches INTERACTION_CREATE for /name with options (in
// the order given, as name-value pairs) from who, shaped like the example
// in Discord's documentation, and returns it to await the bot's answer.
func (f *Fake) SlashCommand(who Who, name string, options ...any) (*Pending, error) {
	var opts []map[string]any
	for i := 0; i+1 < len(options); i += 2 {
		opt := map[string]any{"name": options[i], "value": options[i+1], "type": 3}
		switch options[i+1].(type) {
		case int, int64, float64:
			opt["type"] = 4
		case bool:
			opt["type"] = 5
		}
		opts = append(opts, opt)
	}
	data := map[string]any{"id": f.commandID(name, who.Guild), "name": name, "type": 1}
	if len(opts) > 0 {
		data["options"] = opts
	}
	return f.Dispatch(who, 2, data)
}

func (f *Fake) commandID(name, guild string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, scope := range []string{guild, ""} {
		for _, c := range f.commands[scope] {
			if c.Name == name {
				return c.ID
			}
		}
	}
	return "1400000000000000001"
}

// Dispatch sends an INTERACTION_CREATE of type typ with data from who on
// a live, identified gateway connection, waiting up to 5 seconds for one
// (the bot may be reconnecting).
func (f *Fake) Dispatch(who Who, typ int, data map[string]any) (*Pending, error) {
	p := &Pending{ID: f.id(), Token: "aW50ZXJhY3Rpb24" + f.id(), f: f}
	user := map[string]any{"id": who.UserID, "username": "member" + who.UserID[len(who.UserID)-3:], "discriminator": "0",
		"global_name": "A Member", "avatar": nil, "public_flags": 0}
	i := map[string]any{
		"id": p.ID, "application_id": f.AppID, "type": typ, "data": data, "token": p.Token, "version": 1,
		"channel_id": "1300000000000000002", "locale": "en-GB", "app_permissions": "2248473465835073",
		"entitlements": []any{}, "attachment_size_limit": 26214400,
	}
	if who.Guild != "" {
		data["guild_id"] = who.Guild
		i["guild_id"] = who.Guild
		i["guild_locale"] = "en-US"
		i["guild"] = map[string]any{"id": who.Guild, "locale": "en-US", "features": []any{}}
		i["channel"] = map[string]any{"id": "1300000000000000002", "type": 0, "guild_id": who.Guild, "name": "politics"}
		roles := who.Roles
		if roles == nil {
			roles = []string{}
		}
		i["member"] = map[string]any{"user": user, "roles": roles, "permissions": strconv.FormatInt(who.Permissions, 10),
			"joined_at": "2021-03-13T19:19:14.040000+00:00", "nick": nil, "avatar": nil, "premium_since": nil,
			"deaf": false, "mute": false, "pending": false, "flags": 0}
		i["context"] = 0
		i["authorizing_integration_owners"] = map[string]any{"0": who.Guild}
	} else {
		i["user"] = user
		i["channel"] = map[string]any{"id": "1300000000000000002", "type": 1}
		i["context"] = 1
		i["authorizing_integration_owners"] = map[string]any{"1": who.UserID}
	}
	f.mu.Lock()
	f.interactions[p.ID] = p
	f.byToken[p.Token] = p
	f.mu.Unlock()
	deadline := time.Now().Add(5 * time.Second)
	for {
		for _, conn := range f.liveConns() {
			f.mu.Lock()
			sess := conn.session
			if sess == nil {
				f.mu.Unlock()
				continue
			}
			sess.seq++
			seq := sess.seq
			p.SentAt = time.Now()
			f.mu.Unlock()
			if err := conn.send(map[string]any{"op": 0, "s": seq, "t": "INTERACTION_CREATE", "d": i}); err != nil {
				conn.closed.Store(true) // closing: try another
				continue
			}
			return p, nil
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("no identified gateway connection to dispatch on")
		}
		f.WaitConnected(time.Until(deadline))
		time.Sleep(10 * time.Millisecond)
	}
}

// AnsweredOverHTTP registers an interaction Discord delivered over HTTP
// and the bot answered in the HTTP response, so that the fake accepts the
// bot editing that answer through the REST API.
func (f *Fake) AnsweredOverHTTP(id, token string, first []byte) *Pending {
	p := &Pending{ID: id, Token: token, f: f, SentAt: time.Now(), respondAt: time.Now(), responses: [][]byte{first}}
	f.mu.Lock()
	f.interactions[id] = p
	f.byToken[token] = p
	f.mu.Unlock()
	return p
}

// Await waits for the bot's first response to the interaction and returns
// it decoded.
func (p *Pending) Await(timeout time.Duration) (*discordgo.InteractionResponse, error) {
	var body []byte
	if !p.f.waitLocked(timeout, func() bool {
		if len(p.responses) > 0 {
			body = p.responses[0]
			return true
		}
		return false
	}) {
		return nil, fmt.Errorf("no response to interaction %s within %v", p.ID, timeout)
	}
	return decodeResponse(body)
}

// decodeResponse decodes a callback body into discordgo's type; its
// components, which discordgo cannot decode there, are left out (Body
// returns them raw).
func decodeResponse(body []byte) (*discordgo.InteractionResponse, error) {
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, fmt.Errorf("decode response: %w", err)
	}
	if d, ok := m["data"].(map[string]any); ok {
		delete(d, "components")
	}
	b, _ := json.Marshal(m)
	var r discordgo.InteractionResponse
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("decode response: %w", err)
	}
	return &r, nil
}

// Body returns the bot's first response to the interaction as sent, or nil.
func (p *Pending) Body() []byte {
	p.f.mu.Lock()
	defer p.f.mu.Unlock()
	if len(p.responses) == 0 {
		return nil
	}
	return append([]byte(nil), p.responses[0]...)
}

// AwaitEdit waits for the bot to edit the original response and returns
// the edit decoded.
func (p *Pending) AwaitEdit(timeout time.Duration) (*discordgo.WebhookEdit, error) {
	var body []byte
	if !p.f.waitLocked(timeout, func() bool {
		if len(p.edits) > 0 {
			body = p.edits[0]
			return true
		}
		return false
	}) {
		return nil, fmt.Errorf("no edit of interaction %s within %v", p.ID, timeout)
	}
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, fmt.Errorf("decode edit: %w", err)
	}
	delete(m, "components")
	b, _ := json.Marshal(m)
	var e discordgo.WebhookEdit
	if err := json.Unmarshal(b, &e); err != nil {
		return nil, fmt.Errorf("decode edit: %w", err)
	}
	return &e, nil
}

// RespondedAfter returns how long after dispatch the first response came.
func (p *Pending) RespondedAfter() time.Duration {
	p.f.mu.Lock()
	defer p.f.mu.Unlock()
	if p.respondAt.IsZero() {
		return 0
	}
	return p.respondAt.Sub(p.SentAt)
}

// serve routes a request to the gateway or the REST API.
func (f *Fake) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/gateway-ws/" || r.URL.Path == "/gateway-ws" {
		f.serveGateway(w, r)
		return
	}
	if rest, ok := strings.CutPrefix(r.URL.Path, "/attachments/"); ok {
		id, _, _ := strings.Cut(rest, "/")
		f.mu.Lock()
		body, ok := f.attachments[id]
		f.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write(body)
		return
	}
	path, ok := strings.CutPrefix(r.URL.Path, "/api/v9")
	if !ok {
		http.NotFound(w, r)
		return
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, 10<<20))
	rec := httptest.NewRecorder()
	f.rest(rec, r, path, body)
	f.mu.Lock()
	f.requests = append(f.requests, Request{Method: r.Method, Path: path, Body: body, Status: rec.Code, At: time.Now()})
	f.notify()
	f.mu.Unlock()
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	w.Write(rec.Body.Bytes())
}

// discordError writes Discord's JSON error body.
func discordError(w http.ResponseWriter, status, code int, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"message": message, "code": code})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func (f *Fake) takeFault(method, path string) *fault {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, ft := range f.faults {
		if ft.left > 0 && (ft.method == "" || ft.method == method) && strings.HasPrefix(path, ft.path) {
			ft.left--
			return ft
		}
	}
	return nil
}

func (f *Fake) rest(w http.ResponseWriter, r *http.Request, path string, body []byte) {
	if ft := f.takeFault(r.Method, path); ft != nil {
		if ft.status == http.StatusTooManyRequests {
			secs := ft.retryAfter.Seconds()
			w.Header().Set("Retry-After", strconv.Itoa(int(secs+0.999)))
			w.Header().Set("X-RateLimit-Limit", "5")
			w.Header().Set("X-RateLimit-Remaining", "0")
			w.Header().Set("X-RateLimit-Reset-After", strconv.FormatFloat(secs, 'f', 3, 64))
			w.Header().Set("X-RateLimit-Reset", strconv.FormatFloat(float64(time.Now().Add(ft.retryAfter).UnixMilli())/1000, 'f', 3, 64))
			w.Header().Set("X-RateLimit-Bucket", "fakebucket")
			w.Header().Set("X-RateLimit-Scope", "user")
			writeJSON(w, 429, map[string]any{"message": "You are being rate limited.", "retry_after": secs, "global": false})
			return
		}
		discordError(w, ft.status, 0, fmt.Sprintf("%d: %s", ft.status, http.StatusText(ft.status)))
		return
	}
	parts := strings.Split(strings.Trim(path, "/"), "/")
	// Interaction callbacks and webhooks are authorised by their token.
	switch {
	case len(parts) == 4 && parts[0] == "interactions" && parts[3] == "callback" && r.Method == http.MethodPost:
		f.callback(w, r, parts[1], parts[2], body)
		return
	case len(parts) >= 3 && parts[0] == "webhooks":
		f.webhook(w, r, parts, body)
		return
	}
	if r.Header.Get("Authorization") != "Bot "+f.Token {
		discordError(w, http.StatusUnauthorized, 0, "401: Unauthorized")
		return
	}
	switch {
	case (path == "/gateway" || path == "/gateway/bot") && r.Method == http.MethodGet:
		v := map[string]any{"url": strings.Replace(f.URL, "http://", "ws://", 1) + "/gateway-ws"}
		if path == "/gateway/bot" {
			v["shards"] = 1
			v["session_start_limit"] = map[string]any{"total": 1000, "remaining": 999, "reset_after": 14400000, "max_concurrency": 1}
		}
		writeJSON(w, 200, v)
	case path == "/users/@me" && r.Method == http.MethodGet:
		writeJSON(w, 200, map[string]any{"id": f.BotID, "username": "OnRecord", "discriminator": "0", "bot": true})
	case len(parts) == 3 && parts[0] == "channels" && parts[2] == "messages" && r.Method == http.MethodPost:
		if err := f.schema.ValidateMessage(body); err != nil {
			f.violate("message in %s: %v", parts[1], err)
			writeJSON(w, 400, map[string]any{"message": "Invalid Form Body", "code": 50035})
			return
		}
		f.mu.Lock()
		f.channelMsgs[parts[1]] = append(f.channelMsgs[parts[1]], body)
		f.notify()
		f.mu.Unlock()
		writeJSON(w, 200, f.message(body))
	case (path == "/oauth2/applications/@me" || path == "/applications/@me") && r.Method == http.MethodGet:
		writeJSON(w, 200, map[string]any{"id": f.AppID, "name": "OnRecord", "description": "", "bot_public": true, "bot_require_code_grant": false, "flags": 0})
	case len(parts) >= 3 && parts[0] == "applications" && parts[len(parts)-1] == "commands":
		guild := ""
		if len(parts) == 5 && parts[2] == "guilds" {
			guild = parts[3]
		} else if len(parts) != 3 {
			discordError(w, 404, 0, "404: Not Found")
			return
		}
		if parts[1] != f.AppID {
			discordError(w, 403, 50001, "Missing Access")
			return
		}
		f.commandsEndpoint(w, r, guild, body)
	default:
		discordError(w, 404, 0, "404: Not Found")
	}
}

func (f *Fake) commandsEndpoint(w http.ResponseWriter, r *http.Request, guild string, body []byte) {
	switch r.Method {
	case http.MethodGet:
		writeJSON(w, 200, f.Commands(guild))
	case http.MethodPut:
		if err := f.schema.ValidateCommands(body); err != nil {
			f.violate("PUT commands: %v", err)
			writeJSON(w, 400, map[string]any{"message": "Invalid Form Body", "code": 50035, "errors": map[string]any{"_errors": []any{map[string]any{"code": "BASE_TYPE_INVALID", "message": err.Error()}}}})
			return
		}
		var cmds []*discordgo.ApplicationCommand
		json.Unmarshal(body, &cmds)
		for _, c := range cmds {
			c.ID = f.id()
			c.ApplicationID = f.AppID
			c.GuildID = guild
			c.Version = f.id()
			if c.Type == 0 {
				c.Type = discordgo.ChatApplicationCommand
			}
		}
		f.mu.Lock()
		f.commands[guild] = cmds
		f.puts++
		f.notify()
		f.mu.Unlock()
		writeJSON(w, 200, cmds)
	default:
		discordError(w, 405, 0, "405: Method Not Allowed")
	}
}

func (f *Fake) callback(w http.ResponseWriter, r *http.Request, id, token string, body []byte) {
	f.mu.Lock()
	p, ok := f.interactions[id]
	f.mu.Unlock()
	if !ok || p.Token != token {
		f.violate("callback for unknown interaction %s", id)
		discordError(w, 404, 10062, "Unknown interaction")
		return
	}
	var files map[string][]byte
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		payload, fs, err := multipartParts(r.Header.Get("Content-Type"), body)
		if err != nil {
			f.violate("callback %s: %v", id, err)
			discordError(w, 400, 50035, "Invalid Form Body")
			return
		}
		body, files = payload, fs
	}
	if err := f.schema.ValidateCallback(body); err != nil {
		f.violate("callback %s: %v", id, err)
		writeJSON(w, 400, map[string]any{"message": "Invalid Form Body", "code": 50035})
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case len(p.responses) > 0:
		f.violations = append(f.violations, fmt.Sprintf("callback %s: interaction already acknowledged", id))
		f.notify()
		discordError(w, 400, 40060, "Interaction has already been acknowledged.")
	case time.Since(p.SentAt) > f.Window:
		f.violations = append(f.violations, fmt.Sprintf("callback %s: first response after %v, past the %v window", id, time.Since(p.SentAt).Round(time.Millisecond), f.Window))
		f.notify()
		discordError(w, 404, 10062, "Unknown interaction")
	default:
		p.responses = append(p.responses, body)
		p.files = files
		p.respondAt = time.Now()
		f.notify()
		w.WriteHeader(http.StatusNoContent)
	}
}

func (f *Fake) webhook(w http.ResponseWriter, r *http.Request, parts []string, body []byte) {
	// /webhooks/{app}/{token}[/messages/@original]
	if parts[1] != f.AppID {
		discordError(w, 404, 10015, "Unknown Webhook")
		return
	}
	f.mu.Lock()
	p, ok := f.byToken[parts[2]]
	f.mu.Unlock()
	if !ok {
		f.violate("webhook call with an unknown interaction token")
		discordError(w, 404, 10015, "Unknown Webhook")
		return
	}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		payload, _, err := multipartParts(r.Header.Get("Content-Type"), body)
		if err != nil {
			f.violate("webhook: %v", err)
			discordError(w, 400, 50035, "Invalid Form Body")
			return
		}
		body = payload
	}
	original := len(parts) == 5 && parts[3] == "messages" && parts[4] == "@original"
	switch {
	case original && r.Method == http.MethodPatch:
		if err := f.schema.ValidateEdit(body); err != nil {
			f.violate("edit original of %s: %v", p.ID, err)
			writeJSON(w, 400, map[string]any{"message": "Invalid Form Body", "code": 50035})
			return
		}
		f.mu.Lock()
		if len(p.responses) == 0 {
			f.violations = append(f.violations, fmt.Sprintf("edit of %s before any response", p.ID))
			f.notify()
			f.mu.Unlock()
			discordError(w, 404, 10008, "Unknown Message")
			return
		}
		p.edits = append(p.edits, body)
		f.notify()
		f.mu.Unlock()
		writeJSON(w, 200, f.message(body))
	case len(parts) == 3 && r.Method == http.MethodPost:
		if err := f.schema.ValidateFollowup(body); err != nil {
			f.violate("follow-up of %s: %v", p.ID, err)
			writeJSON(w, 400, map[string]any{"message": "Invalid Form Body", "code": 50035})
			return
		}
		f.mu.Lock()
		p.followups = append(p.followups, body)
		f.notify()
		f.mu.Unlock()
		writeJSON(w, 200, f.message(body))
	default:
		discordError(w, 404, 0, "404: Not Found")
	}
}

// message returns a message object carrying the fields of body.
func (f *Fake) message(body []byte) map[string]any {
	m := map[string]any{}
	json.Unmarshal(body, &m)
	m["id"] = f.id()
	m["channel_id"] = "1300000000000000002"
	m["type"] = 20
	m["timestamp"] = time.Now().UTC().Format(time.RFC3339)
	m["author"] = map[string]any{"id": f.BotID, "username": "OnRecord", "discriminator": "0", "bot": true}
	delete(m, "allowed_mentions")
	return m
}

// serveGateway speaks the gateway protocol on one WebSocket connection.
func (f *Fake) serveGateway(w http.ResponseWriter, r *http.Request) {
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	ws, err := up.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &gwConn{ws: ws}
	f.mu.Lock()
	f.conns = append(f.conns, c)
	f.hellos++
	interval := f.interval
	f.mu.Unlock()
	defer func() {
		c.closed.Store(true)
		ws.Close()
		f.mu.Lock()
		f.notify()
		f.mu.Unlock()
	}()
	if err := c.send(map[string]any{"op": 10, "d": map[string]any{"heartbeat_interval": interval.Milliseconds()}, "s": nil, "t": nil}); err != nil {
		return
	}
	for {
		_, msg, err := ws.ReadMessage()
		if err != nil {
			return
		}
		var p struct {
			Op int             `json:"op"`
			D  json.RawMessage `json:"d"`
		}
		if err := json.Unmarshal(msg, &p); err != nil {
			c.closeWith(4002, "Error while decoding payload.")
			return
		}
		switch p.Op {
		case 1: // heartbeat
			f.mu.Lock()
			f.heartbeats++
			ack := f.acks
			f.notify()
			f.mu.Unlock()
			if ack {
				c.send(map[string]any{"op": 11, "d": nil})
			}
		case 2: // identify
			var id struct {
				Token   string  `json:"token"`
				Intents *int    `json:"intents"`
				Shard   *[2]int `json:"shard"`
			}
			json.Unmarshal(p.D, &id)
			if !f.authenticate(c, id.Token) {
				return
			}
			if id.Intents == nil {
				c.closeWith(4013, "Invalid intent(s).")
				return
			}
			if id.Shard != nil && (id.Shard[0] < 0 || id.Shard[0] >= id.Shard[1]) {
				c.closeWith(4010, "Invalid shard.")
				return
			}
			s := &gwSession{id: "sess" + f.id()}
			f.mu.Lock()
			f.identifies++
			f.lastIntents = *id.Intents
			f.lastShard = nil
			if id.Shard != nil {
				f.lastShard = id.Shard[:]
			}
			f.sessions[s.id] = s
			c.session = s
			s.seq++
			seq := s.seq
			f.notify()
			f.mu.Unlock()
			shard := []int{0, 1}
			if id.Shard != nil {
				shard = id.Shard[:]
			}
			c.send(map[string]any{"op": 0, "s": seq, "t": "READY", "d": map[string]any{
				"v": 9, "session_id": s.id, "resume_gateway_url": strings.Replace(f.URL, "http://", "ws://", 1) + "/gateway-ws",
				"user":        map[string]any{"id": f.BotID, "username": "OnRecord", "discriminator": "0", "bot": true, "verified": true, "avatar": nil},
				"guilds":      []any{map[string]any{"id": GuildID, "unavailable": true}},
				"application": map[string]any{"id": f.AppID, "flags": 0},
				"shard":       shard, "private_channels": []any{}, "user_settings": map[string]any{}, "relationships": []any{},
			}})
		case 6: // resume
			var rs struct {
				Token     string `json:"token"`
				SessionID string `json:"session_id"`
				Seq       int64  `json:"seq"`
			}
			json.Unmarshal(p.D, &rs)
			if !f.authenticate(c, rs.Token) {
				return
			}
			f.mu.Lock()
			s, ok := f.sessions[rs.SessionID]
			f.resumes++
			if ok {
				c.session = s
				s.seq++
			}
			var seq int64
			if ok {
				seq = s.seq
			}
			f.notify()
			f.mu.Unlock()
			if !ok {
				c.send(map[string]any{"op": 9, "d": false})
				continue
			}
			c.send(map[string]any{"op": 0, "s": seq, "t": "RESUMED", "d": map[string]any{}})
		default:
			c.closeWith(4001, "Unknown opcode.")
			return
		}
	}
}

func (c *gwConn) closeWith(code int, reason string) {
	c.closed.Store(true)
	c.wmu.Lock()
	c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, reason), time.Now().Add(time.Second))
	c.wmu.Unlock()
}

// multipartParts returns the payload_json part of a multipart body and
// its files (parts named files[n]) by file name.
func multipartParts(contentType string, body []byte) ([]byte, map[string][]byte, error) {
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return nil, nil, fmt.Errorf("bad multipart content type: %w", err)
	}
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	var payload []byte
	files := map[string][]byte{}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("bad multipart body: %w", err)
		}
		b, err := io.ReadAll(part)
		if err != nil {
			return nil, nil, fmt.Errorf("bad multipart part: %w", err)
		}
		switch name := part.FormName(); {
		case name == "payload_json":
			payload = b
		case strings.HasPrefix(name, "files["):
			files[part.FileName()] = b
		default:
			return nil, nil, fmt.Errorf("unexpected multipart part %q", name)
		}
	}
	if payload == nil {
		return nil, nil, fmt.Errorf("multipart body has no payload_json part")
	}
	return payload, files, nil
}

// authenticate checks an IDENTIFY's or RESUME's token as Discord does,
// closing the connection (with the refusal the test set, or 4004) when
// it fails.
func (f *Fake) authenticate(c *gwConn, token string) bool {
	f.mu.Lock()
	refuse := f.refuse
	f.mu.Unlock()
	if refuse != 0 {
		c.closeWith(refuse, "Authentication failed.")
		return false
	}
	if strings.TrimPrefix(token, "Bot ") != f.Token {
		c.closeWith(4004, "Authentication failed.")
		return false
	}
	return true
}
