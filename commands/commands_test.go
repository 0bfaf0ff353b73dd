package commands_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/onrecord/onrecord/bot/discordtest"
	"github.com/onrecord/onrecord/commands"
	"github.com/onrecord/onrecord/knowledge"
)

// fakeStore is a map-backed Store: people by id, their claims, and an
// error to fail with.
type fakeStore struct {
	commands.ModStore // nil: these tests do not moderate
	people            map[string]*knowledge.PersonProfile
	claims            map[string][]knowledge.ClaimView
	err               error
	scopes            []knowledge.Scope // every scope asked for
	texts             map[string]string
	gen               uint64 // bumped on every call: answers are never reused here
	search            knowledge.SearchPage
	resolution        *knowledge.Resolution // when set, what FindPerson answers
}

func (f *fakeStore) Generation(context.Context) uint64 { f.gen++; return f.gen }

func (f *fakeStore) FindPerson(_ context.Context, scope knowledge.Scope, q string) (knowledge.Resolution, error) {
	f.scopes = append(f.scopes, scope)
	if f.err != nil {
		return knowledge.Resolution{}, f.err
	}
	if f.resolution != nil {
		return *f.resolution, nil
	}
	var cands []knowledge.Candidate
	for id, pp := range f.people {
		if !scope.Sees(pp.Person.Guild) {
			continue
		}
		cands = append(cands, knowledge.Candidate{PersonID: id, Name: pp.Person.Name, Role: pp.Person.CurrentRole(), Forms: pp.Person.NameForms()})
	}
	return knowledge.Resolve(q, cands), nil
}

func (f *fakeStore) PersonProfile(_ context.Context, scope knowledge.Scope, id string) (*knowledge.PersonProfile, error) {
	pp, ok := f.people[id]
	if !ok || !scope.Sees(pp.Person.Guild) {
		return nil, knowledge.Errorf(knowledge.CodeNotFound, "%s is not in the record.", id)
	}
	return pp, nil
}

func (f *fakeStore) Claims(_ context.Context, _ knowledge.Scope, q knowledge.ClaimQuery) (knowledge.ClaimPage, error) {
	var all []knowledge.ClaimView
	for _, c := range f.claims[q.Speaker] {
		if (q.Status == "" || c.Status == q.Status) && (!q.Contradicted || c.Status == knowledge.StatusContradicted) {
			all = append(all, c)
		}
	}
	page := knowledge.ClaimPage{Total: len(all)}
	from := min(q.Offset, len(all))
	page.Items = all[from:min(from+max(q.Limit, 10), len(all))]
	return page, nil
}

func (f *fakeStore) Claim(_ context.Context, _ knowledge.Scope, id string) (*knowledge.ClaimView, error) {
	for _, cs := range f.claims {
		for i := range cs {
			if cs[i].ID == id {
				return &cs[i], nil
			}
		}
	}
	return nil, knowledge.Errorf(knowledge.CodeNotFound, "%s is not in the record.", id)
}

func (f *fakeStore) FindDocument(context.Context, knowledge.Scope, string) (knowledge.DocResolution, error) {
	return knowledge.DocResolution{}, nil
}

func (f *fakeStore) DocumentProfile(_ context.Context, _ knowledge.Scope, id string) (*knowledge.DocumentProfile, error) {
	return nil, knowledge.Errorf(knowledge.CodeNotFound, "%s is not in the record.", id)
}

func (f *fakeStore) Search(context.Context, knowledge.Scope, string, int, int) (knowledge.SearchPage, error) {
	return f.search, f.err
}

func (f *fakeStore) Timeline(context.Context, knowledge.Scope, knowledge.TimelineQuery) (knowledge.TimelinePage, error) {
	return knowledge.TimelinePage{}, nil
}

func (f *fakeStore) Sources(context.Context, knowledge.Scope, int, int) (knowledge.SourcePage, error) {
	return knowledge.SourcePage{}, f.err
}

func (f *fakeStore) Stats(context.Context, knowledge.Scope) (map[string]int, error) {
	return map[string]int{"person": len(f.people)}, nil
}

func (f *fakeStore) Suggest(_ context.Context, scope knowledge.Scope, kind, typed string) ([]knowledge.Choice, error) {
	if kind != "person" {
		return nil, nil
	}
	var cands []knowledge.Candidate
	for id, pp := range f.people {
		if scope.Sees(pp.Person.Guild) {
			cands = append(cands, knowledge.Candidate{PersonID: id, Name: pp.Person.Name, Role: pp.Person.CurrentRole(), Forms: pp.Person.NameForms()})
		}
	}
	var out []knowledge.Choice
	for _, m := range knowledge.Suggest(typed, cands, 25) {
		out = append(out, knowledge.Choice{Name: m.Name + ": " + m.Role, Value: m.PersonID})
	}
	return out, nil
}

