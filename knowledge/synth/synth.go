// Package synth generates large synthetic knowledge bases for benchmarks
// and load tests: plausible people (shared surnames and first names,
// titles, diacritics, hyphenated names), nicknames and roles, parliamentary
// debate records with their text, claims quoted verbatim from them in
// words drawn from a realistic vocabulary (so common words are common),
// and evidence links. The same Options always give the same dataset.
//
// Everything it makes is fiction: every document says so in its title, and
// no generated person is meant to be anyone.
package synth

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/onrecord/onrecord/knowledge"
)

// Options size the dataset.
type Options struct {
	People int    // at least 10
	Claims int    // at least 1
	Seed   uint64 // the same seed gives the same dataset
}

// Claims per debate record, and people per register document.
const (
	claimsPerDebate  = 20
	peoplePerRegiser = 1000
)

// Generate returns the dataset opts describe. It is valid (Validate
// finds nothing) and imports into an empty database.
func Generate(opts Options) *knowledge.Dataset {
	g := &gen{rng: rand.New(rand.NewPCG(opts.Seed, 0x6f6e7265636f7264)), ds: &knowledge.Dataset{Format: knowledge.Format}, lists: newLists(), used: map[string]bool{}}
	g.vocab = newZipf(len(g.vocabulary), 1.07)
	g.surnameRank = newZipf(len(g.surnames), 1.15)
	g.firstRank = newZipf(len(g.firstNames), 1.0)
	g.organisations()
	g.people(max(opts.People, 10))
	g.claims(max(opts.Claims, 1))
	return g.ds
}

type gen struct {
	lists
	rng                           *rand.Rand
	ds                            *knowledge.Dataset
	vocab, surnameRank, firstRank *zipf
	commons, departments          []string // organisation ids
	committees                    []string
	partyIDs                      []string
	names                         []string        // people's display names, by index
	used                          map[string]bool // full names given so far
	roles                         []string        // people's role titles, by index ("" for none)
}

// organisations adds Parliament, departments, parties and committees, and
// the register that describes them.
func (g *gen) organisations() {
	var text strings.Builder
	doc := "d-synthetic-register-of-bodies"
	add := func(id, name string, kind knowledge.OrgKind, parent string) {
		line := fmt.Sprintf("%s is a %s.", name, kind)
		x := g.excerpt(doc, &text, line)
		g.ds.Organisations = append(g.ds.Organisations, knowledge.Organisation{Record: knowledge.Record{ID: id}, Name: name, Kind: kind, Parent: parent, Sources: []string{x}})
	}
	add("o-synthetic-commons", "House of Commons", knowledge.OrgParliament, "")
	g.commons = []string{"o-synthetic-commons"}
	for i, area := range g.areas {
		id := fmt.Sprintf("o-synthetic-department-%d", i)
		add(id, "Department for "+area, knowledge.OrgDepartment, "")
		g.departments = append(g.departments, id)
	}
	for i, p := range g.lists.parties {
		id := fmt.Sprintf("o-synthetic-party-%d", i)
		add(id, p, knowledge.OrgParty, "")
		g.partyIDs = append(g.partyIDs, id)
	}
	for i, area := range g.areas {
		id := fmt.Sprintf("o-synthetic-committee-%d", i)
		add(id, area+" Committee", knowledge.OrgCommittee, "o-synthetic-commons")
		g.committees = append(g.committees, id)
	}
	g.ds.Documents = append(g.ds.Documents, knowledge.Document{Record: knowledge.Record{ID: doc}, Title: "Synthetic register of public bodies (fiction, for benchmarks)",
		Kind: knowledge.DocReport, Date: "2024", Text: text.String()})
}

// excerpt appends line to a document's text and returns the id of a new
// excerpt holding exactly it.
func (g *gen) excerpt(doc string, text *strings.Builder, line string) string {
	start := text.Len()
	text.WriteString(line)
	id := fmt.Sprintf("x-synthetic-%d", len(g.ds.Excerpts))
	g.ds.Excerpts = append(g.ds.Excerpts, knowledge.Excerpt{Record: knowledge.Record{ID: id}, Document: doc, Start: start, End: text.Len(), Text: line})
	text.WriteString("\n")
	return id
}

