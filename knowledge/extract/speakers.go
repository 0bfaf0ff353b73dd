package extract

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/onrecord/onrecord/knowledge"
)

// possessive reports whether a word ends in 's or s'.
func possessive(t token) bool {
	return t.kind == tokWord && (strings.HasSuffix(t.low, "'s") || (strings.HasSuffix(t.low, "s'")))
}

// allCaps reports whether a word has letters and all are capitals.
func allCaps(w string) bool {
	letters := false
	for _, r := range w {
		if unicode.IsLower(r) {
			return false
		}
		letters = letters || unicode.IsLetter(r)
	}
	return letters
}

// npish reports whether t may belong to a noun phrase that names or
// describes a speaker.
func (d *doc) npish(t token) bool {
	if t.kind != tokWord || d.lex.stopNP[t.low] {
		return false
	}
	l := d.lex
	return t.cap() || l.determiners[t.low] || l.describers[t.low] || l.roleWords[t.low] || possessive(t) || l.docNouns[t.low]
}

// particleAt reports whether toks[k] is a lower-case particle inside a
// name ("Ursula von der Leyen", "Jan de Vries"): between a capitalised
// word and a capitalised word or another particle.
func (d *doc) particleAt(toks []token, k int) bool {
	if k <= 0 || k+1 >= len(toks) || toks[k].kind != tokWord || !d.lex.particles[toks[k].low] {
		return false
	}
	if !toks[k-1].cap() && !d.lex.particles[toks[k-1].low] {
		return false
	}
	return toks[k+1].cap() || (k+2 < len(toks) && d.lex.particles[toks[k+1].low] && toks[k+2].cap())
}

// skippable reports whether t may stand between a subject and its verb.
func (d *doc) skippable(t token) bool {
	return t.kind == tokWord && !t.cap() && (d.lex.skipLeft[t.low] || (strings.HasSuffix(t.low, "ly") && len(t.low) > 4))
}

// leftNP returns the noun phrase that ends before the verb at c, after
// auxiliaries and adverbs: toks[lo:hi], empty when there is none.
func (d *doc) leftNP(toks []token, c int) (lo, hi int) {
	j := c
	for j > 0 && d.skippable(toks[j-1]) {
		j--
	}
	i := j
	for i > 0 {
		t := toks[i-1]
		if d.npish(t) || d.particleAt(toks, i-1) {
			i--
			continue
		}
		if t.is("then") && i >= 2 && toks[i-2].is("the") && i < j {
			i-- // "the then home secretary"
			continue
		}
		if t.is("her") && i < j {
			i-- // "Her defenders say": a determiner, and the phrase's start
			break
		}
		if t.kind == tokWord && (d.lex.joiners[t.low] || t.low == "and" && toks[i].cap()) && i < j && i >= 2 && d.npish(toks[i-2]) && (t.low != "and" || toks[i-2].cap()) {
			i--
			continue
		}
		break
	}
	if i == j && j >= 2 && toks[j-1].kind == tokWord && !toks[j-1].cap() && !d.lex.stopNP[toks[j-1].low] {
		// "One user wrote": an article and a noun no list holds.
		for k := j - 2; k >= 0 && k >= j-3; k-- {
			if toks[k].kind != tokWord {
				break
			}
			if d.lex.determiners[toks[k].low] && toks[k].low != "own" {
				return k, j
			}
			if toks[k].cap() || d.lex.stopNP[toks[k].low] {
				break
			}
		}
	}
	return i, j
}

// rightNP returns the noun phrase that starts at i: toks[i:j].
func (d *doc) rightNP(toks []token, i int) (lo, hi int) {
	defer func() {
		// "a poll published by …": an article and a noun no list holds.
		if hi > lo && hi < len(toks) && d.lex.determiners[toks[hi-1].low] && toks[hi].kind == tokWord && !toks[hi].cap() &&
			!d.lex.stopNP[toks[hi].low] && !d.verbish(toks[hi]) {
			hi++
		}
	}()
	j := i
	for j < len(toks) {
		t := toks[j]
		if t.kind != tokWord || (j > i && d.lex.rightStops[t.low]) {
			break
		}
		if d.npish(t) || (j == i && d.lex.anonymous[t.low]) || d.particleAt(toks, j) {
			j++
			continue
		}
		if d.lex.joiners[t.low] && j > i && j+1 < len(toks) && d.npish(toks[j+1]) {
			j++
			continue
		}
		break
	}
	return i, j
}

// cueKind says what a cue word is.
type cueKind int

const (
	notCue cueKind = iota
	speechCue
	docCue        // only a document says this way ("the review found")
	participleCue // "…, adding"
)

