package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// A quote is one top-level quotation in a paragraph: the marks, the words
// between them, and whether the paragraph ends before it closes.
type quote struct {
	open, close int // byte offsets of the opening mark and of the closing mark (close = end of paragraph when unclosed)
	start, end  int // the quoted words, trimmed of spaces and a closing comma
	closeLen    int // bytes of the closing mark (0 when unclosed)
	unclosed    bool
}

// tokKind is what a token is.
type tokKind int

const (
	tokWord tokKind = iota
	tokPunct
	tokQuote
)

// A token is a word, a punctuation mark, or a whole quotation.
type token struct {
	kind       tokKind
	text       string // the word or mark as written
	low        string // lower-cased, apostrophes straightened
	start, end int
	quote      int // index into doc.quotes for tokQuote
}

func (t token) cap() bool {
	if t.kind != tokWord {
		return false
	}
	r, _ := utf8.DecodeRuneInString(t.text)
	return unicode.IsUpper(r)
}

func (t token) is(words ...string) bool {
	if t.kind == tokQuote {
		return false
	}
	for _, w := range words {
		if t.low == w {
			return true
		}
	}
	return false
}

// isSpace reports whether r separates words.
func isSpace(r rune) bool { return unicode.IsSpace(r) }

// runeBefore returns the rune before byte offset i of s, or 0 at the start.
func runeBefore(s string, i int) rune {
	if i <= 0 {
		return 0
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return r
}

// runeAt returns the rune at byte offset i of s and its size, or 0 at the end.
func runeAt(s string, i int) (rune, int) {
	if i >= len(s) {
		return 0, 0
	}
	return utf8.DecodeRuneInString(s[i:])
}

// canOpen reports whether a mark at i may open a quotation: it follows a
// space, the start, or an opening bracket or dash, and a word follows it.
func canOpen(s string, i, size int, single bool) bool {
	prev := runeBefore(s, i)
	next, _ := runeAt(s, i+size)
	if next == 0 || isSpace(next) {
		return false
	}
	if prev != 0 && !isSpace(prev) && !strings.ContainsRune("([{—–-:/", prev) {
		return false
	}
	if single {
		// 'tis and '90s aside, a single mark opens before a letter or digit.
		return unicode.IsLetter(next) || unicode.IsDigit(next) || next == '.'
	}
	return true
}

// canCloseSingle reports whether a single mark at i closes a quotation
// rather than being an apostrophe: a word or punctuation precedes it and no
// letter follows it.
func canCloseSingle(s string, i, size int) bool {
	prev := runeBefore(s, i)
	next, _ := runeAt(s, i+size)
	if prev == 0 || isSpace(prev) {
		return false
	}
	return !unicode.IsLetter(next) && !unicode.IsDigit(next)
}

// findQuotes returns the top-level quotations of paragraph s[ps:pe].
// Double marks nest single ones and single marks nest double ones; a
// quotation the paragraph leaves open runs to its end.
func findQuotes(s string, ps, pe int) []quote {
	var out []quote
	for i := ps; i < pe; {
		r, size := utf8.DecodeRuneInString(s[i:pe])
		single := r == '\'' || r == '‘'
		double := r == '"' || r == '“' || r == '«'
		if (!single && !double) || !canOpen(s[:pe], i, size, single) {
			i += size
			continue
		}
		q := quote{open: i, close: pe, unclosed: true}
		j := i + size
		for j < pe {
			c, cs := utf8.DecodeRuneInString(s[j:pe])
			closes := false
			switch {
			case double && (c == '"' || c == '”' || (r == '«' && c == '»')):
				closes = true
			case single && (c == '’' || c == '\'') && canCloseSingle(s[:pe], j, cs):
				closes = true
			}
			if closes {
				q.close, q.closeLen, q.unclosed = j, cs, false
				break
			}
			j += cs
		}
		q.start, q.end = trimQuote(s, i+size, q.close)
		if q.end > q.start {
			out = append(out, q)
		}
		i = q.close + q.closeLen
		if q.unclosed {
			break
		}
	}
	return out
}

// trimQuote returns the span of the words of a quotation between a and b:
// spaces trimmed, and a final comma (which stands for the sentence's full
// stop) dropped.
func trimQuote(s string, a, b int) (int, int) {
	for a < b {
		r, n := utf8.DecodeRuneInString(s[a:b])
		if !isSpace(r) {
			break
		}
		a += n
	}
	for b > a {
		r, n := utf8.DecodeLastRuneInString(s[a:b])
		if !isSpace(r) && r != ',' {
			break
		}
		b -= n
	}
	return a, b
}

// paragraphs returns the byte spans of the non-blank lines of s.
func paragraphs(s string) [][2]int {
	var out [][2]int
	start := 0
	for start <= len(s) {
		end := strings.IndexByte(s[start:], '\n')
		if end < 0 {
			end = len(s)
		} else {
			end += start
		}
		a, b := start, end
		for a < b {
			r, n := utf8.DecodeRuneInString(s[a:b])
			if !isSpace(r) && r != '•' && r != '*' && r != '·' {
				break
			}
			a += n
		}
		for b > a {
			r, n := utf8.DecodeLastRuneInString(s[a:b])
			if !isSpace(r) {
				break
			}
			b -= n
		}
		if b > a {
			out = append(out, [2]int{a, b})
		}
		start = end + 1
	}
	return out
}

// isWordRune reports whether r continues a word.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// tokenize splits s[a:b] into words and punctuation, each quotation in qs
// (which lie inside it, in order) becoming one token.
func tokenize(s string, a, b int, qs []quote, first int) []token {
	var out []token
	qi := 0
	for i := a; i < b; {
		if qi < len(qs) && i >= qs[qi].open {
			q := qs[qi]
			out = append(out, token{kind: tokQuote, start: q.open, end: min(q.close+q.closeLen, b), quote: first + qi})
			i = max(i, q.close+q.closeLen)
			qi++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:b])
		switch {
		case isSpace(r):
			i += n
		case isWordRune(r):
			j := i + n
			for j < b {
				c, cn := utf8.DecodeRuneInString(s[j:b])
				if isWordRune(c) {
					j += cn
					continue
				}
				// Inside a word: an apostrophe, a hyphen, a digit group's
				// comma or point, the point of "U.S.".
				if strings.ContainsRune("'’-‐", c) || ((c == ',' || c == '.') && unicode.IsDigit(runeBefore(s, j))) ||
					(c == '.' && unicode.IsUpper(runeBefore(s, j)) && j-i <= 4) {
					d, _ := runeAt(s[:b], j+cn)
					digits := unicode.IsDigit(d) && unicode.IsDigit(runeBefore(s, j))
					if isWordRune(d) && (c != ',' && c != '.' || digits || c == '.' && unicode.IsUpper(d)) {
						j += cn
						continue
					}
				}
				break
			}
			if j < b && s[j] == '.' && strings.Contains(s[i:j], ".") && unicode.IsUpper(runeBefore(s, j)) {
				j++ // the last point of "U.S."
			}
			w := s[i:j]
			if n := len(out); n > 0 && out[n-1].kind == tokWord && (out[n-1].text == "No" || out[n-1].text == "Number") && unicode.IsDigit(r) {
				// "No 10", "Number 10": one name.
				out[n-1].end, out[n-1].text = j, s[out[n-1].start:j]
				out[n-1].low = lowWord(out[n-1].text)
				i = j
				continue
			}
			out = append(out, token{kind: tokWord, text: w, low: lowWord(w), start: i, end: j})
			i = j
		default:
			out = append(out, token{kind: tokPunct, text: s[i : i+n], low: s[i : i+n], start: i, end: i + n})
			i += n
		}
	}
	return out
}

