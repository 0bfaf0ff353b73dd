// Package extract proposes the claims a news report attributes: each
// quotation or reported statement with its words, verbatim, its speaker as
// written and, when the record knows them, as the record names them, the
// cue that attributes it, and how sure the attribution is and why.
//
// It is pure Go with no I/O: the record is reached through the Directory
// a caller passes. Precision comes before recall: a quotation whose speaker
// the text does not establish is proposed as unattributed, never guessed;
// names inside the quoted words are never the speaker; quoted labels and
// scare quotes ("a "witch hunt"") are not proposed.
//
// It imports the standard library and knowledge only.
package extract

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/onrecord/onrecord/knowledge"
)

// Kind says whether a proposal's words are quoted or reported.
type Kind string

// The kinds.
const (
	Direct   Kind = "direct"   // in quotation marks: the speaker's words
	Reported Kind = "reported" // "X said that …": the writer's words
)

// Proposal is one claim the text attributes, as the extractor reads it.
// Start and End are byte offsets of Quote in the input (Quote equals
// input[Start:End]); SpeakerStart and SpeakerEnd those of the speaker's
// mention, both zero when there is none.
type Proposal struct {
	Quote string `json:"quote"`
	Kind  Kind   `json:"kind"`
	// Speaker is the person as the record names them when resolved, else
	// the name or description the text gives; nil when no person speaks
	// (a document does, or nobody the text establishes).
	Speaker *string `json:"speaker"`
	// SpeakerID is the record's person id when Speaker was resolved.
	SpeakerID string `json:"speaker_id,omitempty"`
	// SpeakerText is the mention as written ("she", "the home secretary").
	SpeakerText  string `json:"speaker_text,omitempty"`
	SpeakerStart int    `json:"speaker_start,omitempty"`
	SpeakerEnd   int    `json:"speaker_end,omitempty"`
	// Document is set instead of Speaker when a document speaks ("the memo").
	Document *string `json:"document"`
	Start    int     `json:"start"`
	End      int     `json:"end"`
	// Cue is the verb or phrase that attributes the words ("said", "according to").
	Cue string `json:"cue,omitempty"`
	// Medium is how, and Venue where or to whom, when the text says
	// ("told the committee", "the committee"; "tweeted", "Twitter").
	Medium string `json:"medium,omitempty"`
	Venue  string `json:"venue,omitempty"`
	// Attribution is stated when the text names the speaker at the words,
	// inferred when it only implies them (a pronoun, a continued
	// quotation, a role the record fills), unattributed when it does not say.
	Attribution knowledge.Attribution `json:"attribution"`
	Confidence  float64               `json:"confidence"`
	Reason      string                `json:"reason"`
}

// Directory is the record as the extractor consults it. Lookup returns the
// people a name or alias denotes exactly (by knowledge.NameKey: "Ms Rudd",
// "Rudd" and "the Home Secretary" are forms), with their name forms; none
// when the record does not know it.
type Directory interface {
	Lookup(name string) []knowledge.Candidate
}

// Extractor proposes claims. Its zero value is not ready: use New. It
// holds only read-only word lists and is safe for concurrent use.
type Extractor struct {
	lex *lexicon
}

// New returns an Extractor.
func New() *Extractor { return &Extractor{lex: newLexicon()} }

// MaxInput is the most text Extract reads, in bytes; the rest is ignored.
const MaxInput = 1 << 20

// Extract returns the claims text attributes, in the order they appear.
// dir may be nil: speakers are then given as the text names them. Any
// input is accepted: invalid UTF-8 yields offsets on rune boundaries of
// the bytes as given, and text past MaxInput is not read.
func (x *Extractor) Extract(text string, dir Directory) []Proposal {
	if len(text) > MaxInput {
		cut := MaxInput
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text = text[:cut]
	}
	d := &doc{lex: x.lex, s: text, dir: dir, bindings: map[string]*entity{}, lookups: map[string][]knowledge.Candidate{}}
	d.run()
	return d.out
}

// entity is someone or something the text refers to more than once.
type entity struct {
	name    string // the fullest name the text gives, titles and post-nominals dropped
	title   string // a title the text gives ("Sir", "Lord"), shown when the record does not know them
	surname string // normalised
	key     string // knowledge.NameKey of name
	gender  string // "f", "m" or ""
	person  *knowledge.Candidate
	how     string // how the record match was made: "name", "surname"
	desc    bool   // described, not named ("a Home Office source")
	head    string // a description's head noun
	org     bool
}