// people adds n people, registered in documents of peoplePerRegiser each.
func (g *gen) people(n int) {
	var text strings.Builder
	doc := ""
	finish := func() {
		if doc == "" {
			return
		}
		part := len(g.ds.Documents)
		g.ds.Documents = append(g.ds.Documents, knowledge.Document{Record: knowledge.Record{ID: doc},
			Title: fmt.Sprintf("Synthetic register of members, part %d (fiction, for benchmarks)", part), Kind: knowledge.DocReport, Date: "2024", Text: text.String()})
		text.Reset()
	}
	for i := range n {
		if i%peoplePerRegiser == 0 {
			finish()
			doc = fmt.Sprintf("d-synthetic-register-%d", i/peoplePerRegiser)
		}
		first, surname := g.name()
		for try := 0; g.used[first+" "+surname] && try < 5; try++ {
			first, surname = g.name() // full names are mostly unique; surnames are widely shared
		}
		if g.used[first+" "+surname] {
			first += " " + g.firstNames[g.rng.IntN(len(g.firstNames))]
		}
		name := first + " " + surname
		g.used[name] = true
		title := ""
		switch r := g.rng.IntN(100); {
		case r < 3:
			title = "Sir "
		case r < 5:
			title = "Dame "
		case r < 8:
			title = "Dr "
		}
		p := knowledge.Person{Record: knowledge.Record{ID: fmt.Sprintf("p-synthetic-%d", i)}, Name: title + name}
		role, org := g.role()
		line := p.Name + ", a member of the " + g.lists.parties[g.rng.IntN(len(g.lists.parties))] + "."
		if role != "" {
			line = p.Name + ", " + role + "."
		}
		x := g.excerpt(doc, &text, line)
		p.Sources = []string{x}
		if role != "" {
			p.Roles = []knowledge.Role{{Title: role, Organisation: org, From: fmt.Sprint(2010 + g.rng.IntN(14)), Excerpt: x}}
		}
		if nick, ok := g.nickname[first]; ok && g.rng.IntN(3) == 0 {
			p.Aliases = []knowledge.Alias{{Name: nick + " " + surname, Kind: knowledge.AliasNickname}}
		}
		p.Summary = fmt.Sprintf("A synthetic member, generated for benchmarks (%d).", i)
		g.ds.People = append(g.ds.People, p)
		g.names = append(g.names, p.Name)
		g.roles = append(g.roles, role)
	}
	finish()
}

// name draws a first name and a surname.
func (g *gen) name() (first, surname string) {
	first = g.firstNames[g.firstRank.next(g.rng)]
	surname = g.surnames[g.surnameRank.next(g.rng)]
	switch r := g.rng.IntN(100); {
	case r < 5:
		surname += "-" + g.surnames[g.surnameRank.next(g.rng)]
	case r < 7:
		surname = "O'" + surname
	}
	return first, surname
}

// role returns a role title and its organisation: half the people are
// MPs, some ministers and committee chairs, the rest hold none.
func (g *gen) role() (string, string) {
	switch r := g.rng.IntN(100); {
	case r < 4:
		i := g.rng.IntN(len(g.areas))
		return "Minister for " + g.areas[i], g.departments[i]
	case r < 6:
		i := g.rng.IntN(len(g.areas))
		return "Chair of the " + g.areas[i] + " Committee", g.committees[i]
	case r < 50:
		return "MP for " + g.places[g.rng.IntN(len(g.places))] + " " + g.compass[g.rng.IntN(len(g.compass))], g.commons[0]
	}
	return "", ""
}

// speaker picks a person: a few speak thousands of times, most rarely.
func (g *gen) speaker() int {
	u := g.rng.Float64()
	return int(float64(len(g.names)) * u * u * u)
}