// cue says whether toks[c] attributes words.
func (d *doc) cue(toks []token, c int) cueKind {
	t := toks[c]
	if t.kind != tokWord || t.cap() && c > 0 {
		return notCue
	}
	next := func(w ...string) bool { return c+1 < len(toks) && toks[c+1].is(w...) }
	prevWord := ""
	for j := c - 1; j >= 0; j-- {
		if toks[j].kind != tokWord || !d.skippable(toks[j]) || d.lex.passive[toks[j].low] {
			if toks[j].kind == tokWord {
				prevWord = toks[j].low
			}
			break
		}
	}
	if d.lex.passive[prevWord] || prevWord == "to" {
		return notCue // "was told about", "refused to say"
	}
	if c > 0 && toks[c-1].is("the", "a", "an", "his", "her", "their", "its", "our", "my", "your", "these", "those", "such", "no",
		"every", "each", "any", "this", "that", "some", "many", "few") {
		return notCue // a noun: "the answers were", "her promises"
	}
	switch {
	case (t.low == "shot" || t.low == "hit" || t.low == "fired" || t.low == "hits" || t.low == "fires") && next("back"):
		return speechCue // "she shot back"
	case t.low == "put" || t.low == "puts":
		if next("it") {
			return speechCue // "as one former permanent secretary put it to me:"
		}
		return notCue
	case t.low == "sets" || t.low == "set":
		if next("out") {
			return docCue
		}
		return notCue
	case t.low == "found" || t.low == "finds" || t.low == "reads" || t.low == "concluded" || t.low == "concludes":
		return docCue
	case (t.low == "told" || t.low == "tells" || t.low == "tell") && next("to", "about", "of", "off"):
		return notCue
	case d.lex.cues[t.low]:
		return speechCue
	case d.lex.participles[t.low]:
		return participleCue
	}
	return notCue
}

// details returns the medium and venue a cue at c gives, and the index
// after them.
func (d *doc) details(toks []token, c int) (medium, venue string, after int) {
	t := toks[c]
	j := c + 1
	medium = t.low
	if (t.low == "sets" || t.low == "set") && j < len(toks) && toks[j].is("out") {
		medium, j = t.low+" out", j+1
	}
	if t.low == "tweeted" || t.low == "tweets" || t.low == "tweeting" {
		venue = "Twitter"
	}
	if t.low == "told" || t.low == "tells" || t.low == "telling" {
		k := j
		for k < len(toks) && k < j+5 && toks[k].kind == tokWord && !toks[k].is("that") && !(k > j && d.lex.determiners[toks[k].low]) &&
			(d.lex.objects[toks[k].low] || d.npish(toks[k]) || (k > j && d.lex.determiners[toks[k-1].low] && !d.lex.stopNP[toks[k].low])) {
			k++ // "told MPs", "told the committee", "told the hearing"; not "told journalists the answers"
		}
		if k > j {
			venue = d.s[toks[j].start:toks[k-1].end]
			medium = "told " + venue
			j = k
		}
	}
	// "on Twitter", "in a statement", "in her resignation letter"
	if j+1 < len(toks) && toks[j].is("on", "in") {
		k := j + 1
		for k < len(toks) && k < j+5 && toks[k].kind == tokWord && !d.lex.rightStops[toks[k].low] {
			k++
		}
		last := toks[k-1].low
		if k > j+1 && (last == "twitter" || last == "facebook" || last == "statement" || last == "letter" || last == "interview" || last == "post" || last == "blog" || last == "x" || last == "radio" || last == "television") {
			venue = d.s[toks[j+1].start:toks[k-1].end]
			medium += " " + d.s[toks[j].start:toks[k-1].end]
			j = k
		}
	}
	return medium, venue, j
}

// after finds a speaker named after quotation k: `"…," X said` or
// `"…," said X`.
func (d *doc) after(toks []token, k int) *attribution {
	i := k + 1
	if i < len(toks) && toks[i].is(",", "-", "—", "–", ":") {
		i++ // `"…," she said`; a headline's `'…': Rudd speaks out`
	}
	if i >= len(toks) || toks[i].kind != tokWord {
		return nil
	}
	if a, _, ok := d.accordingTo(toks, i); ok {
		return a
	}
	if d.cue(toks, i) == speechCue {
		lo, hi := d.rightNP(toks, i+1)
		if lo == hi {
			return nil
		}
		a := d.classify(toks[lo:hi])
		if n := d.apposed(toks, hi); n != nil && (a == nil || a.how != "named") {
			a = n // `said its chair, Gareth Lloyd`
		}
		return d.withCue(a, toks, i)
	}
	for c := i; c < len(toks) && c < i+12; c++ {
		if toks[c].kind != tokWord {
			return nil
		}
		if c == i {
			continue
		}
		switch kind := d.cue(toks, c); kind {
		case speechCue, docCue:
			lo, hi := d.leftNP(toks, c)
			if lo == hi && hi == i+1 && hi-1 == i {
				lo = i // a pronoun: "she added"
			}
			if lo != i || lo == hi {
				return nil
			}
			a := d.classify(toks[lo:hi])
			if a != nil && kind == docCue && a.document == "" {
				return nil
			}
			return d.withCue(a, toks, c)
		}
	}
	return nil
}

// accordingTo reads "according to X" at c: the speaker X (nil when the
// phrase names nobody) and the index after X. ok is false when toks[c]
// does not open the phrase.
func (d *doc) accordingTo(toks []token, c int) (a *attribution, hi int, ok bool) {
	if !toks[c].is("according") || c+1 >= len(toks) || !toks[c+1].is("to") {
		return nil, 0, false
	}
	lo, hi := d.rightNP(toks, c+2)
	if lo == hi {
		return nil, hi, true
	}
	if a = d.classify(toks[lo:hi]); a != nil {
		a.cue = "according to"
	}
	return a, hi, true
}

