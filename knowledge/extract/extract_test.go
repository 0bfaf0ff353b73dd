package extract_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/onrecord/onrecord/knowledge"
	"github.com/onrecord/onrecord/knowledge/extract"
)

// TestPatterns checks each way English news attributes speech, one short
// text each: the words proposed, who is named, and how sure.
func TestPatterns(t *testing.T) {
	dir := seedDirectory(t)
	tests := []struct {
		name, text string
		quote      string // the proposal looked at
		speaker    string // "" for none
		document   string
		kind       extract.Kind
		attr       knowledge.Attribution
		cue        string
		venue      string
	}{
		{"quote then X said", `"We will act," Brandon Lewis said.`, "We will act", "Brandon Lewis", "", extract.Direct, knowledge.AttrStated, "said", ""},
		{"quote then said X", `"We will act," said Brandon Lewis.`, "We will act", "Brandon Lewis", "", extract.Direct, knowledge.AttrStated, "said", ""},
		{"X said colon", `Brandon Lewis said: "We will act."`, "We will act.", "Brandon Lewis", "", extract.Direct, knowledge.AttrStated, "said", ""},
		{"reported with that", `Brandon Lewis said that the rules would change next year.`, "the rules would change next year", "Brandon Lewis", "", extract.Reported, knowledge.AttrStated, "said", ""},
		{"told MPs", `Amber Rudd told MPs "there are no targets".`, "there are no targets", "Amber Rudd", "", extract.Direct, knowledge.AttrStated, "told", "MPs"},
		{"according to", `According to Hugh Ind, the figures were never published.`, "the figures were never published", "Hugh Ind", "", extract.Reported, knowledge.AttrStated, "according to", ""},
		{"tweeted", `Diane Abbott tweeted: "She has to go."`, "She has to go.", "Diane Abbott", "", extract.Direct, knowledge.AttrStated, "tweeted", "Twitter"},
		{"surname from the record", `"No comment," Mr Davies said.`, "No comment", "Philip Davies", "", extract.Direct, knowledge.AttrInferred, "said", ""},
		{"role from the text", "Home Secretary Jane Doe spoke first.\n\n\"We have a plan,\" the home secretary said.", "We have a plan", "Jane Doe", "", extract.Direct, knowledge.AttrStated, "said", ""},
		{"role from the record, named in the text", "Amber Rudd arrived late.\n\n\"I will stay,\" the home secretary said.", "I will stay", "Amber Rudd", "", extract.Direct, knowledge.AttrInferred, "said", ""},
		{"role nobody holds here", `"I will stay," the prime minister said.`, "I will stay", "the prime minister", "", extract.Direct, knowledge.AttrStated, "said", ""},
		{"pronoun", "Diane Abbott spoke next.\n\n\"It is a scandal,\" she said.", "It is a scandal", "Diane Abbott", "", extract.Direct, knowledge.AttrInferred, "said", ""},
		{"pronoun skips the other gender", "Mr Davies met Ms Rudd.\n\n\"It went well,\" he said.", "It went well", "Philip Davies", "", extract.Direct, knowledge.AttrInferred, "said", ""},
		{"pronoun with nobody before", `"It went well," she said.`, "It went well", "", "", extract.Direct, knowledge.AttrUnattributed, "said", ""},
		{"unnamed source continued", "A Home Office source said the memo was old.\n\n\"Nobody read it,\" the source added.", "Nobody read it", "a Home Office source", "", extract.Direct, knowledge.AttrStated, "added", ""},
		{"document speaks", `The memo says "targets will be met".`, "targets will be met", "", "The memo", extract.Direct, knowledge.AttrStated, "says", ""},
		{"name inside the quote is not the speaker", `"Diane Abbott is wrong," said a Home Office spokesman.`, "Diane Abbott is wrong", "a Home Office spokesman", "", extract.Direct, knowledge.AttrStated, "said", ""},
		{"someone close to a person is not that person", `A source close to Ms Rudd said she had "no regrets".`, "no regrets", "a source close to Ms Rudd", "", extract.Direct, knowledge.AttrStated, "said", ""},
		{"party and role before a name", `Labour MP David Lammy said: "Each was wronged."`, "Each was wronged.", "David Lammy", "", extract.Direct, knowledge.AttrStated, "said", ""},
		{"a label inside a partial quote's clause", `Stuart McDonald said the government's "hostile environment" was "designed to make life miserable".`, "designed to make life miserable", "Stuart McDonald", "", extract.Direct, knowledge.AttrStated, "said", ""},
		{"a colon after the subject, with no verb of saying", `Hugh Ind was blunt: "Nobody is removed to meet a number."`, "Nobody is removed to meet a number.", "Hugh Ind", "", extract.Direct, knowledge.AttrInferred, "", ""},
		{"a heading's colon is not a speaker", `Claim: "We don't have targets for removals." Amber Rudd, 25 April.`, "We don't have targets for removals.", "", "", extract.Direct, knowledge.AttrUnattributed, "", ""},
		{"as someone put it", `As one former permanent secretary put it to me: "Ministers get the civil service they ask for."`, "Ministers get the civil service they ask for.", "one former permanent secretary", "", extract.Direct, knowledge.AttrStated, "put", ""},
		{"a relative clause is no reported statement", `Revealed: the targets the Home Office said did not exist.`, "", "", "", "", "", "", ""},
		{"a fronted venue", `In a statement, Hugh Ind said: "We follow the law."`, "We follow the law.", "Hugh Ind", "", extract.Direct, knowledge.AttrStated, "said", "a statement"},
		{"an article and any noun describe a speaker", `One user wrote that the scandal was "the worst thing this government has done".`, "the worst thing this government has done", "one user", "", extract.Direct, knowledge.AttrStated, "wrote", ""},
		{"a document the sentence opens with", `A memo sent to the home secretary in June 2017 says the department had set "a target of 12,800".`, "a target of 12,800", "", "A memo", extract.Direct, knowledge.AttrStated, "says", ""},
		{"posting a thing is no statement", `The Home Secretary, Priti Patel, posted a video statement.`, "", "", "", "", "", "", ""},
		{"an idiom is no statement", `Documents obtained by this newspaper tell a different story.`, "", "", "", "", "", "", ""},
		{"a name with particles", `Ursula von der Leyen, then a minister, said she was "following it closely".`, "following it closely", "Ursula von der Leyen", "", extract.Direct, knowledge.AttrStated, "said", ""},
		{"a first name tells a pronoun who is not meant", "Mr Foster spoke.\n\nThe presenter, Emma Barnett, asked again. \"Yes,\" he said.", "Yes", "Mr Foster", "", extract.Direct, knowledge.AttrInferred, "said", ""},
		{"an age in apposition", `The appellant, 64-year-old Desmond Clarke, told the hearing that he had been left to rely on food banks.`, "he had been left to rely on food banks", "Desmond Clarke", "", extract.Reported, knowledge.AttrStated, "told", "the hearing"},
		{"shot back", "Bell Ribeiro-Addy spoke.\n\n\"Then publish the list,\" she shot back.", "Then publish the list", "Bell Ribeiro-Addy", "", extract.Direct, knowledge.AttrInferred, "shot", ""},
		{"a headline's colon", `'I was failed by my own department': Rudd speaks out`, "I was failed by my own department", "Amber Rudd", "", extract.Direct, knowledge.AttrInferred, "speaks", ""},
		{"a first name makes the rest a surname", "Winston Hall spoke first.\n\n\"Never again,\" he said.", "Never again", "Winston Hall", "", extract.Direct, knowledge.AttrInferred, "said", ""},
		{"a title makes the rest a surname, and another person", "Winston Hall spoke first.\n\nMrs Hall was unmoved. \"We'll see,\" she said.", "We'll see", "Mrs Hall", "", extract.Direct, knowledge.AttrInferred, "said", ""},
		{"a knight by his first name", "Philip Rutnam gave evidence.\n\n\"I cannot give you a number,\" Sir Philip answered.", "I cannot give you a number", "Philip Rutnam", "", extract.Direct, knowledge.AttrStated, "answered", ""},
		{"a cue word used as a noun", `Outside, Ms Green told journalists the answers were "not good enough".`, "not good enough", "Ms Green", "", extract.Direct, knowledge.AttrStated, "told", "journalists"},
		{"according to, a participle, then the words", `According to a poll published by the local paper, the seat is now too close to call.`, "the seat is now too close to call", "", "a poll", extract.Reported, knowledge.AttrStated, "according to", ""},
		{"a question asked", "Tim Loughton pressed him. \"But you knew, surely?\" he asked.", "But you knew, surely?", "Tim Loughton", "", extract.Direct, knowledge.AttrInferred, "asked", ""},
		{"unattributed quote", `"Nobody knew anything about the targets at all."`, "Nobody knew anything about the targets at all.", "", "", extract.Direct, knowledge.AttrUnattributed, "", ""},
		{"another is nobody", `"It will pass," said another.`, "It will pass", "", "", extract.Direct, knowledge.AttrUnattributed, "said", ""},
		{"curly single quotes", `Sajid Javid told MPs: ‘It will be fair.’`, "It will be fair.", "Sajid Javid", "", extract.Direct, knowledge.AttrStated, "told", "MPs"},
		{"apostrophes are not quotes", `Rudd's aide said: "Ministers' targets don't exist."`, "Ministers' targets don't exist.", "Rudd's aide", "", extract.Direct, knowledge.AttrStated, "said", ""},
		{"split quote second half", `"We don't," she told the committee, "have targets." Amber Rudd left.`, "have targets.", "", "", extract.Direct, knowledge.AttrUnattributed, "told", "the committee"},
		{"continued over paragraphs", "Hugh Ind said: \"The first part.\n\n\"The second part.\"", "The second part.", "Hugh Ind", "", extract.Direct, knowledge.AttrInferred, "said", ""},
		{"nested quote stays in its speaker's words", `Hugh Ind said: "The memo says 'exceed it', and we did."`, "The memo says 'exceed it', and we did.", "Hugh Ind", "", extract.Direct, knowledge.AttrStated, "said", ""},
	}
	x := extract.New()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ps := x.Extract(tc.text, dir)
			checkOffsets(t, tc.text, ps)
			if tc.quote == "" {
				if len(ps) > 0 {
					t.Fatalf("proposed %+v, want nothing", ps)
				}
				return
			}
			var p *extract.Proposal
			for i := range ps {
				if ps[i].Quote == tc.quote {
					p = &ps[i]
				}
			}
			if p == nil {
				t.Fatalf("no proposal of %q in %+v", tc.quote, ps)
			}
			got := ""
			if p.Speaker != nil {
				got = *p.Speaker
			}
			doc := ""
			if p.Document != nil {
				doc = *p.Document
			}
			if !strings.EqualFold(got, tc.speaker) || !strings.EqualFold(doc, tc.document) {
				t.Errorf("speaker %q document %q, want %q %q (%s)", got, doc, tc.speaker, tc.document, p.Reason)
			}
			if p.Kind != tc.kind || p.Attribution != tc.attr || p.Cue != tc.cue || p.Venue != tc.venue {
				t.Errorf("kind %s attribution %s cue %q venue %q, want %s %s %q %q", p.Kind, p.Attribution, p.Cue, p.Venue, tc.kind, tc.attr, tc.cue, tc.venue)
			}
			if p.Attribution != knowledge.AttrUnattributed && (p.SpeakerText == "" || tc.text[p.SpeakerStart:p.SpeakerEnd] != p.SpeakerText) {
				t.Errorf("speaker mention %q at %d:%d does not match the text", p.SpeakerText, p.SpeakerStart, p.SpeakerEnd)
			}
			if p.Reason == "" {
				t.Error("no reason given")
			}
		})
	}
}