func (f *fakeStore) SaveText(_ context.Context, text string) (string, error) {
	if f.texts == nil {
		f.texts = map[string]string{}
	}
	key := fmt.Sprintf("k%d", len(f.texts))
	f.texts[key] = text
	return key, nil
}

func (f *fakeStore) LoadText(_ context.Context, key string) (string, error) {
	t, ok := f.texts[key]
	if !ok {
		return "", knowledge.Errorf(knowledge.CodeNotFound, "That list has expired. Run the command again.")
	}
	return t, nil
}

// hostile is text a careless or hostile moderator might store.
const hostile = "@everyone **bold** <@123456789012345678> [click](https://evil.example) `code` ~~x~~ > quote\n# heading ||spoiler|| זה טקסט בעברית \u202eevil\u202c 🙂"

func person(id, name, summary string) *knowledge.PersonProfile {
	return &knowledge.PersonProfile{
		Person: knowledge.Person{Record: knowledge.Record{ID: id}, Name: name, Summary: summary,
			Roles: []knowledge.Role{{Title: "Home Secretary"}}},
		Roles:    []knowledge.RoleView{{Role: knowledge.Role{Title: "Home Secretary"}}},
		Statuses: map[knowledge.Status]int{},
	}
}

func excerpt(id, text string) *knowledge.ExcerptView {
	return &knowledge.ExcerptView{
		Excerpt:  knowledge.Excerpt{Record: knowledge.Record{ID: id}, Document: "d-a", Text: text},
		Document: knowledge.DocRef{ID: "d-a", Title: "An article", Kind: knowledge.DocArticle, URL: "https://news.example/a(1)"},
	}
}

func claim(id, speaker, words string, status knowledge.Status) knowledge.ClaimView {
	return knowledge.ClaimView{
		Claim: knowledge.Claim{Record: knowledge.Record{ID: id}, Speaker: speaker, Attribution: knowledge.AttrStated,
			Words: words, Form: knowledge.FormDirect, Medium: "told the committee", DateText: "late on Friday"},
		Speaker:     &knowledge.Named{ID: speaker, Name: "Amber Rudd"},
		SpeakerIs:   "person",
		SpeakerRole: "Home Secretary",
		Source:      excerpt("x-"+id[2:], "she told the committee \""+words+"\""),
		Status:      status,
		Evidence: []knowledge.EvidenceView{{
			Evidence: knowledge.Evidence{Record: knowledge.Record{ID: "l-" + id[2:]}, Claim: id, Relation: knowledge.RelContradicts, Rationale: "The memo sets a target."},
			Excerpt:  excerpt("x-memo", "a target of achieving 12,800 enforced returns in 2017-18"),
			Document: &knowledge.DocRef{ID: "d-memo", Title: "Summary of performance", Kind: knowledge.DocMemo, Date: "2017-06"},
			Figures:  []knowledge.Figure{{Value: "12,800"}},
		}},
	}
}

func newStore() *fakeStore {
	rudd := person("p-amber-rudd", "Amber Rudd", "Home Secretary.")
	rudd.ClaimsBy = 1
	rudd.Statuses[knowledge.StatusContradicted] = 1
	top := claim("c-no-targets", "p-amber-rudd", "we don't have targets for removals", knowledge.StatusContradicted)
	top.Evidence = nil
	rudd.TopClaims = []knowledge.ClaimView{top}
	return &fakeStore{
		people: map[string]*knowledge.PersonProfile{
			"p-amber-rudd": rudd,
			"p-hugh-ind":   person("p-hugh-ind", "Hugh Ind", "Head of Immigration Enforcement."),
		},
		claims: map[string][]knowledge.ClaimView{
			"p-amber-rudd": {claim("c-no-targets", "p-amber-rudd", "we don't have targets for removals", knowledge.StatusContradicted)},
		},
	}
}

// slash returns an application command interaction from a guild member.
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
	if resp == nil {
		t.Fatal("nil response")
	}
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

func ephemeral(resp *discordgo.InteractionResponse) bool {
	return resp.Data != nil && resp.Data.Flags&discordgo.MessageFlagsEphemeral != 0
}

func TestDefinitionsAreValid(t *testing.T) {
	rt := commands.NewRouter(newStore(), commands.Deps{})
	b, err := json.Marshal(rt.Definitions())
	if err != nil {
		t.Fatal(err)
	}
	s, err := discordtest.Shared()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.ValidateCommands(b); err != nil {
		t.Fatalf("Discord would refuse these definitions: %v", err)
	}
}