// lowWord lower-cases w and straightens its apostrophes.
func lowWord(w string) string {
	return strings.ReplaceAll(strings.ToLower(w), "’", "'")
}

// abbreviations end with a full stop that does not end a sentence.
func isAbbrev(w string) bool {
	switch strings.ToLower(w) {
	case "mr", "mrs", "ms", "dr", "st", "no", "prof", "rev", "gen", "sen", "rep", "gov", "lt", "col",
		"sgt", "capt", "cllr", "hon", "jr", "sr", "vs", "etc", "inc", "ltd", "co", "corp", "e.g", "i.e":
		return true
	}
	return strings.Contains(w, ".") || utf8.RuneCountInString(w) == 1 && unicode.IsUpper([]rune(w)[0])
}

// sentences splits a paragraph's tokens into sentences: after a full
// stop, question or exclamation mark outside quotations, and after a
// quotation whose words end a sentence when a capital or another
// quotation follows.
func sentences(toks []token, s string, qs []quote, first int) [][]token {
	var out [][]token
	start := 0
	for i, t := range toks {
		end := false
		switch t.kind {
		case tokPunct:
			if strings.ContainsAny(t.text, ".!?") && i+1 < len(toks) {
				if t.text == "." && i > 0 && toks[i-1].kind == tokWord && isAbbrev(toks[i-1].text) {
					break
				}
				n := toks[i+1]
				end = n.kind == tokQuote || n.cap() || (n.kind == tokWord && unicode.IsDigit([]rune(n.text)[0]))
			}
		case tokQuote:
			q := qs[t.quote-first]
			if i+1 < len(toks) && !q.unclosed {
				last, _ := utf8.DecodeLastRuneInString(s[q.start:q.end])
				n := toks[i+1]
				end = strings.ContainsRune(".!?", last) && (n.kind == tokQuote || n.cap())
			}
		}
		if end {
			out = append(out, toks[start:i+1])
			start = i + 1
		}
	}
	if start < len(toks) {
		out = append(out, toks[start:])
	}
	return out
}