// withCue adds the cue at c to a.
func (d *doc) withCue(a *attribution, toks []token, c int) *attribution {
	if a == nil {
		return nil
	}
	a.cue = toks[c].low
	a.medium, a.venue, _ = d.details(toks, c)
	return a
}

// before finds the cue before quotation k, back to the quotation before
// it: `X said: "…"`, `X told MPs "…"`, `X said the plan was "…"`,
// `according to X, … "…"`.
func (d *doc) before(toks []token, k int, prev, subj *attribution) *attribution {
	for c := k - 1; c >= 0; c-- {
		t := toks[c]
		if t.kind == tokQuote && d.isLabel(toks, c) {
			continue // a label inside the clause: "the government's \"hostile environment\" had been \"…\""
		}
		if t.kind == tokQuote || t.is(";") {
			return nil
		}
		if t.is(",") && c+1 < k && toks[c+1].is("but", "while", "whereas", "although", "though") {
			return nil // another clause, maybe another speaker
		}
		if a, _, ok := d.accordingTo(toks, c); ok {
			return a
		}
		switch kind := d.cue(toks, c); kind {
		case speechCue, docCue:
			a := d.leftSubject(toks, c, subj)
			if a != nil && kind == docCue && a.document == "" {
				return nil
			}
			return d.withCue(a, toks, c)
		case participleCue:
			var a *attribution
			switch {
			case c > 0 && d.npish(toks[c-1]):
				if lo, hi := d.leftNP(toks, c); lo < hi {
					a = d.classify(toks[lo:hi])
				}
			case prev != nil:
				cp := *prev
				a = &cp
			case subj != nil:
				cp := *subj
				a = &cp
			}
			return d.withCue(a, toks, c)
		}
	}
	return nil
}

// cueBefore reports whether quotation k follows its cue directly
// (`told the committee "…"`), which makes it a whole quotation.
func (d *doc) cueBefore(toks []token, k int) bool {
	for c := k - 1; c >= 0 && c >= k-5; c-- {
		if d.cue(toks, c) != notCue {
			return true
		}
		if toks[c].kind != tokWord || !(d.lex.objects[toks[c].low] || d.npish(toks[c])) {
			return false
		}
	}
	return false
}

// isLabel reports whether quotation k is a label or scare quote: right
// after an article, "so-called", "branded", "as" and the like.
func (d *doc) isLabel(toks []token, k int) bool {
	return k > 0 && toks[k-1].kind == tokWord && (d.lex.scare[toks[k-1].low] || possessive(toks[k-1]))
}

// leftSubject returns the speaker of the cue at c: the noun phrase before
// it, the sentence's subject across an apposition ("Satbir Singh, chief
// executive of …, said") or a coordination ("welcomed it but said"), or
// the antecedent of "who" and "which".
func (d *doc) leftSubject(toks []token, c int, subj *attribution) *attribution {
	lo, hi := d.leftNP(toks, c)
	if lo < hi {
		if lo > 0 && d.lex.prepositions[toks[lo-1].low] && toks[lo-1].kind == tokWord {
			return d.objectOf(toks, lo, hi)
		}
		return d.classify(toks[lo:hi])
	}
	if hi == 0 {
		return nil
	}
	t := toks[hi-1]
	switch {
	case t.is("he", "she", "it", "they", "we", "i", "you"):
		return d.classify(toks[hi-1 : hi])
	case t.is("who", "which"):
		return d.relative(toks, hi-1)
	case t.is("and", "but", ","):
		if t.is(",") && hi >= 2 {
			// A name right before the comma is in apposition to the subject
			// and says who it is: "The appellant, 64-year-old Desmond
			// Clarke, told"; "what the firm …, Barclay Strategies, said".
			if lo, hi := d.leftNP(toks, hi-1); lo < hi && (lo == 0 || !d.lex.prepositions[toks[lo-1].low]) {
				if a := d.classify(toks[lo:hi]); a != nil && (a.how == "named" || a.how == "surname-record") {
					return a
				}
			}
		}
		if subj != nil && (subj.ent != nil || subj.document != "") {
			cp := *subj
			return &cp
		}
	default:
		if subj != nil && subj.document != "" && !d.hasCue(toks[:c]) {
			// "A memo sent to the home secretary in June 2017 says …": the
			// document the sentence opens with.
			cp := *subj
			return &cp
		}
	}
	return nil
}

// objectOf handles a noun phrase that a preposition governs right before a
// cue ("A source close to Ms Rudd said"): the one named is not the
// speaker. The speaker is the description the preposition belongs to,
// from its article, or nobody.
func (d *doc) objectOf(toks []token, lo, hi int) *attribution {
	for i := lo - 2; i >= 0 && i >= lo-6; i-- {
		t := toks[i]
		if t.kind != tokWord {
			return nil
		}
		if t.is("a", "an", "the", "one") {
			first, last := toks[i], toks[hi-1]
			text := d.s[first.start:last.end]
			head := ""
			for _, w := range toks[i+1 : lo-1] {
				if d.lex.describers[w.low] {
					head = w.low
				}
				if d.lex.docNouns[w.low] {
					// "A report by the Institute for Public Policy Research says"
					return d.document(&attribution{text: text, start: first.start, end: last.end})
				}
			}
			if head == "" {
				return nil
			}
			e := d.described(text, head, false)
			return &attribution{ent: e, how: "described", text: text, start: first.start, end: last.end}
		}
	}
	return nil
}