func TestWho(t *testing.T) {
	tests := []struct {
		name      string
		query     string
		ephemeral bool
		want      []string
	}{
		{"found", "Hugh Ind", false, []string{`"title":"Hugh Ind"`, "Head of Immigration Enforcement", "id p-hugh-ind"}},
		{"surname", "Rudd", false, []string{`"title":"Amber Rudd"`, "1 statement", "1 contradicted"}},
		{"not on record", "Boris Johnson", false, []string{"Not on record", "Boris Johnson"}},
		{"suggestion", "Amber Smith", false, []string{"Closest names", "Amber Rudd"}},
		{"empty", "   ", true, []string{"type a name"}},
		{"too long", strings.Repeat("Rudd ", 1200), true, []string{"at most 200"}},
		{"mention", "@everyone", false, []string{"@\u200beveryone"}},
		{"markdown", "**Rudd**", false, []string{`"title":"Amber Rudd"`}},
		{"sql", "'; DROP TABLE people; --", false, []string{"Not on record", "DROP TABLE people"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rt := commands.NewRouter(newStore(), commands.Deps{})
			resp, _ := rt.Handle(context.Background(), knowledge.Actor{GuildID: "42"}, slash("who", map[string]string{"name": tc.query}))
			got := check(t, resp)
			if ephemeral(resp) != tc.ephemeral {
				t.Errorf("ephemeral = %v, want %v", ephemeral(resp), tc.ephemeral)
			}
			for _, w := range tc.want {
				if !strings.Contains(got, w) && !strings.Contains(got, jsonText(w)) {
					t.Errorf("response lacks %q:\n%s", w, got)
				}
			}
		})
	}
}

// jsonText returns s as it appears inside a JSON string.
func jsonText(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1])
}

func TestWhoAmbiguousListsEveryone(t *testing.T) {
	st := newStore()
	st.people["p-jane-rudd"] = person("p-jane-rudd", "Jane Rudd", "Another Rudd.")
	rt := commands.NewRouter(st, commands.Deps{})
	resp, err := rt.Handle(context.Background(), knowledge.Actor{GuildID: "42"}, slash("who", map[string]string{"name": "Rudd"}))
	if err != nil {
		t.Fatal(err)
	}
	got := check(t, resp)
	for _, w := range []string{"Several people fit", "fits 2 people", "Amber Rudd", "Jane Rudd"} {
		if !strings.Contains(got, w) {
			t.Errorf("response lacks %q", w)
		}
	}
}

// TestLargeCountsAreSaidAsLowerBounds: when the store stopped counting, the
// answer says "more than", with thousands separated.
func TestLargeCountsAreSaidAsLowerBounds(t *testing.T) {
	st := newStore()
	res := knowledge.Resolution{Query: "Smith", Total: 1000, More: true}
	for i := range 25 {
		id := fmt.Sprintf("p-smith-%d", i)
		res.Best = append(res.Best, knowledge.NameMatch{Candidate: knowledge.Candidate{PersonID: id, Name: "A Smith"}, Tier: knowledge.TierExact})
	}
	st.resolution = &res
	rt := commands.NewRouter(st, commands.Deps{})
	got := check(t, handle(t, rt, slash("who", map[string]string{"name": "Smith"})))
	for _, w := range []string{"fits more than 1,000 people", "25 most prominent of more than 1,000", "… and more than 990 more"} {
		if !strings.Contains(got, w) {
			t.Errorf("response lacks %q:\n%s", w, got)
		}
	}
}

func TestSearchSaysHowItOrdered(t *testing.T) {
	hit := knowledge.SearchHit{ID: "c-x", Kind: "claim", Label: "words", Snippet: "the \x02words\x03"}
	tests := []struct {
		name string
		page knowledge.SearchPage
		want string
	}{
		{"ranked", knowledge.SearchPage{Items: []knowledge.SearchHit{hit}, Total: 1}, "1 matches, best first"},
		{"newest ranked", knowledge.SearchPage{Items: []knowledge.SearchHit{hit}, Total: 1000, Capped: true, Newest: 2000}, "over 1,000 matches, best of the 2,000 newest first"},
		{"too common", knowledge.SearchPage{Items: []knowledge.SearchHit{hit}, Total: 1000, Capped: true, Newest: 2000, Unranked: true}, "newest first (words this common are not ranked)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := newStore()
			st.search = tc.page
			rt := commands.NewRouter(st, commands.Deps{})
			if got := check(t, handle(t, rt, slash("search", map[string]string{"query": "words"}))); !strings.Contains(got, tc.want) {
				t.Errorf("footer lacks %q:\n%s", tc.want, got)
			}
		})
	}
}

