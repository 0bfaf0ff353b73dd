package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/onrecord/onrecord/bot/discordtest"
	"github.com/onrecord/onrecord/commands"
)

// lockedBuffer collects a goroutine's output safely.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

type liveBot struct {
	cancel context.CancelFunc
	done   chan int
	stderr *lockedBuffer
	once   sync.Once
	code   int
}

// stop sends the bot the shutdown signal and returns its exit status.
func (b *liveBot) stop(t *testing.T) int {
	t.Helper()
	b.once.Do(func() {
		start := time.Now()
		b.cancel()
		select {
		case b.code = <-b.done:
		case <-time.After(15 * time.Second):
			t.Error("onrecord run did not exit within 15 seconds")
			b.code = -1
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("shutdown took %v, more than 10 seconds", d)
		}
	})
	return b.code
}

// startRun runs `onrecord run` against the fake Discord, as production
// would run it, and waits for it to connect.
func startRun(t *testing.T, f *discordtest.Fake, dbPath string, env map[string]string) *liveBot {
	t.Helper()
	full := map[string]string{"DISCORD_TOKEN": f.Token, "DISCORD_API_URL": f.APIBase, "ONRECORD_LOG_FORMAT": "json", "ONRECORD_LOG_LEVEL": "debug"}
	for k, v := range env {
		full[k] = v
	}
	ctx, cancel := context.WithCancel(context.Background())
	b := &liveBot{cancel: cancel, done: make(chan int, 1), stderr: &lockedBuffer{}}
	go func() {
		var stdout bytes.Buffer
		err := run(ctx, []string{"run", "--db", dbPath}, func(k string) string { return full[k] }, strings.NewReader(""), &stdout, b.stderr)
		b.done <- exitCode(err, b.stderr)
	}()
	t.Cleanup(func() { b.stop(t) })
	if !f.WaitConnected(15 * time.Second) {
		t.Fatalf("onrecord run did not connect:\n%s", b.stderr.String())
	}
	waitLog(t, b, "commands") // start-up ends with registering them, or finding them unchanged
	return b
}

// waitLog waits for a line containing want in the bot's log.
func waitLog(t *testing.T, b *liveBot, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if strings.Contains(b.stderr.String(), want) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("the log never said %q:\n%s", want, b.stderr.String())
}

func TestRunRegistersOnceAndAnswers(t *testing.T) {
	f := discordtest.NewFake(t)
	dbPath := newDB(t)
	b := startRun(t, f, dbPath, nil)
	waitLog(t, b, `"msg":"registered commands"`)

	var names, want []string
	for _, c := range f.Commands("") {
		names = append(names, c.Name)
	}
	for _, d := range commands.NewRouter(nil, commands.Deps{}).Definitions() {
		want = append(want, d.Name)
	}
	if !slices.Equal(names, want) || f.CommandPuts() != 1 {
		t.Fatalf("registered %v in %d requests, want the router's %v once", names, f.CommandPuts(), want)
	}

	tests := []struct {
		command, option, value string
		want                   []string
	}{
		{"who", "name", "Hugh Ind", []string{"Hugh Ind", "Head of Immigration Enforcement", "Summary of performance"}},
		{"claims", "person", "Rudd", []string{"we don't have targets for removals", "I wasn't aware of specific removal targets", "12,800"}},
	}
	for _, tc := range tests {
		p, err := f.SlashCommand(discordtest.Member(), tc.command, tc.option, tc.value)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := p.Await(5 * time.Second)
		if err != nil {
			t.Fatalf("/%s %s: %v\n%s", tc.command, tc.value, err, b.stderr.String())
		}
		if d := p.RespondedAfter(); d > time.Second {
			t.Errorf("/%s answered after %v", tc.command, d)
		}
		var text strings.Builder
		text.WriteString(resp.Data.Content)
		for _, e := range resp.Data.Embeds {
			text.WriteString(e.Title + e.Description)
			for _, fl := range e.Fields {
				text.WriteString(fl.Value)
			}
		}
		for _, w := range tc.want {
			if !strings.Contains(text.String(), w) {
				t.Errorf("/%s %s lacks %q", tc.command, tc.value, w)
			}
		}
	}
	if code := b.stop(t); code != 0 {
		t.Fatalf("exit %d after SIGTERM:\n%s", code, b.stderr.String())
	}
	logs := b.stderr.String()
	for _, w := range []string{`"msg":"interaction"`, `"command":"claims"`, `"guild":"` + discordtest.GuildID + `"`, `"outcome":"ok"`, `"latency"`} {
		if !strings.Contains(logs, w) {
			t.Errorf("the log lacks %s", w)
		}
	}
	if strings.Contains(logs, f.Token) {
		t.Fatal("the token reached the log")
	}

	// A second start with the same definitions registers nothing.
	b = startRun(t, f, dbPath, nil)
	waitLog(t, b, `"msg":"commands unchanged since the last registration"`)
	if n := f.CommandPuts(); n != 1 {
		t.Fatalf("the restart registered again (%d registrations)", n)
	}
	b.stop(t)
}