// relative returns the antecedent of "who" or "which" at w.
func (d *doc) relative(toks []token, w int) *attribution {
	if w == 0 || !toks[w-1].is(",") {
		return nil
	}
	if toks[w].is("which") {
		// A document: the nearest noun for one, or a quoted title after "the".
		for j := w - 2; j >= 0 && j >= w-10; j-- {
			t := toks[j]
			if t.kind == tokWord && d.lex.docNouns[t.low] {
				lo, hi := d.leftNP(toks, j+1)
				if lo == hi {
					lo = j
				}
				return d.classify(toks[lo : j+1])
			}
			if t.kind == tokQuote && j > 0 && toks[j-1].is("the") {
				q := d.quotes[t.quote]
				title := d.s[q.start:q.end]
				d.docs = append(d.docs, docRef{text: title, sent: d.sentID})
				return &attribution{document: title, text: d.s[toks[j-1].start:t.end], start: toks[j-1].start, end: t.end, how: "document"}
			}
		}
		return nil
	}
	lo, hi := d.leftNP(toks, w-1)
	if lo == hi {
		return nil
	}
	return d.classify(toks[lo:hi])
}

// subject returns the speaker-like subject of a sentence: its first noun
// phrase after a dateline, a conjunction and a fronted phrase ("Asked
// whether …, she"), or nil.
func (d *doc) subject(toks []token) *attribution {
	i := 0
	for j := 0; j < len(toks) && j < 8; j++ {
		if toks[j].is("-", "—", "–") {
			ok := true
			for _, t := range toks[:j] {
				ok = ok && (t.kind == tokPunct || allCaps(t.text) || t.cap())
			}
			if ok {
				i = j + 1
			}
			break
		}
	}
	for i < len(toks) && (toks[i].is("but", "and", "yet", "so") || toks[i].kind == tokWord && startsDigit(toks[i].text)) {
		i++ // a conjunction, or a live blog's time stamp
	}
	if i < len(toks) && toks[i].kind == tokWord && d.lex.fronted[toks[i].low] {
		for i < len(toks) && !toks[i].is(",") {
			if toks[i].kind == tokQuote {
				return nil
			}
			i++
		}
		i++
	}
	if i >= len(toks) {
		return nil
	}
	if toks[i].is("he", "she") {
		return d.classify(toks[i : i+1])
	}
	j := i
	if toks[i].is("her") && i+1 < len(toks) && d.npish(toks[i+1]) {
		j++ // "Her father is quieter.": someone described, whom a pronoun may mean
	}
	for j < len(toks) {
		t := toks[j]
		if d.npish(t) || d.particleAt(toks, j) {
			j++
			continue
		}
		if t.kind == tokWord && !t.cap() && !d.lex.stopNP[t.low] && j > i && j+1 < len(toks) && toks[j+1].is(",") && !d.verbish(t) {
			j++ // the phrase's own noun before an apposition: "the Commission's chief negotiator, Michel Barnier,"
			break
		}
		if t.kind == tokWord && !t.cap() && !d.lex.stopNP[t.low] && j > i && j-i <= 2 && d.lex.determiners[toks[i].low] &&
			j+1 < len(toks) && d.npish(toks[j+1]) && !d.lex.determiners[toks[j+1].low] {
			j++ // an adjective after the article: "An internal briefing"
			continue
		}
		if t.kind == tokWord && d.lex.joiners[t.low] && j > i && j+1 < len(toks) && d.npish(toks[j+1]) {
			j++
			continue
		}
		break
	}
	if j == i {
		return nil
	}
	var a *attribution
	if j < len(toks) && toks[j].kind == tokWord && !toks[j].cap() && (d.verbish(toks[j]) || d.skippable(toks[j])) {
		// "Marcia is not satisfied.": a capitalised word as a subject is
		// someone, so that a pronoun after it does not skip to another
		// ("Does she think …?" has no such subject).
		a = d.oneName(toks, i, j)
	}
	if a == nil {
		a = d.classify(toks[i:j])
	}
	if n := d.apposed(toks, j); n != nil && (a == nil || a.how != "named") && (n.how != "document" || a != nil && a.how == "document") {
		a = n // "The developer, Harrow Homes, said"; "A second document, an email …, is blunter"
	}
	if a != nil && a.ent != nil {
		d.mentionAt(a.ent, toks[i].start, true)
	}
	return a
}

