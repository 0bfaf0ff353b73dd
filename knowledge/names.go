package knowledge

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Normalize returns the form of s that names are compared in: Unicode
// compatibility-decomposed, diacritics dropped, case-folded, apostrophes
// removed ("O'Brien" is "obrien"), every other run of punctuation, symbols
// and spaces turned into one space, and trimmed. Invalid UTF-8 is dropped.
func Normalize(s string) string {
	s = norm.NFKD.String(strings.ToValidUTF8(s, ""))
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r), r == '\'', r == '\u2019', r == '\u2018', r == '\u02bc', r == '`':
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteString(foldRune(r))
		default:
			space = true
		}
	}
	return b.String()
}

// foldRune lower-cases r, spelling out the letters that neither
// decomposition nor lower-casing maps to plain Latin.
func foldRune(r rune) string {
	switch r {
	case 'ß', 'ẞ':
		return "ss"
	case 'ø', 'Ø':
		return "o"
	case 'đ', 'Đ', 'ð', 'Ð':
		return "d"
	case 'ł', 'Ł':
		return "l"
	case 'æ', 'Æ':
		return "ae"
	case 'œ', 'Œ':
		return "oe"
	case 'þ', 'Þ':
		return "th"
	case 'ı':
		return "i"
	case 'ς':
		return "σ"
	}
	return string(unicode.ToLower(r))
}

// isHonorific reports whether a normalised token is a title or post-nominal
// that people add to or leave off a name ("Ms", "Sir", "MP").
func isHonorific(tok string) bool {
	switch tok {
	case "mr", "mrs", "ms", "miss", "mx", "dr", "sir", "dame", "lord", "lady",
		"baroness", "baron", "rt", "hon", "honourable", "honorable", "right",
		"mp", "msp", "qc", "kc", "obe", "mbe", "cbe", "prof", "professor",
		"rev", "cllr", "councillor":
		return true
	}
	return false
}

// NameTokens returns the normalised tokens of a name as they are matched:
// Normalize, then a leading "the" and honorifics dropped ("Sir Nicholas
// Soames" gives nicholas, soames; "the home secretary" gives home,
// secretary). When dropping would leave nothing, the tokens are kept.
func NameTokens(name string) []string {
	all := strings.Fields(Normalize(name))
	out := make([]string, 0, len(all))
	for i, t := range all {
		if (i == 0 && t == "the") || isHonorific(t) {
			continue
		}
		out = append(out, t)
	}
	if len(out) == 0 {
		return all
	}
	return out
}

// NameKey returns the key under which a name is looked up exactly: its
// NameTokens joined by single spaces.
func NameKey(name string) string { return strings.Join(NameTokens(name), " ") }

// Surname returns the normalised surname of a person's display name: the
// last of its NameTokens, or "" for an empty name.
func Surname(name string) string {
	t := NameTokens(name)
	if len(t) == 0 {
		return ""
	}
	return t[len(t)-1]
}

// Nicknames returns the full given names a normalised nickname stands for
// ("nick" gives nicholas), or nil.
func Nicknames(tok string) []string {
	switch tok {
	case "nick", "nicky", "nico":
		return []string{"nicholas", "nicola"}
	case "phil":
		return []string{"philip", "phillip"}
	case "tom", "tommy":
		return []string{"thomas"}
	case "bill", "will", "billy", "willy":
		return []string{"william"}
	case "bob", "rob", "robbie", "bobby":
		return []string{"robert"}
	case "jim", "jimmy", "jamie":
		return []string{"james"}
	case "dave", "davy":
		return []string{"david"}
	case "mike", "mick":
		return []string{"michael"}
	case "liz", "lizzie", "beth", "betty":
		return []string{"elizabeth"}
	case "kate", "katie", "cathy", "kathy":
		return []string{"katherine", "catherine", "kathryn"}
	case "andy", "drew":
		return []string{"andrew"}
	case "tony":
		return []string{"anthony", "antony"}
	case "chris":
		return []string{"christopher", "christine", "christina"}
	case "dan", "danny":
		return []string{"daniel"}
	case "ed", "eddie", "ted", "ned":
		return []string{"edward", "edwin", "edmund"}
	case "sam":
		return []string{"samuel", "samantha"}
	case "ben":
		return []string{"benjamin"}
	case "alex":
		return []string{"alexander", "alexandra"}
	case "matt":
		return []string{"matthew"}
	case "steve":
		return []string{"stephen", "steven"}
	case "jon", "jonny", "johnny":
		return []string{"jonathan", "john"}
	case "jo":
		return []string{"joanna", "joanne", "josephine"}
	case "di":
		return []string{"diane", "diana"}
	case "gez", "gerry":
		return []string{"gerald", "gerard"}
	case "rich", "rick", "dick":
		return []string{"richard"}
	case "jeff":
		return []string{"jeffrey", "geoffrey"}
	case "harry":
		return []string{"harold", "henry"}
	case "theo":
		return []string{"theodore"}
	case "pat":
		return []string{"patrick", "patricia"}
	case "sue":
		return []string{"susan", "suzanne"}
	case "meg", "maggie":
		return []string{"margaret"}
	}
	return nil
}

// MaxTypos returns how many edits a typed token of n letters may be from a
// name token and still match: none below 3 letters, one up to 6, two from 7.
func MaxTypos(n int) int {
	switch {
	case n < 3:
		return 0
	case n < 7:
		return 1
	}
	return 2
}

// Deletes returns the token itself and every distinct string made by
// deleting up to depth runes from it (the symmetric-delete neighbourhood).
// Two tokens within edit distance d of each other share an element of their
// depth-d neighbourhoods, so an index of these finds typo candidates
// without scanning every name.
func Deletes(tok string, depth int) []string {
	seen := map[string]struct{}{tok: {}}
	out := []string{tok}
	level := []string{tok}
	for d := 0; d < depth; d++ {
		var next []string
		for _, w := range level {
			rs := []rune(w)
			if len(rs) <= 1 {
				continue
			}
			for i := range rs {
				v := string(rs[:i]) + string(rs[i+1:])
				if _, ok := seen[v]; ok {
					continue
				}
				seen[v] = struct{}{}
				out = append(out, v)
				next = append(next, v)
			}
		}
		level = next
	}
	return out
}

// EditDistance returns the optimal-string-alignment distance between a and
// b (insertions, deletions, substitutions and adjacent transpositions, over
// runes), or max+1 as soon as it is known to exceed max.
func EditDistance(a, b string, max int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > max || -d > max {
		return max + 1
	}
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > max {
			return max + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	if prev[len(rb)] > max {
		return max + 1
	}
	return prev[len(rb)]
}

// runeLen is utf8.RuneCountInString, named for reading.
func runeLen(s string) int { return utf8.RuneCountInString(s) }

// SearchTerms returns the words of a free-text query as search matches
// them: normalised, common English function words dropped (unless nothing
// else is left), at most 12 words.
func SearchTerms(text string) []string {
	// The search index splits words at apostrophes ("wasn't" is wasn, t):
	// so do the terms.
	text = strings.NewReplacer("'", " ", "\u2019", " ", "\u2018", " ", "\u02bc", " ").Replace(text)
	all := strings.Fields(Normalize(text))
	var out []string
	for _, w := range all {
		if !isStopWord(w) {
			out = append(out, w)
		}
	}
	if len(out) == 0 {
		out = all
	}
	return out[:min(len(out), 12)]
}

func isStopWord(w string) bool {
	switch w {
	case "the", "a", "an", "of", "and", "or", "to", "in", "on", "for", "by", "is", "was", "it", "at", "as", "be", "with", "that", "this":
		return true
	}
	return false
}