// label is what a proposal shows as the speaker.
func (e *entity) label() string {
	if e.person != nil {
		return e.person.Name
	}
	// Titles that are part of how a name is given ("Sir John Redwood",
	// "Lord Butler"); a courtesy title only with a surname alone ("Mr Ind").
	switch strings.ToLower(strings.TrimSuffix(e.title, ".")) {
	case "":
	case "sir", "dame", "lord", "lady", "baroness", "baron":
		return e.title + " " + e.name
	default:
		if !strings.Contains(e.name, " ") {
			return e.title + " " + e.name
		}
	}
	return e.name
}

// mention is a reference to an entity at a position.
type mention struct {
	ent     *entity
	pos     int
	para    int
	salient bool // a speaker or a sentence's subject: what a pronoun may refer to
}

// docRef is a document the text refers to ("the memo"), and in which sentence.
type docRef struct {
	text string
	sent int
}

// doc is one run of the extractor over one text.
type doc struct {
	lex      *lexicon
	s        string
	dir      Directory
	quotes   []quote
	ents     []*entity
	mentions []mention
	docs     []docRef
	bindings map[string]*entity // role key ("home secretary") → who the text says holds it
	lookups  map[string][]knowledge.Candidate
	out      []Proposal
	para     int
	sentID   int
	// last is the attribution of the last full quotation, for one that
	// continues it.
	last *attribution
	// lastOpen is the attribution of the last quotation of the previous
	// paragraph when it was left open.
	lastOpen *attribution
}

// attribution is a speaker found for words.
type attribution struct {
	ent        *entity
	document   string
	text       string
	start, end int
	how        string // named, described, document, role-text, role-record, surname-record, pronoun, continued, anonymous
	reason     string
	cue        string
	medium     string
	venue      string
}

func (a *attribution) none() bool { return a == nil || (a.ent == nil && a.document == "") }

func (d *doc) lookup(name string) []knowledge.Candidate {
	if d.dir == nil {
		return nil
	}
	key := knowledge.NameKey(name)
	if key == "" {
		return nil
	}
	if c, ok := d.lookups[key]; ok {
		return c
	}
	c := d.dir.Lookup(name)
	d.lookups[key] = c
	return c
}

func (d *doc) run() {
	for pi, p := range paragraphs(d.s) {
		d.para = pi
		qs := findQuotes(d.s, p[0], p[1])
		first := len(d.quotes)
		d.quotes = append(d.quotes, qs...)
		toks := tokenize(d.s, p[0], p[1], qs, first)
		open := d.lastOpen
		d.lastOpen = nil
		for si, sent := range sentences(toks, d.s, qs, first) {
			d.sentID++
			d.sentence(sent, si == 0, open)
			open = nil
		}
	}
}

// sentence reads one sentence: who it names, then what it attributes.
func (d *doc) sentence(toks []token, firstInPara bool, open *attribution) {
	d.names(toks)
	subj := d.subject(toks)
	var prev *attribution // the sentence's previous attribution, for "…, adding"
	anyQuote := false
	lead := 0 // a live blog's time stamp does not count as words before a quotation
	for lead < len(toks) && toks[lead].kind == tokWord && startsDigit(toks[lead].text) && firstInPara {
		lead++
	}
	for k, t := range toks {
		if t.kind != tokQuote {
			continue
		}
		q := d.quotes[t.quote]
		if d.isLabel(toks, k) {
			continue
		}
		anyQuote = true
		full := k == lead || toks[k-1].is(":") || (k > 0 && d.cueBefore(toks, k))
		a := d.after(toks, k)
		if a == nil {
			a = d.before(toks, k, prev, subj)
		}
		if a == nil && k > 1 && toks[k-1].is(":") && toks[k-2].kind == tokWord && !toks[k-2].cap() && subj != nil &&
			(subj.ent != nil || subj.document != "") && !d.hasCue(toks[:k]) {
			// "A second document … is blunter: "…"": the sentence's subject, by inference.
			c := *subj
			c.how, c.reason = "colon", fmt.Sprintf("introduced by a colon after %q, with no verb of saying", subj.text)
			a = &c
		}
		if a == nil && k == lead {
			switch {
			case firstInPara && open != nil:
				a = open.continued("continues the quotation left open at the end of the paragraph before")
			case !firstInPara && d.last != nil:
				a = d.last.continued("continues the quotation attributed in the sentence before")
			}
		}
		if a == nil {
			if !full && words(d.s[q.start:q.end]) < 4 {
				continue // a short phrase in quotation marks that nobody says: a term, not a claim
			}
			a = &attribution{how: "none"}
		}
		if a.venue == "" && a.how != "none" {
			if v := d.frontedVenue(toks); v != "" {
				cp := *a
				cp.venue = v
				cp.medium = strings.TrimSpace(cp.medium + " in " + v)
				a = &cp
			}
		}
		d.propose(Direct, q.start, q.end, a)
		if !a.none() || a.how == "anonymous" {
			prev = a
		}
		if full {
			d.last = a
		} else {
			d.last = nil
		}
		if q.unclosed {
			d.lastOpen = a
		}
	}
	if !anyQuote {
		d.reported(toks, subj)
		d.last = nil
	}
}