// apposed returns the person or organisation named in apposition at j:
// ", Name," or ", Name said".
func (d *doc) apposed(toks []token, j int) *attribution {
	if j+1 >= len(toks) || !toks[j].is(",") {
		return nil
	}
	from := j + 1
	if toks[from].kind == tokWord && startsDigit(toks[from].text) {
		from++ // "The appellant, 64-year-old Desmond Clarke,"
	}
	lo, hi := d.rightNP(toks, from)
	if lo < hi && d.lex.determiners[toks[lo].low] && !toks[lo].cap() {
		// "A second document, an email from a senior manager in the
		// north-west, is blunter": a document described in apposition.
		end := hi
		for end < len(toks) && end < hi+8 && toks[end].kind == tokWord {
			end++
		}
		if end < len(toks) && toks[end].is(",") {
			if a := d.classify(toks[lo:hi]); a != nil && a.how == "document" {
				return a
			}
		}
		return nil
	}
	if lo == hi || !toks[lo].cap() || (hi < len(toks) && !toks[hi].is(",", ".") && d.cue(toks, hi) == notCue) {
		return nil
	}
	a := d.oneName(toks, lo, hi)
	if a == nil {
		a = d.classify(toks[lo:hi])
	}
	if a == nil || (a.how != "named" && a.how != "surname-record" && a.how != "document" && !(a.ent != nil && a.ent.org)) {
		return nil
	}
	return a
}

// oneName returns toks[lo:hi] as a person when it is one capitalised word
// no list knows as anything else (a first name given alone: "Marcia").
func (d *doc) oneName(toks []token, lo, hi int) *attribution {
	if hi-lo != 1 || possessive(toks[lo]) || !d.personName(toks[lo:hi], true) {
		return nil
	}
	e := d.person(toks[lo:hi], "", "")
	d.mentionAt(e, toks[lo].start, true)
	return &attribution{ent: e, how: "named", text: toks[lo].text, start: toks[lo].start, end: toks[lo].end}
}

// startsDigit reports whether w starts with a digit.
func startsDigit(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsDigit(r)
}

// classify reads a noun phrase as a speaker: a person named (with role
// words before the name bound to them), a pronoun, a description, an
// organisation, a document, or someone the text does not identify.
func (d *doc) classify(np []token) *attribution {
	if len(np) == 0 {
		return nil
	}
	for len(np) > 1 && np[len(np)-1].kind == tokWord && d.lex.postNominals[np[len(np)-1].low] && !d.lex.describers[np[len(np)-1].low] &&
		np[len(np)-2].cap() && !d.lex.orgWords[np[len(np)-2].low] && !d.lex.notNames[np[len(np)-2].low] {
		np = np[:len(np)-1]
	}
	first, last := np[0], np[len(np)-1]
	a := &attribution{text: d.s[first.start:last.end], start: first.start, end: last.end}
	if len(np) == 1 {
		switch first.low {
		case "he", "she":
			return d.pronoun(first, a)
		case "it":
			return d.documentPronoun(a)
		}
		if d.lex.anonymous[first.low] {
			a.how = "anonymous"
			return a
		}
	}
	head := np
	for i, t := range np {
		if i > 0 && t.kind == tokWord && d.lex.joiners[t.low] {
			head = np[:i]
			break
		}
	}
	hl := head[len(head)-1]
	// The trailing run of capitalised words of the head.
	k := len(head)
	for k > 0 && (head[k-1].cap() || d.particleAt(head, k-1)) && (k == len(head) || !possessive(head[k-1])) {
		k--
	}
	run := head[k:]
	if len(run) > 0 && len(head) == len(np) {
		// Split off role words and possessives: "Home Secretary Amber Rudd", "Labour's Diane Abbott".
		name, cut, gender, titled := d.nameIn(run)
		if len(name) > 0 && d.personName(name, titled) {
			role := d.roleKey(np[:len(np)-len(run)+cut])
			e := d.person(name, gender, titleOf(run[cut:], name))
			if role != "" {
				d.bindings[role] = e
			}
			d.mentionAt(e, name[0].start, true)
			a.ent, a.how = e, "named"
			if e.how == "surname" {
				a.how = "surname-record"
				a.reason = fmt.Sprintf("the text gives only %q; the record's only person of that name is %s", a.text, e.label())
			}
			return a
		}
		if d.lex.docNouns[hl.low] {
			return d.document(a)
		}
		if len(name) == 0 && cut > 0 && d.lex.roleHeads[run[cut-1].low] && !possessive(run[cut-1]) {
			return d.role(d.roleKey(np), a)
		}
		if hl.cap() && !d.lex.describers[hl.low] && !d.lex.notNames[hl.low] && !d.lex.determiners[hl.low] {
			e := d.described(a.text, "", true)
			a.ent, a.how = e, "described"
			return a
		}
	}
	if d.lex.determiners[hl.low] || d.lex.stopNP[hl.low] {
		return nil // "The", "their": no one
	}
	switch {
	case d.lex.docNouns[hl.low]:
		return d.document(a)
	case d.lex.roleHeads[hl.low] && first.is("the", "their", "its", "his", "our") && len(head) == len(np):
		return d.role(d.roleKey(np), a)
	case d.lex.describers[hl.low] || !hl.cap() && d.lex.determiners[first.low] && len(head) > 1:
		if d.lex.anonymous[first.low] && len(np) == 1 {
			a.how = "anonymous"
			return a
		}
		e := d.described(a.text, hl.low, false)
		if e == nil {
			return nil
		}
		if e.name != a.text {
			a.reason = fmt.Sprintf("%q: the text's %s", a.text, lowerArticle(e.name))
		}
		a.ent, a.how = e, "described"
		return a
	}
	if len(head) < len(np) && hl.cap() {
		e := d.described(a.text, "", true)
		a.ent, a.how = e, "described"
		return a
	}
	return nil
}