func handle(t *testing.T, rt *commands.Router, i *discordgo.Interaction) *discordgo.InteractionResponse {
	t.Helper()
	resp, err := rt.Handle(context.Background(), commands.ActorOf(i, nil), i)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// TestHostileStoredText proves stored text cannot ping, break the layout,
// or reorder the line: markdown is escaped, mentions defused, bidi
// controls dropped, right-to-left text isolated.
func TestHostileStoredText(t *testing.T) {
	st := newStore()
	pp := st.people["p-amber-rudd"]
	pp.Person.Summary = hostile
	c := st.claims["p-amber-rudd"][0]
	c.Words = hostile
	c.Context = hostile
	c.Evidence[0].Rationale = hostile
	st.claims["p-amber-rudd"][0] = c
	rt := commands.NewRouter(st, commands.Deps{})
	for _, cmd := range []string{"who", "claims"} {
		t.Run(cmd, func(t *testing.T) {
			opt := map[string]string{"who": "name", "claims": "person"}[cmd]
			resp, err := rt.Handle(context.Background(), knowledge.Actor{GuildID: "42"}, slash(cmd, map[string]string{opt: "Amber Rudd"}))
			if err != nil {
				t.Fatal(err)
			}
			check(t, resp)
			var all strings.Builder
			all.WriteString(resp.Data.Content)
			for _, e := range resp.Data.Embeds {
				all.WriteString(e.Title + e.Description)
				for _, f := range e.Fields {
					all.WriteString(f.Name + f.Value)
				}
			}
			text := all.String()
			for _, bad := range []string{"@everyone", "<@123", "[click](", "\u202e", "||spoiler||", "~~x~~"} {
				if strings.Contains(text, bad) {
					t.Errorf("stored %q reached the answer unescaped", bad)
				}
			}
			if !strings.Contains(text, "\u2068") {
				t.Error("right-to-left text is not isolated")
			}
		})
	}
}

// TestClaimsFitDiscordsLimits stores far more than one message can hold:
// the answer keeps within every limit and says how many it shows.
func TestClaimsFitDiscordsLimits(t *testing.T) {
	st := newStore()
	var many []knowledge.ClaimView
	for i := range 30 {
		c := claim(fmt.Sprintf("c-%d", i), "p-amber-rudd", strings.Repeat("word 🙂 ", 250), knowledge.StatusContradicted)
		c.Context = strings.Repeat("context ", 100)
		c.Attribution = knowledge.AttrInferred
		c.AttributionReason = strings.Repeat("reason ", 200)
		for range 6 {
			c.Evidence = append(c.Evidence, c.Evidence[0])
		}
		many = append(many, c)
	}
	st.claims["p-amber-rudd"] = many
	rt := commands.NewRouter(st, commands.Deps{})
	resp, err := rt.Handle(context.Background(), knowledge.Actor{GuildID: "42"}, slash("claims", map[string]string{"person": "Rudd"}))
	if err != nil {
		t.Fatal(err)
	}
	check(t, resp)
	n := len(resp.Data.Embeds)
	if n == 0 || n >= 30 {
		t.Fatalf("%d embeds for 30 long claims", n)
	}
	if want := fmt.Sprintf("Showing 1–%d of 30", n); !strings.Contains(resp.Data.Content, want) {
		t.Fatalf("content %q does not say %q", resp.Data.Content, want)
	}
}

func TestRouterTranslatesErrors(t *testing.T) {
	tests := []struct {
		name      string
		err       error
		want      string
		forbidden string // must not reach the user
	}{
		{"internal", errors.New("sql: no such table: people at /var/lib/onrecord.db"), "Something went wrong", "no such table"},
		{"unavailable", knowledge.Wrap(errors.New("database is locked"), knowledge.CodeUnavailable, "The record is busy; please try again in a moment."), "busy", "locked"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := newStore()
			st.err = tc.err
			rt := commands.NewRouter(st, commands.Deps{})
			resp, err := rt.Handle(context.Background(), knowledge.Actor{}, slash("who", map[string]string{"name": "Rudd"}))
			if !errors.Is(err, tc.err) {
				t.Fatalf("Handle returned %v, want the store's error for the log", err)
			}
			got := check(t, resp)
			if !ephemeral(resp) {
				t.Error("error answer is not ephemeral")
			}
			if !strings.Contains(got, tc.want) || strings.Contains(got, tc.forbidden) {
				t.Fatalf("answer %s: want %q without %q", got, tc.want, tc.forbidden)
			}
		})
	}
}