// TestNotClaims checks that quoted labels and scare quotes are not proposed.
func TestNotClaims(t *testing.T) {
	for _, text := range []string{
		`The so-called "hostile environment" was introduced in 2012.`,
		`Critics branded it a "smoking gun".`,
		`The scheme was described as "a landmark moment" by officials.`,
		`She was sent the "summary of performance" in June.`,
		`Allies fear a "witch hunt".`,
		`The government's "hostile environment" stays.`,
	} {
		t.Run(text, func(t *testing.T) {
			for _, p := range extract.New().Extract(text, nil) {
				if p.Kind == extract.Direct {
					t.Errorf("proposed %q", p.Quote)
				}
			}
		})
	}
}

// checkOffsets asserts every proposal's offsets are inside text, on rune
// boundaries, and hold its words.
func checkOffsets(t *testing.T, text string, ps []extract.Proposal) {
	t.Helper()
	for _, p := range ps {
		if p.Start < 0 || p.End > len(text) || p.Start >= p.End {
			t.Fatalf("offsets %d:%d outside %d bytes", p.Start, p.End, len(text))
		}
		if !utf8.RuneStart(text[p.Start]) || (p.End < len(text) && !utf8.RuneStart(text[p.End])) {
			t.Fatalf("offsets %d:%d split a character", p.Start, p.End)
		}
		if text[p.Start:p.End] != p.Quote {
			t.Fatalf("quote %q is not the text at %d:%d", p.Quote, p.Start, p.End)
		}
		if p.SpeakerEnd > 0 {
			if p.SpeakerStart < 0 || p.SpeakerEnd > len(text) || p.SpeakerStart >= p.SpeakerEnd ||
				!utf8.RuneStart(text[p.SpeakerStart]) || (p.SpeakerEnd < len(text) && !utf8.RuneStart(text[p.SpeakerEnd])) {
				t.Fatalf("speaker offsets %d:%d bad in %d bytes", p.SpeakerStart, p.SpeakerEnd, len(text))
			}
		}
		if p.Speaker != nil && p.Document != nil {
			t.Fatalf("%q has both a speaker and a document", p.Quote)
		}
		if p.Confidence < 0 || p.Confidence > 1 {
			t.Fatalf("confidence %v", p.Confidence)
		}
	}
}

// FuzzExtract feeds the extractor any text: it must not panic, and every
// offset must be inside the input, on a UTF-8 boundary, holding the words.
func FuzzExtract(f *testing.F) {
	files, _ := filepath.Glob("testdata/*/*.txt")
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err == nil {
			f.Add(string(b))
		}
	}
	for _, s := range []string{"", `"`, `'`, `“`, `"a" b said`, "\xff\"x\" he said", `"unclosed`, "A. B. C. said: \"x\"", "‘’’‘", `,"" said ,`, "No 10 said \"y\"", "U.S. said that x y z"} {
		f.Add(s)
	}
	x := extract.New()
	dir := extract.MapDirectory{}
	f.Fuzz(func(t *testing.T, text string) {
		checkOffsets(t, text, x.Extract(text, dir))
	})
}

// BenchmarkExtract measures throughput over the labelled reports (-bench
// reports MB/s).
func BenchmarkExtract(b *testing.B) {
	files, _ := filepath.Glob("testdata/*/*.txt")
	var all strings.Builder
	for _, p := range files {
		bs, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		all.Write(bs)
		all.WriteString("\n\n")
	}
	text := all.String()
	dir := seedDirectory(b)
	x := extract.New()
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		x.Extract(text, dir)
	}
}
