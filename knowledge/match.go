package knowledge

import (
	"cmp"
	"slices"
	"strings"
)

// Candidate is a person a store offers for a name query, with every form of
// their name that a user might type.
type Candidate struct {
	PersonID string
	Name     string // display name
	Role     string // the first current role's title, to tell people apart
	// Forms are the display name, the aliases and the titles of current
	// roles, as stored ("Ms Rudd", "the Home Secretary").
	Forms []string
	// Prominence orders lists of equally good matches; it never picks one.
	Prominence int
}

// MatchTier is how directly a name query fits a person, best first.
type MatchTier int

// The match tiers. A lower tier always beats a higher one.
const (
	// TierExact: the query is a full name or alias (titles and "the"
	// aside), or a surname typed alone.
	TierExact MatchTier = iota + 1
	// TierToken: every typed word is a word of a name form, a nickname of
	// one, or the start of one.
	TierToken
	// TierFuzzy: every typed word fits a word of a name form, some within
	// one or two typos.
	TierFuzzy
)

// NameMatch is a candidate scored against a query.
type NameMatch struct {
	Candidate
	Tier  MatchTier
	Score float64 // within a tier, higher is better
	Form  string  // the form that matched best
}

// Resolution is the answer to "who is this name?".
type Resolution struct {
	Query string // as typed
	// Best holds the people the query fits best, all equally well, most
	// prominent first: one means found, several mean ambiguous, none means
	// not on record.
	Best []NameMatch
	// Total is how many people fit equally well; it exceeds len(Best) when
	// the store capped the list.
	Total int
	// More says that Total is a lower bound: the store stopped counting.
	More bool
	// Suggestions holds the closest names when Best is empty.
	Suggestions []NameMatch
}

// Found returns the one person the query names, and whether there is exactly one.
func (r Resolution) Found() (NameMatch, bool) {
	if len(r.Best) == 1 && r.Total <= 1 {
		return r.Best[0], true
	}
	return NameMatch{}, false
}

// Per-word scores. Exact words beat nicknames beat prefixes beat typos.
const (
	scoreExact    = 4
	scoreNickname = 3
	scorePrefix   = 2
	scoreTypo1    = 1
	scoreTypo2    = 0.5
)

// formMatch scores query tokens q against one name form's tokens f. It
// returns the tier, the summed word score, and how many of q matched.
func formMatch(q, f []string) (MatchTier, float64, int) {
	used := make([]bool, len(f))
	tier := TierExact
	total := 0.0
	matched := 0
	for i, qt := range q {
		best, bestJ := 0.0, -1
		for j, ft := range f {
			if used[j] {
				continue
			}
			s := wordScore(qt, ft, i == len(q)-1)
			if s > best {
				best, bestJ = s, j
			}
		}
		if bestJ < 0 {
			continue
		}
		used[bestJ] = true
		matched++
		total += best
		switch {
		case best < scorePrefix:
			tier = TierFuzzy
		case best < scoreExact && tier == TierExact:
			tier = TierToken
		}
	}
	if tier == TierExact && matched < len(f) {
		tier = TierToken // a first name alone is a token match, not the name
	}
	return tier, total, matched
}

// wordScore scores one typed word against one word of a name form.
func wordScore(q, f string, last bool) float64 {
	if q == f {
		return scoreExact
	}
	if slices.Contains(Nicknames(q), f) {
		return scoreNickname
	}
	if strings.HasPrefix(f, q) && (last || runeLen(q) >= 2) {
		return scorePrefix
	}
	n := runeLen(q)
	maxd := MaxTypos(n)
	if maxd == 0 || runeLen(f) < 3 {
		return 0
	}
	switch d := EditDistance(q, f, maxd); {
	case d > maxd:
	case d == 1:
		return scoreTypo1
	case d == 2:
		return scoreTypo2
	}
	// A typo in the word typed so far: "Soams" for "Soames" is a distance
	// away from the whole word but a prefix of it after one edit.
	if last && n >= 4 && runeLen(f) > n {
		if EditDistance(q, string([]rune(f)[:n]), 1) == 1 {
			return scoreTypo2
		}
	}
	return 0
}