// nameIn returns the words of a capitalised run that may be a name:
// after role words, possessives and descriptions ("Home Secretary Amber
// Rudd", "Labour's Diane Abbott", "Labour MP David Lammy"), without titles
// (whose gender it returns), post-nominals or a final 's. cut is where the
// name part of run starts.
func (d *doc) nameIn(run []token) (name []token, cut int, gender string, titled bool) {
	for i, t := range run {
		if d.lex.roleHeads[t.low] || (possessive(t) || d.lex.describers[t.low]) && i < len(run)-1 {
			cut = i + 1
		}
	}
	name = run[cut:]
	for len(name) > 0 && d.lex.titles[name[0].low] == "" && !d.lex.describers[name[0].low] &&
		(d.lex.notNames[name[0].low] || d.lex.orgWords[name[0].low] || d.lex.roleWords[name[0].low]) {
		name = name[1:]
	}
	for len(name) > 0 {
		g, ok := d.lex.titles[name[0].low]
		if !ok {
			break
		}
		gender, titled = g, true
		name = name[1:]
	}
	for len(name) > 0 && d.lex.postNominals[name[len(name)-1].low] {
		name = name[:len(name)-1]
	}
	if len(name) > 0 && possessive(name[len(name)-1]) {
		last := name[len(name)-1]
		trimmed := last
		trimmed.text = strings.TrimRight(strings.TrimSuffix(strings.TrimSuffix(last.text, "'s"), "’s"), "'’")
		trimmed.low = lowWord(trimmed.text)
		name = append(name[:len(name)-1:len(name)-1], trimmed)
	}
	return name, cut, gender, titled
}

// personName reports whether capitalised words name a person: a title
// before them, two or more name-shaped words, or one word the text or the
// record already knows as someone's surname.
func (d *doc) personName(name []token, titled bool) bool {
	// A common first name makes the rest a surname, whatever else the
	// word names: "Winston Hall", "Kate Green", "Sam Church".
	// So does a title: "Mrs Hall".
	given := len(name) >= 2 && d.lex.givenNames[knowledge.Normalize(name[0].text)] != ""
	for i, t := range name {
		word := d.lex.orgWords[t.low] || d.lex.describers[t.low] || d.lex.docNouns[t.low]
		if (word && !(given && i > 0) && !titled) || d.lex.notNames[t.low] || !t.cap() {
			return false
		}
		r, _ := utf8.DecodeRuneInString(t.text)
		if unicode.IsDigit(r) {
			return false
		}
	}
	if titled || len(name) >= 2 {
		return true
	}
	sur := knowledge.Normalize(name[0].text)
	for _, e := range d.ents {
		if e.surname == sur && !e.desc && !e.org {
			return true
		}
	}
	return len(d.lookup(name[0].text)) == 1
}

// roleKey returns the role words of np joined ("shadow home secretary"),
// or "" when they end in no role head.
func (d *doc) roleKey(np []token) string {
	var ws []string
	for _, t := range np {
		if t.kind == tokWord && d.lex.roleWords[t.low] {
			ws = append(ws, t.low)
		} else if len(ws) > 0 && d.lex.roleHeads[ws[len(ws)-1]] {
			break
		} else {
			ws = ws[:0]
		}
	}
	for len(ws) > 0 && !d.lex.roleHeads[ws[len(ws)-1]] {
		ws = ws[:len(ws)-1]
	}
	return strings.Join(ws, " ")
}

// person returns the entity the name words denote, making it when new,
// and resolves it in the record.
func (d *doc) person(name []token, gender, title string) *entity {
	var parts []string
	for _, t := range name {
		parts = append(parts, t.text)
	}
	full := strings.Join(parts, " ")
	if allCaps(parts[0]) && len(parts) > 1 {
		// "AMBER Rudd": a tabloid's capitals.
		r, n := utf8.DecodeRuneInString(parts[0])
		parts[0] = string(r) + strings.ToLower(parts[0][n:])
		full = strings.Join(parts, " ")
	}
	sur := knowledge.Normalize(parts[len(parts)-1])
	key := knowledge.NameKey(full)
	var e *entity
	for i := len(d.ents) - 1; i >= 0; i-- {
		c := d.ents[i]
		if c.desc || c.org {
			continue
		}
		if c.key == key || (c.surname == sur && (len(parts) == 1 || !strings.Contains(c.name, " ")) && (gender == "" || c.gender == "" || c.gender == gender)) {
			e = c // "Mrs Hall" is not Winston Hall
			break
		}
		if len(parts) == 1 && (title == "Sir" || title == "Dame") && strings.Contains(c.name, " ") &&
			knowledge.Normalize(strings.Fields(c.name)[0]) == sur {
			e = c // "Sir Philip" is Philip Rutnam, knighted
			break
		}
	}
	if e == nil {
		e = &entity{name: full, surname: sur, key: key}
		d.ents = append(d.ents, e)
	} else if len(parts) > len(strings.Fields(e.name)) {
		e.name, e.key = full, key
		if e.how == "surname" {
			e.person, e.how = nil, ""
		}
	}
	if gender != "" {
		e.gender = gender
	}
	if e.gender == "" && len(parts) > 1 {
		e.gender = d.lex.givenNames[knowledge.Normalize(parts[0])] // "Emma Barnett" is not "he"
	}
	if title != "" && e.title == "" && (len(parts) > 1 || e.name == full) {
		// The title of a full name ("Sir John Redwood"), not of a form of
		// address to someone named in full before ("Sir Philip").
		e.title = title
	}
	if e.person == nil {
		if cs := d.lookup(e.name); len(cs) == 1 {
			c := cs[0]
			e.person, e.how = &c, "name"
			if len(strings.Fields(e.name)) == 1 {
				e.how = "surname"
			}
			if e.gender == "" {
				e.gender = genderOf(c.Forms, d.lex)
			}
			if first := strings.Fields(c.Name); e.gender == "" && len(first) > 1 {
				e.gender = d.lex.givenNames[knowledge.Normalize(first[0])]
			}
		}
	}
	return e
}