func TestRunStopsOnAuthenticationFailure(t *testing.T) {
	f := discordtest.NewFake(t)
	f.RefuseIdentify(4004)
	var stderr lockedBuffer
	env := map[string]string{"DISCORD_TOKEN": f.Token, "DISCORD_API_URL": f.APIBase}
	done := make(chan int, 1)
	go func() {
		err := run(context.Background(), []string{"run", "--db", newDB(t)}, func(k string) string { return env[k] }, strings.NewReader(""), &bytes.Buffer{}, &stderr)
		done <- exitCode(err, &stderr)
	}()
	select {
	case code := <-done:
		if code == 0 || !strings.Contains(stderr.String(), "authentication failed") {
			t.Fatalf("exit %d, stderr %q: want a failure naming authentication", code, stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("onrecord run kept trying after close 4004")
	}
}

func TestRunNeedsAToken(t *testing.T) {
	r := onrecord(t, nil, "", "run", "--db", newDB(t))
	if r.code == 0 || !strings.Contains(r.stderr, "DISCORD_TOKEN") {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestRegisterOnDemand(t *testing.T) {
	f := discordtest.NewFake(t)
	env := map[string]string{"DISCORD_TOKEN": f.Token, "DISCORD_API_URL": f.APIBase}
	dbPath := newDB(t)
	for i := 1; i <= 2; i++ {
		r := onrecord(t, env, "", "register", "--db", dbPath, "--guild", discordtest.GuildID)
		n := len(commands.NewRouter(nil, commands.Deps{}).Definitions())
		if r.code != 0 || !strings.Contains(r.stdout, fmt.Sprintf("registered %d commands", n)) {
			t.Fatalf("register: %d %q %q", r.code, r.stdout, r.stderr)
		}
		if len(f.Commands(discordtest.GuildID)) != n || f.CommandPuts() != i {
			t.Fatalf("after %d registrations on demand the fake saw %d", i, f.CommandPuts())
		}
	}
	bad := map[string]string{"DISCORD_TOKEN": "revoked", "DISCORD_API_URL": f.APIBase}
	if r := onrecord(t, bad, "", "register", "--db", dbPath); r.code == 0 || !strings.Contains(r.stderr, "authentication failed") {
		t.Fatalf("register with a revoked token: %d %q", r.code, r.stderr)
	}
}

// ask dispatches /who Hugh Ind over the gateway and checks the answer.
func askWho(t *testing.T, f *discordtest.Fake, b *liveBot) *discordtest.Pending {
	t.Helper()
	p, err := f.SlashCommand(discordtest.Member(), "who", "name", "Hugh Ind")
	if err != nil {
		t.Fatal(err)
	}
	resp, err := p.Await(5 * time.Second)
	if err != nil {
		t.Fatalf("%v\n%s", err, b.stderr.String())
	}
	if resp.Data == nil || len(resp.Data.Embeds) == 0 || resp.Data.Embeds[0].Title != "Hugh Ind" {
		t.Fatalf("not the answer to /who Hugh Ind: %+v", resp)
	}
	return p
}

// TestRunSurvivesFaults runs the real bot against each fault, then asks a
// question that must still be answered.
func TestRunSurvivesFaults(t *testing.T) {
	tests := []struct {
		name   string
		before func(f *discordtest.Fake)
		fault  func(f *discordtest.Fake)
		after  func(f *discordtest.Fake)
	}{
		{name: "socket dropped (1006)", fault: func(f *discordtest.Fake) { f.DropConnections() }},
		{name: "close 4000", fault: func(f *discordtest.Fake) { f.CloseConnections(4000, "Unknown error.") }},
		{name: "op 7 reconnect", fault: func(f *discordtest.Fake) { f.SendReconnect() }},
		{name: "op 9 invalid session", fault: func(f *discordtest.Fake) { f.SendInvalidSession(false) }},
		{
			name:   "zombie connection",
			before: func(f *discordtest.Fake) { f.SetHeartbeat(100*time.Millisecond, true) },
			fault:  func(f *discordtest.Fake) { f.SetHeartbeatAcks(false) },
			after:  func(f *discordtest.Fake) { f.SetHeartbeatAcks(true) },
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := discordtest.NewFake(t)
			if tc.before != nil {
				tc.before(f)
			}
			b := startRun(t, f, newDB(t), nil)
			askWho(t, f, b)
			ids, res, _ := f.Counts()
			tc.fault(f)
			if !f.WaitFor(10*time.Second, func() bool {
				i, r, _ := f.Counts()
				return i+r > ids+res && f.Connected() > 0
			}) {
				t.Fatalf("the bot did not reconnect:\n%s", b.stderr.String())
			}
			if tc.after != nil {
				tc.after(f)
			}
			askWho(t, f, b)
		})
	}
}

func TestRunSurvivesRESTFaults(t *testing.T) {
	t.Run("429 on the callback is retried after retry_after", func(t *testing.T) {
		t.Parallel()
		f := discordtest.NewFake(t)
		b := startRun(t, f, newDB(t), nil)
		f.FailNext("POST", "/interactions/", http.StatusTooManyRequests, 300*time.Millisecond, 1)
		p := askWho(t, f, b)
		if d := p.RespondedAfter(); d < 300*time.Millisecond {
			t.Fatalf("answered after %v, before retry_after", d)
		}
	})
	t.Run("500 on the callback is logged and the bot goes on", func(t *testing.T) {
		t.Parallel()
		f := discordtest.NewFake(t)
		b := startRun(t, f, newDB(t), nil)
		f.FailNext("POST", "/interactions/", http.StatusInternalServerError, 0, 1)
		p, err := f.SlashCommand(discordtest.Member(), "who", "name", "Hugh Ind")
		if err != nil {
			t.Fatal(err)
		}
		waitLog(t, b, `"msg":"interaction response failed"`)
		if _, err := p.Await(200 * time.Millisecond); err == nil {
			t.Fatal("a refused response counted as answered")
		}
		askWho(t, f, b)
	})
}

// kbData builds the data of a /kb interaction: group and sub ("" for a
// plain subcommand) and options as name-type-value triples.
func kbData(group, sub string, opts ...any) map[string]any {
	var options []map[string]any
	for i := 0; i+2 < len(opts); i += 3 {
		options = append(options, map[string]any{"name": opts[i], "type": opts[i+1], "value": opts[i+2]})
	}
	leaf := map[string]any{"name": sub, "type": 1, "options": options}
	top := leaf
	if group != "" {
		top = map[string]any{"name": group, "type": 2, "options": []any{leaf}}
	}
	return map[string]any{"id": "1400000000000000009", "name": "kb", "type": 1, "options": []any{top}}
}

// TestRunModeration runs the moderators' commands through the gateway:
// announcements are posted in the server's channel, an export arrives as
// a file upload, an attachment is downloaded and imported.
func TestRunModeration(t *testing.T) {
	f := discordtest.NewFake(t)
	b := startRun(t, f, newDB(t), nil)
	mod := discordtest.Member()
	mod.Permissions |= 8192 // Manage Messages
	do := func(data map[string]any) *discordtest.Pending {
		t.Helper()
		p, err := f.Dispatch(mod, 2, data)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.Await(5 * time.Second); err != nil {
			t.Fatalf("%v\n%s", err, b.stderr.String())
		}
		return p
	}
	const channel = "1300000000000000777"
	do(kbData("", "settings", "announce_channel", 7, channel))
	p := do(kbData("person", "add", "name", 3, "Jane Doe", "summary", 3, "An MP."))
	if !strings.Contains(string(p.Body()), "p-jane-doe") || !strings.Contains(string(p.Body()), `"flags":64`) {
		t.Fatalf("no ephemeral confirmation: %s", p.Body())
	}
	if !f.WaitFor(5*time.Second, func() bool { return len(f.ChannelMessages(channel)) > 0 }) {
		t.Fatalf("the change was not announced:\n%s", b.stderr.String())
	}
	if m := string(f.ChannelMessages(channel)[0]); !strings.Contains(m, "Jane Doe") || !strings.Contains(m, `"parse":[]`) {
		t.Fatalf("announcement %s", m)
	}
	// A member cannot, whatever Discord's permission settings show.
	pm, err := f.Dispatch(discordtest.Member(), 2, kbData("person", "add", "name", 3, "John Roe"))
	if err != nil {
		t.Fatal(err)
	}
	if r, err := pm.Await(5 * time.Second); err != nil || !strings.Contains(r.Data.Content, "Not allowed") {
		t.Fatalf("a member's /kb: %v %+v", err, r)
	}

	// A role the server names in /kb settings makes its members moderators.
	const role = "1300000000000000888"
	do(kbData("", "settings", "moderator_role", 8, role))
	withRole := discordtest.Member()
	withRole.Roles = []string{role}
	pr, err := f.Dispatch(withRole, 2, kbData("person", "add", "name", 3, "Role Holder"))
	if err != nil {
		t.Fatal(err)
	}
	if r, err := pr.Await(5 * time.Second); err != nil || !strings.Contains(r.Data.Content, "Added **Role Holder**") {
		t.Fatalf("a member with a moderator role: %v %+v", err, r)
	}

	exp := do(kbData("", "export"))
	var file []byte
	for name, body := range exp.Files() {
		if strings.HasSuffix(name, ".json") {
			file = body
		}
	}
	if !bytes.Contains(file, []byte(`"p-jane-doe"`)) {
		t.Fatalf("the export file lacks the server's record: %d bytes", len(file))
	}
	// Import it into another server, as an attachment.
	other := mod
	other.Guild = "1300000000000000555"
	att := f.Attachment("export.json", file)
	data := kbData("", "import", "file", 11, att["id"])
	data["resolved"] = map[string]any{"attachments": map[string]any{att["id"].(string): att}}
	pi, err := f.Dispatch(other, 2, data)
	if err != nil {
		t.Fatal(err)
	}
	r, err := pi.Await(5 * time.Second)
	if err != nil || !strings.Contains(r.Data.Content, "Imported: 2 added") {
		t.Fatalf("import: %v %+v\n%s", err, r, b.stderr.String())
	}
}
