package extract_test

import (
	"strings"
	"testing"

	"github.com/onrecord/onrecord/knowledge"
	"github.com/onrecord/onrecord/knowledge/extract"
)

// seedDifferences are the curated seed's claims the extractor reads
// differently from the seed article, each with the reason it stays so.
var seedDifferences = map[string]string{
	"c-abbott-resign":             "printed alone with no speaker: the seed infers Diane Abbott from \"Either way\"; the extractor proposes it unattributed rather than guess",
	"c-memo-internal-target":      "printed with no source after the memo's figure: the seed infers the memo; the extractor proposes it unattributed rather than guess",
	"c-rudd-not-aware-of-them":    "printed without quotation marks or a speaker: no rule can tell it is a quotation",
	"c-rudd-no-targets-committee": "\"she told the committee\": the extractor marks every pronoun attribution inferred; the seed counts it stated",
	"c-rudd-not-how-we-operate":   "\", adding\" after \"she told the committee\": inferred through the pronoun, as above; the seed counts it stated",
	"c-rudd-denied-seeing-memo":   "\"after she denied\": inferred through the pronoun, as above; the seed counts it stated",
}

// seedDocument returns the id of the seed document a proposal's document
// description names ("the memo", "summary of performance"): the one whose
// title or kind the description holds, or "" when none or several do.
func seedDocument(ds *knowledge.Dataset, desc string) string {
	d := " " + knowledge.Normalize(desc) + " "
	found := ""
	for _, doc := range ds.Documents {
		if doc.ID == "d-article" {
			continue // the report itself
		}
		if strings.Contains(d, " "+knowledge.Normalize(doc.Title)+" ") || strings.Contains(d, " "+knowledge.Normalize(string(doc.Kind))+" ") {
			if found != "" {
				return ""
			}
			found = doc.ID
		}
	}
	return found
}

// TestSeedArticle runs the extractor over the seed article and compares
// each curated claim: the same words (one containing the other), the same
// speaker and the same certainty, or a documented difference.
func TestSeedArticle(t *testing.T) {
	ds, err := knowledge.Seed()
	if err != nil {
		t.Fatal(err)
	}
	text := string(knowledge.SeedArticle())
	ps := extract.New().Extract(text, extract.NewMapDirectory(ds))
	excerpts := map[string]knowledge.Excerpt{}
	for _, x := range ds.Excerpts {
		excerpts[x.ID] = x
	}
	used := make([]bool, len(ps))
	for _, c := range ds.Claims {
		t.Run(c.ID, func(t *testing.T) {
			x, ok := excerpts[c.Excerpt]
			if !ok || x.Document != "d-article" {
				t.Skip("not reported by the article")
			}
			words := knowledge.Normalize(c.Words)
			var diff string
			found := false
			for i, p := range ps {
				if p.Start < x.Start || p.End > x.End {
					continue
				}
				q := knowledge.Normalize(p.Quote)
				if !strings.Contains(q, words) && !strings.Contains(words, q) {
					continue
				}
				found, used[i] = true, true
				speaker := ""
				switch {
				case p.SpeakerID != "":
					speaker = p.SpeakerID
				case p.Document != nil:
					speaker = seedDocument(ds, *p.Document)
				}
				if c.Attribution == knowledge.AttrInferred && p.Attribution == knowledge.AttrUnattributed {
					diff = "speaker"
				} else if speaker != c.Speaker && p.Attribution != knowledge.AttrUnattributed {
					t.Errorf("proposed %q by %q, the seed has %s", p.Quote, speaker, c.Speaker)
				} else if p.Attribution != c.Attribution {
					diff = "certainty " + string(p.Attribution)
				}
			}
			if !found {
				diff = "missing"
			}
			reason, documented := seedDifferences[c.ID]
			switch {
			case diff != "" && !documented:
				t.Errorf("differs from the seed (%s) with no documented reason", diff)
			case diff == "" && documented:
				t.Errorf("matches the seed now: drop its documented difference %q", reason)
			case diff != "":
				t.Logf("documented difference (%s): %s", diff, reason)
			}
		})
	}
	for i, p := range ps {
		if !used[i] {
			t.Errorf("proposed %q, which no curated claim holds", p.Quote)
		}
	}
}