// titleOf returns the titles written before name within run ("Sir",
// "Lord"), or "".
func titleOf(run, name []token) string {
	if len(name) == 0 || len(run) == 0 || name[0].start <= run[0].start {
		return ""
	}
	var ts []string
	for _, t := range run {
		if t.start >= name[0].start {
			break
		}
		ts = append(ts, t.text)
	}
	// Only the titles right before the name.
	for len(ts) > 0 && !isTitle(ts[0]) {
		ts = ts[1:]
	}
	return strings.Join(ts, " ")
}

func isTitle(w string) bool {
	switch strings.ToLower(strings.TrimSuffix(w, ".")) {
	case "mr", "mrs", "ms", "miss", "mx", "dr", "sir", "dame", "lord", "lady", "baroness", "baron", "prof",
		"professor", "rev", "cllr", "councillor", "sen", "rep", "gov":
		return true
	}
	return false
}

// plural reports whether a description's head noun is plural ("officials").
func plural(head string) bool {
	return strings.HasSuffix(head, "s") && !strings.HasSuffix(head, "ss") || head == "people" || head == "staff"
}

// genderOfNoun returns the gender a description's head noun tells.
func genderOfNoun(head string) string {
	switch head {
	case "father", "son", "brother", "husband", "man", "spokesman", "chairman", "widower", "grandfather", "uncle":
		return "m"
	case "mother", "daughter", "sister", "wife", "woman", "spokeswoman", "chairwoman", "widow", "grandmother", "aunt":
		return "f"
	}
	return ""
}

// genderOf returns the gender the titles among a person's name forms tell.
func genderOf(forms []string, l *lexicon) string {
	for _, f := range forms {
		w := strings.ToLower(strings.Fields(f + " x")[0])
		if g := l.titles[w]; g != "" {
			return g
		}
	}
	return ""
}

// described returns the description entity for text: a definite
// description of a head already described ("the source" after "a Home
// Office source") is that one; otherwise a new one.
func (d *doc) described(text, head string, org bool) *entity {
	low := strings.ToLower(text)
	if head != "" && (low == "the "+head || low == "that "+head) {
		for i := len(d.ents) - 1; i >= 0; i-- {
			if e := d.ents[i]; e.desc && e.head == head {
				return e
			}
		}
	}
	for _, e := range d.ents {
		if (e.desc || e.org) && strings.EqualFold(e.name, text) {
			return e
		}
	}
	e := &entity{name: text, desc: !org, org: org, head: head, gender: genderOfNoun(head)}
	if !org {
		// "Officials", capitalised only because it starts the sentence.
		if r, n := utf8.DecodeRuneInString(text); unicode.IsUpper(r) && !strings.Contains(text, " ") {
			e.name = string(unicode.ToLower(r)) + text[n:]
		}
	}
	d.ents = append(d.ents, e)
	return e
}

// document returns a as a document speaking, remembered for "it".
func (d *doc) document(a *attribution) *attribution {
	a.document, a.how = a.text, "document"
	d.docs = append(d.docs, docRef{text: a.text, sent: d.sentID})
	return a
}

// documentPronoun resolves "it" to a document named in the last two sentences.
func (d *doc) documentPronoun(a *attribution) *attribution {
	if n := len(d.docs); n > 0 && d.sentID-d.docs[n-1].sent <= 2 {
		a.document, a.how = d.docs[n-1].text, "document"
		a.reason = fmt.Sprintf("%q: the %s named just before", a.text, strings.TrimPrefix(strings.ToLower(d.docs[n-1].text), "the "))
		return a
	}
	a.how = "anonymous"
	return a
}