// Resolve ranks the candidates for query and returns those that fit best.
// Exact full names and aliases come first, then word and prefix matches,
// then typo-tolerant ones; a surname typed alone fits every person with that
// surname equally. Ties are never broken by prominence: equally good
// matches are all returned, most prominent first. When nothing fits every
// typed word, Suggestions holds up to five closest names.
func Resolve(query string, cands []Candidate) Resolution {
	res := Resolution{Query: query}
	q := NameTokens(query)
	if len(q) == 0 {
		return res
	}
	key := strings.Join(q, " ")
	var full, partial []NameMatch
	for _, c := range cands {
		var best, part NameMatch
		if len(q) == 1 && Surname(c.Name) == q[0] {
			best = NameMatch{Candidate: c, Tier: TierExact, Score: scoreExact, Form: c.Name}
		}
		for _, form := range c.Forms {
			ft := NameTokens(form)
			if len(ft) == 0 {
				continue
			}
			var m NameMatch
			if strings.Join(ft, " ") == key {
				m = NameMatch{Candidate: c, Tier: TierExact, Score: float64(scoreExact * len(q)), Form: form}
			} else {
				tier, score, n := formMatch(q, ft)
				if n == 0 {
					continue
				}
				if n < len(q) {
					if score > part.Score {
						part = NameMatch{Candidate: c, Tier: TierFuzzy, Score: score, Form: form}
					}
					continue
				}
				m = NameMatch{Candidate: c, Tier: tier, Score: score, Form: form}
			}
			if better(m, best) {
				best = m
			}
		}
		switch {
		case best.Tier != 0:
			full = append(full, best)
		case part.Score > 0:
			partial = append(partial, part)
		}
	}
	if len(full) == 0 {
		slices.SortFunc(partial, compareMatch)
		res.Suggestions = partial[:min(5, len(partial))]
		return res
	}
	slices.SortFunc(full, compareMatch)
	top := full[0]
	for _, m := range full {
		if m.Tier != top.Tier || m.Score != top.Score {
			break
		}
		res.Best = append(res.Best, m)
	}
	res.Total = len(res.Best)
	return res
}

// better reports whether a is a better match than b (a zero b loses).
func better(a, b NameMatch) bool {
	if b.Tier == 0 {
		return true
	}
	if a.Tier != b.Tier {
		return a.Tier < b.Tier
	}
	return a.Score > b.Score
}

// compareMatch orders matches best first: tier, score, then prominence and
// name only to give equally good matches a stable, useful order.
func compareMatch(a, b NameMatch) int {
	if c := cmp.Compare(a.Tier, b.Tier); c != 0 {
		return c
	}
	if c := cmp.Compare(b.Score, a.Score); c != 0 {
		return c
	}
	if c := cmp.Compare(b.Prominence, a.Prominence); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Name, b.Name); c != 0 {
		return c
	}
	return cmp.Compare(a.PersonID, b.PersonID)
}

// Suggest ranks candidates for what a user has typed so far, for
// autocomplete: names whose start is what was typed first, then names
// with every typed word (the last one as a prefix), then names within a
// typo or two; within each, the more prominent first. Nothing typed lists
// the most prominent. It returns at most limit matches.
func Suggest(typed string, cands []Candidate, limit int) []NameMatch {
	q := NameTokens(typed)
	key := strings.Join(q, " ")
	var out []NameMatch
	for _, c := range cands {
		if len(q) == 0 {
			out = append(out, NameMatch{Candidate: c, Tier: TierToken, Form: c.Name})
			continue
		}
		var best NameMatch
		for _, form := range c.Forms {
			ft := NameTokens(form)
			if len(ft) == 0 {
				continue
			}
			var m NameMatch
			if strings.HasPrefix(strings.Join(ft, " "), key) {
				m = NameMatch{Candidate: c, Tier: TierExact, Score: float64(len(key)), Form: form}
			} else {
				tier, score, n := formMatch(q, ft)
				if n < len(q) {
					continue
				}
				if tier == TierExact {
					tier = TierToken
				}
				m = NameMatch{Candidate: c, Tier: tier, Score: score, Form: form}
			}
			if better(m, best) {
				best = m
			}
		}
		if best.Tier != 0 {
			out = append(out, best)
		}
	}
	slices.SortFunc(out, func(a, b NameMatch) int {
		if c := cmp.Compare(a.Tier, b.Tier); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Prominence, a.Prominence); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return cmp.Compare(a.PersonID, b.PersonID)
	})
	return out[:min(len(out), limit)]
}
