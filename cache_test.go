package main

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/onrecord/onrecord/bot/discordtest"
	"github.com/onrecord/onrecord/commands"
	"github.com/onrecord/onrecord/db"
	"github.com/onrecord/onrecord/knowledge"
)

// countedStore is the real seeded store, counting the profiles it builds
// and failing the next ones when told to.
type countedStore struct {
	*db.Store
	profiles atomic.Int64
	fail     atomic.Int64
}

func (c *countedStore) PersonProfile(ctx context.Context, scope knowledge.Scope, id string) (*knowledge.PersonProfile, error) {
	c.profiles.Add(1)
	if c.fail.Load() > 0 {
		c.fail.Add(-1)
		return nil, knowledge.Wrap(errors.New("disk on fire"), knowledge.CodeUnavailable, "The record is busy; please try again in a moment.")
	}
	return c.Store.PersonProfile(ctx, scope, id)
}

func seededStore(t *testing.T) *countedStore {
	t.Helper()
	s, err := db.Open(context.Background(), filepath.Join(t.TempDir(), "kb.db"), db.Options{Seed: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return &countedStore{Store: s}
}

// slash returns a /name interaction from a member of server 42.
func slash(name string, opts map[string]string) *discordgo.Interaction {
	data := discordgo.ApplicationCommandInteractionData{ID: "1", Name: name, CommandType: discordgo.ChatApplicationCommand}
	for k, v := range opts {
		data.Options = append(data.Options, &discordgo.ApplicationCommandInteractionDataOption{Name: k, Type: discordgo.ApplicationCommandOptionString, Value: v})
	}
	return &discordgo.Interaction{ID: "2", Type: discordgo.InteractionApplicationCommand, Data: data, GuildID: "42", ChannelID: "43",
		Member: &discordgo.Member{User: &discordgo.User{ID: "44"}}}
}

// check validates resp as Discord would and returns its JSON text.
func check(t *testing.T, resp *discordgo.InteractionResponse) string {
	t.Helper()
	b, err := json.Marshal(resp)
	if err != nil {
		t.Fatal(err)
	}
	s, err := discordtest.Shared()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.ValidateCallback(b); err != nil {
		t.Fatalf("Discord would refuse this response: %v\n%s", err, b)
	}
	return string(b)
}

func in(guild string, i *discordgo.Interaction) *discordgo.Interaction {
	i.GuildID = guild
	return i
}

func answer(t *testing.T, rt *commands.Router, i *discordgo.Interaction) string {
	t.Helper()
	resp, err := rt.Handle(context.Background(), commands.ActorOf(i, nil), i)
	if err != nil && knowledge.ErrorCode(err) != knowledge.CodeUnavailable {
		t.Fatal(err)
	}
	return check(t, resp)
}

func TestAnswersAreKeptUntilTheRecordChanges(t *testing.T) {
	ctx := context.Background()
	store := seededStore(t)
	rt := commands.NewRouter(store, commands.Deps{})

	first := answer(t, rt, slash("who", map[string]string{"name": "Hugh Ind"}))
	again := answer(t, rt, slash("who", map[string]string{"name": "Hugh Ind"}))
	if again != first || store.profiles.Load() != 1 {
		t.Fatalf("asking again built %d profiles (want 1) or changed the answer", store.profiles.Load())
	}
	if st := rt.CacheStats(); st.Hits != 1 || st.Entries == 0 {
		t.Fatalf("cache stats %+v, want one hit", st)
	}

	// A moderator of server 42 edits Hugh Ind: the next answer there shows it.
	mod := knowledge.Actor{UserID: "7", GuildID: "42", Rank: knowledge.RankOwner}
	if err := store.Edit(ctx, knowledge.Change{Actor: mod, Action: knowledge.ActionEdit, Reason: "test"}, "p-hugh-ind", 0, func(e knowledge.Entry) error {
		e.(*knowledge.Person).Summary = "Edited summary that must show at once."
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if after := answer(t, rt, slash("who", map[string]string{"name": "Hugh Ind"})); !strings.Contains(after, "Edited summary that must show at once.") {
		t.Fatalf("the answer after an edit still shows the old record:\n%s", after)
	}
}

func TestKeptAnswersStayInTheirServer(t *testing.T) {
	ctx := context.Background()
	store := seededStore(t)
	rt := commands.NewRouter(store, commands.Deps{})
	mod := knowledge.Actor{UserID: "7", GuildID: "111111111111111111", Rank: knowledge.RankModerator}
	if _, err := store.Add(ctx, knowledge.Change{Actor: mod, Action: knowledge.ActionAdd}, &knowledge.Person{Name: "Jane Localmember", Summary: "Only in server 111."}); err != nil {
		t.Fatal(err)
	}
	own := answer(t, rt, in("111111111111111111", slash("who", map[string]string{"name": "Jane Localmember"})))
	other := answer(t, rt, in("222222222222222222", slash("who", map[string]string{"name": "Jane Localmember"})))
	if !strings.Contains(own, "Only in server 111.") {
		t.Fatalf("the server that added Jane does not see her:\n%s", own)
	}
	if strings.Contains(other, "Only in server 111.") {
		t.Fatalf("another server was given the first server's kept answer:\n%s", other)
	}
}

func TestFailuresAreNotKept(t *testing.T) {
	store := seededStore(t)
	rt := commands.NewRouter(store, commands.Deps{})
	store.fail.Store(1)
	if failed := answer(t, rt, slash("who", map[string]string{"name": "Hugh Ind"})); !strings.Contains(failed, "busy") {
		t.Fatalf("want the busy message, got %s", failed)
	}
	if ok := answer(t, rt, slash("who", map[string]string{"name": "Hugh Ind"})); !strings.Contains(ok, "Head of Immigration Enforcement") {
		t.Fatalf("a failure was kept as the answer: %s", ok)
	}
}

func TestAnswerCacheOff(t *testing.T) {
	store := seededStore(t)
	rt := commands.NewRouter(store, commands.Deps{})
	rt.SetAnswerCache(0)
	for range 3 {
		answer(t, rt, slash("who", map[string]string{"name": "Hugh Ind"}))
	}
	if n := store.profiles.Load(); n != 3 {
		t.Fatalf("with the cache off, 3 questions built %d profiles", n)
	}
}

// TestQuestionsThatDifferGetTheirOwnAnswers: no text a user types can make
// one question's kept answer serve another, and only commands whose answer
// does not depend on the asker are kept.
func TestQuestionsThatDifferGetTheirOwnAnswers(t *testing.T) {
	store := seededStore(t)
	rt := commands.NewRouter(store, commands.Deps{})
	tests := []struct {
		name string
		a, b *discordgo.Interaction
		same bool
	}{
		{"another asker, same question", slash("who", map[string]string{"name": "Rudd"}), asUser(slash("who", map[string]string{"name": "Rudd"}), "99"), true},
		{"different names", slash("who", map[string]string{"name": "Rudd"}), slash("who", map[string]string{"name": "Hugh Ind"}), false},
		{"option text imitating another option", slash("claims", map[string]string{"person": "Amber Rudd", "status": "contradicted"}),
			slash("claims", map[string]string{"person": "Amber Rudd\x00status=contradicted"}), false},
		{"option text imitating a length prefix", slash("claims", map[string]string{"person": "Amber Rudd", "status": "contradicted"}),
			slash("claims", map[string]string{"person": "Amber Rudd6:status12:contradicted"}), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := answer(t, rt, tc.a)
			hits := rt.CacheStats().Hits
			b := answer(t, rt, tc.b)
			if kept := rt.CacheStats().Hits > hits; kept != tc.same {
				t.Fatalf("second question answered from the first's kept answer: %v, want %v", kept, tc.same)
			}
			if !tc.same && a == b {
				t.Fatalf("two different questions got the same answer:\n%s", a)
			}
		})
	}

	t.Run("help depends on the asker", func(t *testing.T) {
		member := answer(t, rt, slash("help", nil))
		mod := slash("help", nil)
		mod.Member.Permissions = discordgo.PermissionManageMessages
		if moderator := answer(t, rt, mod); moderator == member {
			t.Fatal("a moderator's /help is the member's, kept")
		}
	})
}

func asUser(i *discordgo.Interaction, id string) *discordgo.Interaction {
	i.Member.User.ID = id
	i.ID = "3"
	i.Token = "other"
	return i
}