// role resolves a role ("the home secretary"): to whom the text itself
// gives it, else to the one person the record gives it whom the text
// names, else it stays a description.
func (d *doc) role(key string, a *attribution) *attribution {
	if key == "" {
		return nil
	}
	if e := d.bindings[key]; e != nil {
		a.ent, a.how = e, "role-text"
		a.reason = fmt.Sprintf("%q: the text names %s as %s", a.text, e.label(), key)
		d.mentionAt(e, a.start, true)
		return a
	}
	var found *entity
	n := 0
	for _, c := range d.lookup("the " + key) {
		for _, e := range d.ents {
			if e.person != nil && e.person.PersonID == c.PersonID {
				if found != e {
					n++
				}
				found = e
				break
			}
		}
	}
	if n == 1 {
		a.ent, a.how = found, "role-record"
		a.reason = fmt.Sprintf("%q: the record gives that role to %s, whom the text names", a.text, found.label())
		d.mentionAt(found, a.start, true)
		return a
	}
	e := d.described(a.text, "", false)
	a.ent, a.how = e, "described"
	return a
}

// pronoun resolves "he" or "she" to the nearest person named before it as
// a speaker or a sentence's subject whose gender, when known, fits.
func (d *doc) pronoun(t token, a *attribution) *attribution {
	want := "f"
	if t.low == "he" {
		want = "m"
	}
	for i := len(d.mentions) - 1; i >= 0; i-- {
		m := d.mentions[i]
		if m.pos >= t.start || !m.salient {
			continue
		}
		if m.para < d.para-4 {
			break
		}
		e := m.ent
		if e.org || (e.desc && plural(e.head)) || (e.gender != "" && e.gender != want) {
			continue
		}
		a.ent, a.how = e, "pronoun"
		e.gender = want
		a.reason = fmt.Sprintf("%q: the nearest person before it is %s", t.text, lowerArticle(e.label()))
		d.mentionAt(e, t.start, true)
		return a
	}
	// No speaker or subject fits: the one person named in this paragraph
	// or the one before, if only one fits.
	var only *entity
	for i := len(d.mentions) - 1; i >= 0; i-- {
		m := d.mentions[i]
		if m.pos >= t.start {
			continue
		}
		if m.para < d.para-1 {
			break
		}
		e := m.ent
		if e.desc || e.org || (e.gender != "" && e.gender != want) {
			continue
		}
		if only != nil && only != e {
			only = nil
			break
		}
		only = e
	}
	if only != nil {
		a.ent, a.how = only, "pronoun"
		only.gender = want
		a.reason = fmt.Sprintf("%q: the only person named just before it is %s", t.text, only.label())
		d.mentionAt(only, t.start, true)
		return a
	}
	a.how = "anonymous"
	a.reason = fmt.Sprintf("nobody named before %q fits", t.text)
	return a
}

// mentionAt records that e is referred to at pos.
func (d *doc) mentionAt(e *entity, pos int, salient bool) {
	d.mentions = append(d.mentions, mention{ent: e, pos: pos, para: d.para, salient: salient})
}

// names records the people a sentence names outside its quotations, and
// the roles it gives them ("Home Secretary Amber Rudd"; "Yvette Cooper,
// the chair of …"; "The Prime Minister, Theresa May,").
func (d *doc) names(toks []token) {
	for i, t := range toks {
		if t.kind == tokWord && d.lex.docNouns[t.low] && i > 0 && toks[i-1].is("a", "the", "this", "that", "its", "her", "his", "their") {
			d.docs = append(d.docs, docRef{text: d.s[toks[i-1].start:t.end], sent: d.sentID})
		}
	}
	for i := 0; i < len(toks); {
		if !toks[i].cap() {
			i++
			continue
		}
		j := i
		for j < len(toks) && (toks[j].cap() || d.particleAt(toks, j)) {
			j++
			if possessive(toks[j-1]) {
				break
			}
		}
		run := toks[i:j]
		name, cut, gender, titled := d.nameIn(run)
		if len(name) > 0 && d.personName(name, titled) {
			e := d.person(name, gender, titleOf(run[cut:], name))
			d.mentionAt(e, name[0].start, false)
			// Role words right before the name: lower-case ones too.
			lo := i
			for lo > 0 && toks[lo-1].kind == tokWord && d.lex.roleWords[toks[lo-1].low] {
				lo--
			}
			if key := d.roleKey(toks[lo : i+cut]); key != "" {
				d.bindings[key] = e
			}
			// "Name, the role …," and "The role, Name,".
			if j < len(toks) && toks[j].is(",") {
				if key := d.roleKey(d.appositive(toks, j+1)); key != "" {
					d.bindings[key] = e
				}
			}
			if i >= 2 && toks[i-1].is(",") {
				lo, _ := d.leftNP(toks, i-1)
				if key := d.roleKey(toks[lo : i-1]); key != "" && lo < i-1 {
					d.bindings[key] = e
				}
			}
		}
		i = j
	}
}

// appositive returns the words from i to the next comma or the end when
// they open with "the" or a role word: a role given to the name before.
func (d *doc) appositive(toks []token, i int) []token {
	j := i
	for j < len(toks) && toks[j].kind == tokWord && j < i+8 {
		j++
	}
	if j == i || !(toks[i].is("the") || d.lex.roleWords[toks[i].low]) {
		return nil
	}
	// Only the words up to "of": "the director general of Immigration Enforcement".
	for k := i; k < j; k++ {
		if d.lex.joiners[toks[k].low] {
			return toks[i:k]
		}
	}
	return toks[i:j]
}
