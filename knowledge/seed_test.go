package knowledge_test

import (
	"bytes"
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/onrecord/onrecord/knowledge"
)

var update = flag.Bool("update", false, "rewrite seed/seed.json in canonical form")

func seed(t *testing.T) *knowledge.Dataset {
	t.Helper()
	ds, err := knowledge.Seed()
	if err != nil {
		t.Fatalf("decode seed: %v", err)
	}
	return ds
}

func TestSeedIsValid(t *testing.T) {
	ds := seed(t)
	for _, p := range ds.Validate(nil) {
		t.Errorf("seed problem: %s", p)
	}
}

// TestSeedIsCanonical proves the seed file is byte for byte what export
// writes for it, so that seed, export and import share one format.
func TestSeedIsCanonical(t *testing.T) {
	ds := seed(t)
	var b bytes.Buffer
	if err := knowledge.EncodeDataset(&b, ds); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile("seed/seed.json", b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if !bytes.Equal(b.Bytes(), knowledge.SeedJSON()) {
		t.Fatal("seed/seed.json is not in canonical export form; run go test ./knowledge -run TestSeedIsCanonical -update")
	}
}

// TestSeedExcerptsAreVerbatim proves every excerpt equals the article's
// bytes at its offsets, and that the seed holds the article byte for byte.
func TestSeedExcerptsAreVerbatim(t *testing.T) {
	ds := seed(t)
	article := string(knowledge.SeedArticle())
	var held string
	for _, d := range ds.Documents {
		if d.Text != "" {
			if held != "" {
				t.Fatalf("more than one document holds text")
			}
			held = d.Text
		}
	}
	if held != article {
		t.Fatal("the article document's text differs from seed/windrush-article.txt")
	}
	if len(ds.Excerpts) == 0 {
		t.Fatal("seed has no excerpts")
	}
	for _, x := range ds.Excerpts {
		t.Run(x.ID, func(t *testing.T) {
			if x.Document != "d-article" {
				t.Fatalf("excerpt of %s, want d-article", x.Document)
			}
			if x.Start < 0 || x.End > len(article) || x.Start >= x.End {
				t.Fatalf("offsets %d..%d outside the article (%d bytes)", x.Start, x.End, len(article))
			}
			if got := article[x.Start:x.End]; got != x.Text {
				t.Fatalf("article[%d:%d] = %q, excerpt text %q", x.Start, x.End, got, x.Text)
			}
		})
	}
}

// TestSeedCoversTheArticle checks the seed holds what the article states.
func TestSeedCoversTheArticle(t *testing.T) {
	ds := seed(t)
	people := map[string]knowledge.Person{}
	for _, p := range ds.People {
		people[p.Name] = p
	}
	roles := map[string]string{
		"Amber Rudd":          "Home Secretary",
		"Hugh Ind":            "Head of Immigration Enforcement",
		"Brandon Lewis":       "",
		"Diane Abbott":        "Shadow Home Secretary",
		"Sir Nicholas Soames": "Conservative backbencher",
		"Philip Davies":       "Conservative backbencher",
	}
	for name, role := range roles {
		p, ok := people[name]
		if !ok {
			t.Errorf("person %q missing", name)
			continue
		}
		switch {
		case role == "" && len(p.Roles) > 0:
			t.Errorf("%s: the article gives no role, seed has %v", name, p.Roles)
		case role != "" && (len(p.Roles) == 0 || p.Roles[0].Title != role):
			t.Errorf("%s: roles %v, want %q", name, p.Roles, role)
		}
	}
	if len(ds.People) != len(roles) {
		t.Errorf("seed has %d people, the article names %d", len(ds.People), len(roles))
	}
	orgs := map[string]bool{}
	for _, o := range ds.Organisations {
		orgs[o.Name] = true
	}
	for _, name := range []string{"Home Office", "Immigration Enforcement", "The Guardian", "Conservative backbenches", "The committee of MPs", "Operation Perceptor", "Operation Gopik"} {
		if !orgs[name] {
			t.Errorf("organisation %q missing", name)
		}
	}
	figures := map[string]bool{}
	for _, f := range ds.Figures {
		figures[f.Value+" "+f.Period] = true
	}
	for _, f := range []string{"12,800 2017-18", "1,250 2016-17", "1,581 2016-17"} {
		if !figures[f] {
			t.Errorf("figure %q missing", f)
		}
	}
	// Every quotation in the article is a claim, with its words verbatim.
	article := string(knowledge.SeedArticle())
	quotes := []string{
		"As Home Secretary I will work to ensure that our immigration policy is fair and humane",
		"we don't have targets for removals",
		"that's not how we operate",
		"I wasn't aware of specific removal targets",
		"a target of achieving 12,800 enforced returns in 2017-18",
		"We set an internal target of 1,250 of these returns for 2016-17 ... we delivered 1,581",
		"Amber Rudd either failed to read this memo, and has no clear understanding of the policies in her own department, or she has misled Parliament and the British people",
		"Either way, she needs to accept responsibility and resign immediately",
		"Unfortunately I was not aware of them and I want to be aware of them",
	}
	claims := map[string]knowledge.Claim{}
	for _, c := range ds.Claims {
		claims[c.Words] = c
	}
	for _, q := range quotes {
		if !strings.Contains(article, q) {
			t.Errorf("test quote %q is not in the article", q)
		}
		if _, ok := claims[q]; !ok {
			t.Errorf("quotation %q is not a claim", q)
		}
	}
}

// TestSeedAttributionPolicy pins who the article says spoke, and which
// speakers it only implies.
func TestSeedAttributionPolicy(t *testing.T) {
	ds := seed(t)
	tests := []struct {
		words   string
		speaker string
		attr    knowledge.Attribution
	}{
		{"As Home Secretary I will work to ensure that our immigration policy is fair and humane", "p-amber-rudd", knowledge.AttrInferred},
		{"Either way, she needs to accept responsibility and resign immediately", "p-diane-abbott", knowledge.AttrInferred},
		{"Unfortunately I was not aware of them and I want to be aware of them", "p-amber-rudd", knowledge.AttrInferred},
		{"We set an internal target of 1,250 of these returns for 2016-17 ... we delivered 1,581", "d-memo", knowledge.AttrInferred},
		{"we don't have targets for removals", "p-amber-rudd", knowledge.AttrStated},
		{"I wasn't aware of specific removal targets", "p-amber-rudd", knowledge.AttrStated},
		{"a target of achieving 12,800 enforced returns in 2017-18", "d-memo", knowledge.AttrStated},
		{"most members of the public backed tougher action against illegal immigration", "p-philip-davies", knowledge.AttrStated},
	}
	byWords := map[string]knowledge.Claim{}
	for _, c := range ds.Claims {
		byWords[c.Words] = c
		if c.Attribution == knowledge.AttrInferred && len(c.AttributionReason) < 40 {
			t.Errorf("%s is inferred without a real reason: %q", c.ID, c.AttributionReason)
		}
		if c.Date != "" && c.Date != "2017-06" {
			t.Errorf("%s has date %q, which the article does not give", c.ID, c.Date)
		}
	}
	for _, tc := range tests {
		t.Run(tc.speaker+"/"+tc.words[:20], func(t *testing.T) {
			c, ok := byWords[tc.words]
			if !ok {
				t.Fatalf("no claim with these words")
			}
			if c.Speaker != tc.speaker || c.Attribution != tc.attr {
				t.Fatalf("speaker %s (%s), want %s (%s)", c.Speaker, c.Attribution, tc.speaker, tc.attr)
			}
		})
	}
	for _, d := range ds.Documents {
		if d.URL != "" {
			t.Errorf("%s has URL %q: the article gives none", d.ID, d.URL)
		}
	}
}
