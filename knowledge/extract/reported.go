package extract

import "strings"

// reported proposes the reported speech of a sentence without quotations:
// `X said (that) …`, `X told MPs that …`, `X denied …`, `with X saying …`,
// `according to X, …` and `…, according to X`. Only a speaker the text
// establishes makes a proposal: reported words with nobody behind them are
// not a claim.
func (d *doc) reported(toks []token, subj *attribution) {
	end := len(toks)
	for end > 0 && toks[end-1].kind == tokPunct {
		end--
	}
	for c := 0; c < end; c++ {
		t := toks[c]
		if t.kind != tokWord {
			continue
		}
		if a, hi, ok := d.accordingTo(toks[:end], c); ok {
			if a == nil || a.none() {
				return
			}
			comma := hi
			for comma < end && comma < hi+8 && !toks[comma].is(",") && toks[comma].kind == tokWord {
				comma++ // "According to a poll published by the local paper, …"
			}
			switch {
			case c == 0 && comma < end && toks[comma].is(","):
				d.clause(toks, comma+1, end, a) // "According to X, …"
			case c >= 2 && toks[c-1].is(","):
				d.clause(toks, 0, c-1, a) // "…, according to X."
			}
			return
		}
		var a *attribution
		if t.is("shot", "hit", "fired", "hits", "fires", "asked", "asks") {
			continue // "hits back" introduces words, never a clause: "minister hits back at Westminster"
		}
		switch kind := d.cue(toks, c); kind {
		case speechCue, docCue:
			a = d.leftSubject(toks, c, subj)
			if a != nil && kind == docCue && a.document == "" {
				a = nil
			}
		case participleCue:
			if lo, hi := d.leftNP(toks, c); lo < hi && !toks[c-1].is(",") {
				a = d.classify(toks[lo:hi])
			} else if c > 0 && toks[c-1].is(",") && subj != nil {
				cp := *subj // "He declined to do so, saying …": the sentence's subject
				a = &cp
			}
		default:
			continue
		}
		if a == nil || a.none() {
			continue
		}
		a = d.withCue(a, toks, c)
		start := c
		if !t.is("denied", "denies", "denying") {
			_, _, start = d.details(toks, c)
			for start < end && toks[start].is("afterwards", "yesterday", "today", "later", "again", "repeatedly", "previously", "also", "publicly", "privately", "out") {
				start++
			}
			if k := d.objectThat(toks, start, end); k > 0 {
				start = k // "warned the UK that …", "assured MPs that …"
			}
			switch {
			case start < end && toks[start].is("that"):
				start++
			case t.is("posted", "posts", "tweeted", "tweets", "wrote", "writes", "shared", "texted", "messaged", "chanted", "shouted", "sang", "answered", "announced", "announces", "published"):
				continue // their object is a thing ("posted a video statement"), unless "that" says a clause follows
			}
		}
		d.clause(toks, start, end, a)
		return
	}
}

// clause proposes toks[i:j] as the reported words of a, when they read as
// a clause of at least three words.
func (d *doc) clause(toks []token, i, j int, a *attribution) {
	for j > i && toks[j-1].kind == tokPunct {
		j--
	}
	if j-i < 3 || toks[i].kind != tokWord || toks[i].is("to", "about", "of", "by", "for", "with", "on", "in", "at", "from", "as", "and", "but", "or", "goodbye", "hello", "sorry", "yes", "no", "so",
		"did", "does", "do", "was", "were", "is", "are", "had", "has", "have", "would", "will", "could", "should", "can", "may", "might", "must", "not") {
		// Not a clause of its own: "the targets the Home Office said did not exist".
		return
	}
	verb := false
	for k := i; k < j; k++ {
		if toks[k].kind == tokQuote && !d.isLabel(toks, k) {
			return
		}
		verb = verb || d.verbish(toks[k])
	}
	if !verb {
		return // "Documents … tell a different story": a thing, not a statement
	}
	d.propose(Reported, toks[i].start, toks[j-1].end, a)
}

// objectThat returns the index of "that" after a short object at i
// ("the UK that"), or 0 when there is none.
func (d *doc) objectThat(toks []token, i, end int) int {
	for k := i; k < end && k < i+6; k++ {
		t := toks[k]
		if t.is("that") {
			if k == i {
				return 0
			}
			return k
		}
		if t.kind != tokWord || !(d.npish(t) || d.lex.objects[t.low] || d.lex.prepositions[t.low]) {
			return 0 // "warned the UK that", "told the hearing in Birmingham that"
		}
	}
	return 0
}

// verbish reports whether t looks like a verb a clause needs: an
// auxiliary, a past form, or a common irregular verb.
func (d *doc) verbish(t token) bool {
	if t.kind != tokWord || t.cap() {
		return false
	}
	return d.lex.verbs[t.low] || d.lex.passive[t.low] || d.lex.cues[t.low] ||
		(strings.HasSuffix(t.low, "ed") && len(t.low) > 4) || (strings.HasSuffix(t.low, "n't") && len(t.low) > 3)
}
