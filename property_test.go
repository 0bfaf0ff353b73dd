package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/onrecord/onrecord/bot/discordtest"
	"github.com/onrecord/onrecord/knowledge"
)

// words are the pieces random record text is made of: ordinary words,
// every script Discord users write in, markdown, mentions, emoji.
var words = []string{
	"Rudd", "targets", "memo", "removal", "the", "Home", "Office", "@everyone", "@here", "**bold**", "__u__", "~~s~~",
	"||spoiler||", "`code`", "```", "> quote", "# heading", "- item", "[link](https://e.example)", "<@123456789012345678>",
	"<#1>", "<:e:1>", "\\", "*", "_", "زينب", "עברית", "中文", "日本語", "🙂", "👨‍👩‍👧", "ñandú", "Ærø", "a\u0301", "\u200b",
	"’", "\"", "'", "(", ")", "1,250", "2017-18", "…", "—",
}

// randomText returns text of up to max characters made of random words,
// valid as record text (no control characters, no surrounding spaces).
func randomText(rng *rand.Rand, max int) string {
	target := 1 + rng.IntN(max)
	var b strings.Builder
	for {
		w := words[rng.IntN(len(words))]
		if len([]rune(b.String()))+len([]rune(w))+1 > target {
			break
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(w)
	}
	s := strings.TrimSpace(b.String())
	if s == "" || len(knowledge.NameTokens(s)) == 0 {
		return "Name" + fmt.Sprint(rng.IntN(1000))
	}
	return s
}

// randomDataset returns a valid dataset of random content at the edges
// of every limit: long names, long quotes, many links, every script.
func randomDataset(rng *rand.Rand) *knowledge.Dataset {
	ds := &knowledge.Dataset{Format: knowledge.Format}
	const nPeople, nExcerpts, nClaims = 12, 30, 40
	var text strings.Builder
	for i := range nExcerpts {
		t := randomText(rng, []int{20, 300, knowledge.MaxExcerptLen}[rng.IntN(3)])
		start := text.Len()
		text.WriteString(t)
		ds.Excerpts = append(ds.Excerpts, knowledge.Excerpt{Record: knowledge.Record{ID: fmt.Sprintf("x-r%d", i), Origin: knowledge.OriginOwner},
			Document: "d-r0", Start: start, End: text.Len(), Text: t})
		text.WriteString("\n\n")
	}
	ds.Documents = append(ds.Documents,
		knowledge.Document{Record: knowledge.Record{ID: "d-r0", Origin: knowledge.OriginOwner}, Title: randomText(rng, knowledge.MaxTitleLen),
			Kind: knowledge.DocArticle, Summary: randomText(rng, knowledge.MaxSummaryLen), URL: "https://news.example/a?b=(c)", Text: text.String(),
			DateText: randomText(rng, 50), Sources: []string{"x-r0"}},
		knowledge.Document{Record: knowledge.Record{ID: "d-r1", Origin: knowledge.OriginOwner}, Title: randomText(rng, knowledge.MaxTitleLen),
			Kind: knowledge.DocMemo, Date: "2017-06", Summary: randomText(rng, knowledge.MaxSummaryLen), Sources: []string{"x-r1"},
			Parties: []knowledge.Party{{Role: knowledge.PartySender, Ref: "p-r0", Hedge: "reportedly", Excerpt: "x-r1"},
				{Role: knowledge.PartyRecipient, Ref: "p-r1", Excerpt: "x-r1"}, {Role: knowledge.PartyRecipient, Description: randomText(rng, 100), Excerpt: "x-r1"}}},
	)
	for i := range nPeople {
		p := knowledge.Person{Record: knowledge.Record{ID: fmt.Sprintf("p-r%d", i), Origin: knowledge.OriginOwner},
			Name: randomText(rng, knowledge.MaxNameLen), Summary: randomText(rng, knowledge.MaxSummaryLen), Sources: []string{"x-r2"}}
		for range rng.IntN(4) {
			p.Aliases = append(p.Aliases, knowledge.Alias{Name: randomText(rng, knowledge.MaxNameLen), Kind: knowledge.AliasOther})
		}
		p.Roles = []knowledge.Role{{Title: randomText(rng, knowledge.MaxNameLen), Excerpt: "x-r2"}}
		ds.People = append(ds.People, p)
	}
	for i := range nClaims {
		x := ds.Excerpts[rng.IntN(nExcerpts)]
		quoted := string([]rune(x.Text)[:min(len([]rune(x.Text)), knowledge.MaxWordsLen)])
		if q := strings.TrimSpace(quoted); q != quoted || len(knowledge.NameTokens(q)) == 0 {
			quoted = x.Text[:strings.IndexByte(x.Text+" ", ' ')]
		}
		c := knowledge.Claim{Record: knowledge.Record{ID: fmt.Sprintf("c-r%d", i), Origin: knowledge.OriginOwner},
			Speaker: fmt.Sprintf("p-r%d", rng.IntN(3)), Attribution: knowledge.AttrStated, Words: quoted, Form: knowledge.FormDirect,
			Excerpt: x.ID, Context: randomText(rng, knowledge.MaxContextLen), Medium: randomText(rng, 100), Venue: randomText(rng, 100),
			DateText: randomText(rng, 60), Subjects: []string{"p-r1"}}
		if i%3 == 0 {
			c.Attribution, c.AttributionReason = knowledge.AttrInferred, randomText(rng, knowledge.MaxReasonLen)
		}
		if i%5 == 0 {
			c.Date = "2018-04"
		}
		ds.Claims = append(ds.Claims, c)
		for j := range rng.IntN(8) {
			rel := []knowledge.Relation{knowledge.RelContradicts, knowledge.RelSupports, knowledge.RelContext, knowledge.RelShowsKnowledge}[rng.IntN(4)]
			ds.Evidence = append(ds.Evidence, knowledge.Evidence{Record: knowledge.Record{ID: fmt.Sprintf("l-r%d-%d", i, j), Origin: knowledge.OriginOwner},
				Claim: c.ID, Relation: rel, Excerpt: ds.Excerpts[rng.IntN(nExcerpts)].ID, Rationale: randomText(rng, knowledge.MaxRationaleLen)})
		}
	}
	return ds
}

var customIDPattern = regexp.MustCompile(`"custom_id":\s*"([^"]+)"`)

// TestRandomRecordsNeverBreakDiscord loads knowledge bases of random
// content, at the edges of every limit and in every script, and asks every
// command about them, turning pages and picking from menus: every answer
// must be one Discord accepts.
func TestRandomRecordsNeverBreakDiscord(t *testing.T) {
	schema, err := discordtest.Shared()
	if err != nil {
		t.Fatal(err)
	}
	for seed := uint64(1); seed <= 3; seed++ {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 42))
			ds := randomDataset(rng)
			if ps := ds.Validate(nil); len(ps) > 0 {
				t.Fatalf("the generator made an invalid dataset: %v", ps[:min(len(ps), 5)])
			}
			b, _ := json.Marshal(ds)
			file := filepath.Join(t.TempDir(), "random.json")
			os.WriteFile(file, b, 0o644)
			dbPath := newDB(t)
			if r := onrecord(t, nil, "", "import", "--db", dbPath, file); r.code != 0 {
				t.Fatalf("import: %s", r.stderr)
			}
			lines := []string{"/contradictions", "/timeline", "/sources", "/about", "/help", "/search targets",
				"/search " + ds.People[0].Name, "/document " + ds.Documents[0].Title, "/document d-r1", "/claim c-r0", "/claim c-r3",
				"/timeline about:targets", "/claims p-r0 about:memo"}
			for _, p := range ds.People[:4] {
				lines = append(lines, "/who "+p.ID, "/claims "+p.ID, "/claims person:"+p.ID+" status:contradicted", "/who "+p.Name)
			}
			asked, pressed := 0, 0
			defer func() { t.Logf("%d answers checked, %d of them from buttons and menus", asked, pressed) }()
			ask := func(args ...string) string {
				t.Helper()
				asked++
				if args[0] == "--component" {
					pressed++
				}
				r := onrecord(t, nil, "", append([]string{"ask", "--json", "--db", dbPath}, args...)...)
				if r.code != 0 {
					t.Fatalf("%v: exit %d: %s", args, r.code, r.stderr)
				}
				if err := schema.ValidateCallback([]byte(r.stdout)); err != nil {
					t.Fatalf("%v: Discord would refuse: %v", args, err)
				}
				return r.stdout
			}
			for _, line := range lines {
				out := ask(line)
				// Press every button and pick the first choice of every menu.
				for _, m := range customIDPattern.FindAllStringSubmatch(out, -1) {
					id := strings.ReplaceAll(m[1], `\u0026`, "&")
					if strings.HasPrefix(id, "pk:") {
						ask("--component", id, "--values", "p-r0")
					} else {
						ask("--component", id)
					}
				}
			}
			for _, typed := range []string{"", "a", "Ru", "🙂", "@every"} {
				ask("--autocomplete", "/who "+typed)
				ask("--autocomplete", "/claim "+typed)
				ask("--autocomplete", "/document "+typed)
			}
		})
	}
}