// frontedVenue returns where a sentence says its words were given when a
// fronted phrase says it ("In a statement, …", "On Twitter, …"), or "".
func (d *doc) frontedVenue(toks []token) string {
	if len(toks) < 3 || !toks[0].is("in", "on") {
		return ""
	}
	for k := 1; k < len(toks) && k < 7; k++ {
		if toks[k].is(",") {
			last := toks[k-1].low
			if last == "statement" || last == "twitter" || last == "letter" || last == "interview" || last == "tweet" || last == "post" || last == "x" {
				return d.s[toks[1].start:toks[k-1].end]
			}
			return ""
		}
	}
	return ""
}

// hasCue reports whether toks hold a verb of saying.
func (d *doc) hasCue(toks []token) bool {
	for c := range toks {
		if d.cue(toks, c) != notCue || toks[c].is("according") {
			return true
		}
	}
	return false
}

// continued returns the attribution of a quotation that continues a's.
func (a *attribution) continued(reason string) *attribution {
	if a.none() {
		return &attribution{how: "none"}
	}
	c := *a
	c.how, c.reason = "continued", reason
	return &c
}

// words counts the words of s.
func words(s string) int { return len(strings.Fields(s)) }

// propose records the proposal of words s[a:b] with attribution at.
func (d *doc) propose(kind Kind, a, b int, at *attribution) {
	a, b = d.runes(a, b)
	if a >= b {
		return
	}
	p := Proposal{Quote: d.s[a:b], Kind: kind, Start: a, End: b, Cue: at.cue, Medium: at.medium, Venue: at.venue}
	conf, attr := 0.0, knowledge.AttrUnattributed
	switch at.how {
	case "named":
		conf, attr = 0.95, knowledge.AttrStated
	case "described", "document", "role-text":
		conf, attr = 0.9, knowledge.AttrStated
	case "surname-record", "role-record":
		conf, attr = 0.8, knowledge.AttrInferred
	case "continued":
		conf, attr = 0.75, knowledge.AttrInferred
	case "colon":
		conf, attr = 0.6, knowledge.AttrInferred
	case "pronoun":
		conf, attr = 0.7, knowledge.AttrInferred
	}
	if at.ent != nil {
		name := at.ent.label()
		if at.ent.desc || at.ent.org {
			name = lowerArticle(name)
		}
		p.Speaker = &name
		if at.ent.person != nil {
			p.SpeakerID = at.ent.person.PersonID
		}
	} else if at.document != "" {
		doc := lowerArticle(at.document)
		p.Document = &doc
	}
	if sa, sb := d.runes(at.start, at.end); at.text != "" && sa < sb {
		p.SpeakerText, p.SpeakerStart, p.SpeakerEnd = d.s[sa:sb], sa, sb
	}
	if kind == Reported {
		conf *= 0.95
	}
	p.Attribution, p.Confidence = attr, round2(conf)
	p.Reason = at.reason
	if p.Reason == "" {
		switch at.how {
		case "anonymous":
			p.Reason = "the text does not say who \"" + at.text + "\" is"
		case "none":
			p.Reason = "the text does not say who said these words"
		default:
			p.Reason = "the text names the speaker at the words"
		}
	}
	if kind == Reported && attr != knowledge.AttrUnattributed {
		p.Reason += "; reported speech: the words are the writer's account"
	}
	d.out = append(d.out, p)
}

// runes narrows s[a:b] to whole characters: invalid UTF-8 at its edges
// (a stray continuation byte) is left out.
func (d *doc) runes(a, b int) (int, int) {
	for a < b && !utf8.RuneStart(d.s[a]) {
		a++
	}
	for b > a && b < len(d.s) && !utf8.RuneStart(d.s[b]) {
		b--
	}
	return a, b
}

func round2(f float64) float64 { return float64(int(f*100+0.5)) / 100 }

// lowerArticle lower-cases a leading article or "one": descriptions read
// mid-sentence ("a Home Office source").
func lowerArticle(s string) string {
	for _, a := range []string{"A ", "An ", "The ", "One ", "Her ", "His ", "Their ", "Its ", "Our "} {
		if strings.HasPrefix(s, a) {
			return strings.ToLower(a[:1]) + s[1:]
		}
	}
	return s
}
