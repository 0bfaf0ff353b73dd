package bot_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/onrecord/onrecord/bot"
	"github.com/onrecord/onrecord/commands"
	"github.com/onrecord/onrecord/knowledge"
)

// panicStore panics on every lookup; slowStore waits for its context.
type panicStore struct{ commands.Store }

func (panicStore) FindPerson(context.Context, knowledge.Scope, string) (knowledge.Resolution, error) {
	panic("boom: nil map in a handler")
}

type slowStore struct{ commands.Store }

func (panicStore) Generation(context.Context) uint64 { return 0 }
func (slowStore) Generation(context.Context) uint64  { return 0 }

func (slowStore) FindPerson(ctx context.Context, _ knowledge.Scope, _ string) (knowledge.Resolution, error) {
	<-ctx.Done()
	return knowledge.Resolution{}, ctx.Err()
}

func askJSON(t *testing.T, d *bot.Dispatcher, asker bot.Asker, line string) *discordgo.InteractionResponse {
	t.Helper()
	var out bytes.Buffer
	if err := bot.Ask(context.Background(), d, asker, line, bot.AskOptions{JSON: true}, &out); err != nil {
		t.Fatal(err)
	}
	var resp discordgo.InteractionResponse
	if err := json.Unmarshal(out.Bytes(), &resp); err != nil {
		t.Fatalf("reply is not an InteractionResponse: %v\n%s", err, out.String())
	}
	return &resp
}

func TestDispatchRecoversFromPanics(t *testing.T) {
	var logs bytes.Buffer
	d := &bot.Dispatcher{Router: commands.NewRouter(panicStore{}, commands.Deps{}), Log: slog.New(slog.NewJSONHandler(&logs, nil))}
	resp := askJSON(t, d, bot.Asker{}, "/who Rudd")
	if resp.Data == nil || resp.Data.Flags&discordgo.MessageFlagsEphemeral == 0 || !strings.Contains(resp.Data.Content, "Sorry") {
		t.Fatalf("no ephemeral apology: %+v", resp.Data)
	}
	if strings.Contains(resp.Data.Content, "boom") {
		t.Fatal("the panic reached the user")
	}
	if !strings.Contains(logs.String(), `"outcome":"panic"`) || !strings.Contains(logs.String(), "goroutine") {
		t.Fatalf("panic not logged with a stack:\n%s", logs.String())
	}
}

func TestDispatchDeadline(t *testing.T) {
	d := &bot.Dispatcher{Router: commands.NewRouter(slowStore{}, commands.Deps{}), Timeout: 50 * time.Millisecond}
	start := time.Now()
	resp := askJSON(t, d, bot.Asker{}, "/who Rudd")
	if time.Since(start) > 5*time.Second {
		t.Fatal("the deadline did not stop the handler")
	}
	if resp.Data == nil || resp.Data.Flags&discordgo.MessageFlagsEphemeral == 0 {
		t.Fatalf("no ephemeral error after the deadline: %+v", resp)
	}
}

func TestDispatchLogsOneLinePerInteraction(t *testing.T) {
	var logs bytes.Buffer
	d := &bot.Dispatcher{Router: commands.NewRouter(slowStore{}, commands.Deps{}), Timeout: time.Millisecond, Log: slog.New(slog.NewJSONHandler(&logs, nil))}
	askJSON(t, d, bot.Asker{GuildID: "77", UserID: "88"}, "/who Rudd")
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	if len(lines) != 1 {
		t.Fatalf("%d log lines, want 1:\n%s", len(lines), logs.String())
	}
	var rec map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &rec); err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]string{"guild": "77", "user": "88", "command": "who", "outcome": "error", "channel": bot.ConsoleChannelID} {
		if rec[k] != want {
			t.Errorf("log %s = %v, want %v", k, rec[k], want)
		}
	}
	if _, ok := rec["latency"]; !ok {
		t.Error("log line has no latency")
	}
}

func TestAskerInteraction(t *testing.T) {
	data := discordgo.ApplicationCommandInteractionData{Name: "who"}
	tests := []struct {
		name  string
		asker bot.Asker
		rank  knowledge.Rank
		guild string
	}{
		{"member", bot.Asker{}, knowledge.RankMember, bot.ConsoleGuildID},
		{"moderator", bot.Asker{Rank: "moderator"}, knowledge.RankModerator, bot.ConsoleGuildID},
		{"other guild", bot.Asker{GuildID: "123"}, knowledge.RankMember, "123"},
		{"dm moderator is a member", bot.Asker{Rank: "moderator", DM: true}, knowledge.RankMember, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			i, err := tc.asker.Interaction(data, discordgo.InteractionApplicationCommand)
			if err != nil {
				t.Fatal(err)
			}
			if tc.asker.DM && (i.Member != nil || i.User == nil || i.GuildID != "") {
				t.Fatalf("a DM interaction has member %v, user %v, guild %q", i.Member, i.User, i.GuildID)
			}
			a := commands.ActorOf(i, nil)
			if a.Rank != tc.rank || a.GuildID != tc.guild || a.UserID != bot.ConsoleUserID {
				t.Fatalf("actor %+v", a)
			}
			if _, ok := i.Data.(discordgo.ApplicationCommandInteractionData); !ok {
				t.Fatalf("data is %T", i.Data)
			}
		})
	}
	if _, err := (bot.Asker{UserID: "bob"}).Interaction(data, discordgo.InteractionApplicationCommand); err == nil {
		t.Fatal("a non-numeric user id was accepted")
	}
}