// claims adds n claims, claimsPerDebate to a debate record whose text
// holds each claim's words, and evidence for about one in ten.
func (g *gen) claims(n int) {
	for d := 0; d*claimsPerDebate < n; d++ {
		doc := fmt.Sprintf("d-synthetic-debate-%d", d)
		day := g.rng.IntN(15 * 365)
		date := fmt.Sprintf("%04d-%02d-%02d", 2010+day/365, 1+(day%365)/31%12, 1+day%28)
		var text strings.Builder
		fmt.Fprintf(&text, "Synthetic debate %d, %s.\n", d, date)
		for k := 0; k < claimsPerDebate && d*claimsPerDebate+k < n; k++ {
			i := d*claimsPerDebate + k
			who := g.speaker()
			words := g.sentence()
			x := g.excerpt(doc, &text, g.names[who]+": “"+words+"”")
			c := knowledge.Claim{Record: knowledge.Record{ID: fmt.Sprintf("c-synthetic-%d", i)}, Speaker: fmt.Sprintf("p-synthetic-%d", who),
				Attribution: knowledge.AttrStated, Words: words, Form: knowledge.FormDirect, Date: date, Venue: "the House of Commons",
				Medium: "said in the debate", Excerpt: x, AppearsIn: doc}
			if g.rng.IntN(20) == 0 {
				c.Attribution = knowledge.AttrInferred
				c.AttributionReason = "The record names the speaker only by role; the role's holder on that date is inferred."
			}
			if g.rng.IntN(10) == 0 {
				c.Subjects = []string{fmt.Sprintf("p-synthetic-%d", g.speaker())}
			}
			g.ds.Claims = append(g.ds.Claims, c)
			if i > 0 && g.rng.IntN(10) == 0 {
				g.evidence(i)
			}
		}
		g.ds.Documents = append(g.ds.Documents, knowledge.Document{Record: knowledge.Record{ID: doc},
			Title: fmt.Sprintf("Synthetic debate %d (fiction, for benchmarks)", d), Kind: knowledge.DocHansard, Date: date, Text: text.String()})
	}
}

// evidence links claim i to the words of an earlier claim.
func (g *gen) evidence(i int) {
	other := g.rng.IntN(i)
	rel, why := knowledge.RelContradicts, "The earlier statement says otherwise."
	switch g.rng.IntN(5) {
	case 0, 1:
		rel, why = knowledge.RelSupports, "The earlier statement says the same."
	case 2:
		rel, why = knowledge.RelContext, "The earlier statement is on the same subject."
	}
	g.ds.Evidence = append(g.ds.Evidence, knowledge.Evidence{Record: knowledge.Record{ID: fmt.Sprintf("l-synthetic-%d", len(g.ds.Evidence))},
		Claim: fmt.Sprintf("c-synthetic-%d", i), Relation: rel, Excerpt: g.ds.Claims[other].Excerpt, Rationale: why})
}

// sentence returns 8 to 16 words from the vocabulary, Zipf-distributed.
func (g *gen) sentence() string {
	n := 8 + g.rng.IntN(9)
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(g.vocabulary[g.vocab.next(g.rng)])
	}
	return b.String()
}

// zipf draws ranks 0..n-1 with probability proportional to 1/(rank+1)^s,
// by binary search in the cumulative weights (math/rand's Zipf needs s > 1
// and has no v2 equivalent taking a *rand.Rand).
type zipf struct{ cum []float64 }

func newZipf(n int, s float64) *zipf {
	z := &zipf{cum: make([]float64, n)}
	total := 0.0
	for i := range n {
		total += 1 / math.Pow(float64(i+1), s)
		z.cum[i] = total
	}
	for i := range z.cum {
		z.cum[i] /= total
	}
	return z
}

func (z *zipf) next(rng *rand.Rand) int {
	u := rng.Float64()
	lo, hi := 0, len(z.cum)-1
	for lo < hi {
		mid := (lo + hi) / 2
		if z.cum[mid] < u {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}