func TestRouterInteractionTypes(t *testing.T) {
	rt := commands.NewRouter(newStore(), commands.Deps{})
	tests := []struct {
		name string
		i    *discordgo.Interaction
		typ  discordgo.InteractionResponseType
		err  bool
	}{
		{"ping", &discordgo.Interaction{Type: discordgo.InteractionPing}, discordgo.InteractionResponsePong, false},
		{"unknown command", slash("nope", nil), discordgo.InteractionResponseChannelMessageWithSource, true},
		{"autocomplete", &discordgo.Interaction{Type: discordgo.InteractionApplicationCommandAutocomplete,
			Data: discordgo.ApplicationCommandInteractionData{Name: "who"}}, discordgo.InteractionApplicationCommandAutocompleteResult, false},
		{"button", &discordgo.Interaction{Type: discordgo.InteractionMessageComponent,
			Data: discordgo.MessageComponentInteractionData{CustomID: "x"}}, discordgo.InteractionResponseChannelMessageWithSource, true},
		{"command without data", &discordgo.Interaction{Type: discordgo.InteractionApplicationCommand}, discordgo.InteractionResponseChannelMessageWithSource, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := rt.Handle(context.Background(), knowledge.Actor{}, tc.i)
			if (err != nil) != tc.err {
				t.Fatalf("err = %v, want error %v", err, tc.err)
			}
			if resp.Type != tc.typ {
				t.Fatalf("response type %d, want %d", resp.Type, tc.typ)
			}
			check(t, resp)
		})
	}
}

// TestRecordedInteractions routes interaction payloads shaped like
// Discord's documented examples, from a guild member and from a DM.
func TestRecordedInteractions(t *testing.T) {
	tests := []struct {
		file  string
		guild string // the scope the store must be asked with
		want  string
	}{
		{"testdata/who_guild_member.json", "290926798626357999", "Hugh Ind"},
		{"testdata/claims_dm_user.json", "", "we don't have targets for removals"},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			b, err := os.ReadFile(tc.file)
			if err != nil {
				t.Fatal(err)
			}
			var i discordgo.Interaction
			if err := json.Unmarshal(b, &i); err != nil {
				t.Fatal(err)
			}
			st := newStore()
			rt := commands.NewRouter(st, commands.Deps{})
			resp, err := rt.Handle(context.Background(), commands.ActorOf(&i, nil), &i)
			if err != nil {
				t.Fatal(err)
			}
			if got := check(t, resp); !strings.Contains(got, jsonText(tc.want)) {
				t.Fatalf("answer lacks %q", tc.want)
			}
			if len(st.scopes) == 0 || st.scopes[0].Guild != tc.guild {
				t.Fatalf("store asked with scopes %v, want guild %q", st.scopes, tc.guild)
			}
		})
	}
}

func TestActorOf(t *testing.T) {
	member := func(perms int64) *discordgo.Member {
		return &discordgo.Member{User: &discordgo.User{ID: "7"}, Permissions: perms}
	}
	tests := []struct {
		name   string
		i      *discordgo.Interaction
		owners []string
		rank   knowledge.Rank
		guild  string
	}{
		{"member", &discordgo.Interaction{GuildID: "1", Member: member(discordgo.PermissionSendMessages)}, nil, knowledge.RankMember, "1"},
		{"manage messages", &discordgo.Interaction{GuildID: "1", Member: member(discordgo.PermissionManageMessages)}, nil, knowledge.RankModerator, "1"},
		{"administrator", &discordgo.Interaction{GuildID: "1", Member: member(discordgo.PermissionAdministrator)}, nil, knowledge.RankModerator, "1"},
		{"bot owner", &discordgo.Interaction{GuildID: "1", Member: member(0)}, []string{"7"}, knowledge.RankOwner, "1"},
		{"dm", &discordgo.Interaction{User: &discordgo.User{ID: "7"}}, nil, knowledge.RankMember, ""},
		{"dm owner", &discordgo.Interaction{User: &discordgo.User{ID: "7"}}, []string{"7"}, knowledge.RankOwner, ""},
		{"other owner", &discordgo.Interaction{GuildID: "1", Member: member(0)}, []string{"8"}, knowledge.RankMember, "1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := commands.ActorOf(tc.i, tc.owners)
			if a.Rank != tc.rank || a.GuildID != tc.guild || a.UserID != "7" {
				t.Fatalf("actor %+v, want rank %s guild %q user 7", a, tc.rank, tc.guild)
			}
		})
	}
}
