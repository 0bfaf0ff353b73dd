package commands

import (
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/onrecord/onrecord/bot/discordtest"
	"github.com/onrecord/onrecord/knowledge"
)

// grow repeats s until it is at least n bytes, so that short fuzz inputs
// also test the limits.
func grow(s string, n int) string {
	if s == "" {
		return s
	}
	for len(s) < n {
		s += " " + s
	}
	return s
}

// FuzzRender renders every kind of answer from arbitrary record content,
// short and very long, and checks Discord would accept each.
func FuzzRender(f *testing.F) {
	f.Add("Amber Rudd", "we don't have targets", "told the committee", "The memo sets a target.", "Summary of performance", "12,800", "late on Friday", 1)
	f.Add("@everyone", "**bold** <@1> [x](y)", "> # -", "||s||", "`c`", "~~", "\u202e", 3)
	f.Add("זה", "نص", "中文", "🙂🙂", "a\u0301", "\\", "\x00", 2)
	f.Fuzz(func(t *testing.T, name, words, context, rationale, title, value, date string, scale int) {
		size := []int{10, 300, 5000}[((scale%3)+3)%3]
		name, words, context = grow(name, size), grow(words, size), grow(context, size)
		rationale, title, value, date = grow(rationale, size), grow(title, size), grow(value, size), grow(date, size)
		doc := knowledge.DocRef{ID: "d-x", Title: title, Kind: knowledge.DocMemo, URL: "https://e.example/(x)", DateText: date}
		x := &knowledge.ExcerptView{Excerpt: knowledge.Excerpt{Record: knowledge.Record{ID: "x-x"}, Text: words}, Document: doc, QuotedFrom: &doc}
		ev := knowledge.EvidenceView{Evidence: knowledge.Evidence{Record: knowledge.Record{ID: "l-x"}, Relation: knowledge.RelContradicts, Rationale: rationale},
			Excerpt: x, Document: &doc, Figures: []knowledge.Figure{{Value: value, Label: title}}}
		claim := knowledge.ClaimView{
			Claim: knowledge.Claim{Record: knowledge.Record{ID: "c-x"}, Words: words, Form: knowledge.FormDirect, Attribution: knowledge.AttrInferred,
				AttributionReason: rationale, Context: context, Medium: context, Venue: title, DateText: date, SourceURL: "https://e.example/a", SourceQuote: words},
			Speaker: &knowledge.Named{ID: "p-x", Name: name}, SpeakerIs: "person", SpeakerRole: title, Source: x, AppearsIn: &doc,
			Subjects: []knowledge.Named{{ID: "p-y", Name: name}}, Evidence: []knowledge.EvidenceView{ev, ev, ev, ev, ev}, Status: knowledge.StatusDisputed,
		}
		pp := &knowledge.PersonProfile{
			Person:   knowledge.Person{Record: knowledge.Record{ID: "p-x"}, Name: name, Summary: context},
			Roles:    []knowledge.RoleView{{Role: knowledge.Role{Title: title, From: "2017", To: "2018-06"}, Source: x}},
			Parties:  []knowledge.PartyView{{Party: knowledge.Party{Role: knowledge.PartyRecipient, Hedge: date}, Document: doc, Parties: []knowledge.PartyName{{Role: knowledge.PartySender, Name: name}}, Source: x}},
			Events:   []knowledge.EventView{{Event: knowledge.Event{Summary: context, DateText: date}, Actors: []knowledge.Named{{ID: "p-z", Name: name}}, Source: x}},
			ClaimsBy: 3, InferredBy: 1, ClaimsAbout: 2, Statuses: map[knowledge.Status]int{knowledge.StatusDisputed: 3},
			TopClaims: []knowledge.ClaimView{claim, claim, claim}, Sources: []knowledge.ExcerptView{*x},
		}
		dp := &knowledge.DocumentProfile{
			Document: knowledge.Document{Record: knowledge.Record{ID: "d-x"}, Title: title, Kind: knowledge.DocMemo, Summary: context, URL: "https://e.example/d", DateText: date},
			Parties:  []knowledge.PartyName{{Role: knowledge.PartyAuthor, Name: name, Hedge: date}},
			Sources:  []knowledge.ExcerptView{*x}, Excerpts: []knowledge.ExcerptView{*x, *x}, ExcerptCount: 9,
			Figures: []knowledge.Figure{{Value: value, Label: title, Period: date}},
			Claims:  []knowledge.DocClaim{{Claim: claim, Relation: "says"}, {Claim: claim, Relation: "contradicts"}},
		}
		var lines []string
		var cites citations
		for range 10 {
			lines = append(lines, searchLine(knowledge.SearchHit{ID: "c-x", Kind: "claim", Label: words, Snippet: "\x02" + words + "\x03 " + context, Context: name}))
			lines = append(lines, timelineLine(knowledge.TimelineItem{DateText: date, Kind: "claim", ID: "c-x", Text: words, Who: name, Source: x}, &cites))
		}
		list := newEmbed(title, ColourRecord)
		list.description(fitLines(lines, LimitDescription))
		list.field("Sources", cites.field(LimitFieldValue), false)

		embeds := []*discordgo.MessageEmbed{profileEmbed(pp), documentEmbed(dp), ClaimEmbed(claim), ClaimDetail(claim), contradictionEmbed(claim), list.e}
		for i, e := range embeds {
			resp := Safe(&discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: message("", e)})
			if err := discordtest.CheckLimits(resp); err != nil {
				t.Fatalf("answer %d would be refused: %v", i, err)
			}
		}
		// A page of claims packs within the message limits.
		page := []*discordgo.MessageEmbed{ClaimEmbed(claim), ClaimEmbed(claim), ClaimEmbed(claim), ClaimEmbed(claim)}
		start, n := packEmbeds(page, scale%2 == 0, 0)
		resp := Safe(&discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: message("", page[start:start+n]...)})
		if n == 0 {
			t.Fatal("a page showed no claim")
		}
		if err := discordtest.CheckLimits(resp); err != nil {
			t.Fatalf("a page of claims would be refused: %v", err)
		}
		if strings.Contains(resp.Data.Embeds[0].Description, "@everyone") {
			t.Fatal("@everyone reached an answer")
		}
	})
}
