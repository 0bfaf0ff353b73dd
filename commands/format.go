package commands

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
)

// Units returns the length of s as Discord counts it against its limits.
// Discord's clients count UTF-16 code units; that count is never below the
// code-point count JSON Schema uses, so a text within Units fits both.
func Units(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// markdownSpecial reports whether r must be escaped anywhere in a line to
// be shown literally by Discord's markdown.
func markdownSpecial(r rune) bool {
	switch r {
	case '\\', '*', '_', '~', '`', '|', '[', ']', '<':
		return true
	}
	return false
}

// lineStartSpecial reports whether r starts a heading, quote or list when
// it opens a line.
func lineStartSpecial(r rune) bool {
	switch r {
	case '#', '>', '-', '+':
		return true
	}
	return false
}

// isBidiControl reports whether r is an explicit bidirectional embedding,
// override or isolate, which stored text could use to reorder what is
// shown around it.
func isBidiControl(r rune) bool {
	return (r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069') || r == '\u200e' || r == '\u200f' || r == '\u061c'
}

// isRTL reports whether r is a strong right-to-left letter.
func isRTL(r rune) bool {
	if r < 0x0590 { // below Hebrew, where the right-to-left scripts begin
		return false
	}
	return unicode.In(r, unicode.Hebrew, unicode.Arabic, unicode.Syriac, unicode.Thaana, unicode.Nko, unicode.Samaritan, unicode.Mandaic, unicode.Adlam)
}

// First strong isolate and pop directional isolate: text between them is
// laid out on its own, whatever its direction.
const fsi, pdi = "\u2068", "\u2069"

// Escape returns stored text made safe to show inside a Discord message or
// embed: markdown characters are shown literally, mentions and @everyone
// cannot form, explicit bidirectional controls are dropped and text with
// right-to-left letters is isolated so that it cannot reorder the line it
// sits in, and control characters other than newlines become spaces.
func Escape(s string) string { return EscapeFit(s, -1) }

// EscapeFit is Escape, cut to at most max units (see Units) at a word
// boundary with an ellipsis when it is longer; max < 0 means no limit. It
// never cuts inside a character or an escape, and never returns an empty
// string for non-blank input when max >= 1 (input of nothing but spaces,
// control characters and bidirectional controls is blank).
func EscapeFit(s string, max int) string {
	if plainASCII(s) && (max < 0 || len(s) <= max-1) {
		return s // nothing to escape, and it fits
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	rtl := false
	for _, r := range s {
		if isRTL(r) {
			rtl = true
			break
		}
	}
	budget := max
	if rtl && max >= 0 {
		if max < 4 {
			rtl = false // no room for isolates around a word
		} else {
			budget -= 2 // the isolates
		}
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	used := 0
	lineStart := true
	cut := false
	lastSpace := -1 // byte length of b at the last space, for word-boundary cuts
	lastSpaceUsed := 0
	for _, r := range s {
		if isBidiControl(r) {
			continue
		}
		var piece string
		switch {
		case r == '\n':
			piece = "\n"
		case r == '\r':
			continue
		case unicode.IsControl(r) || r == '\u2028' || r == '\u2029':
			piece = " "
		case markdownSpecial(r) || (lineStart && lineStartSpecial(r)):
			piece = "\\" + string(r)
		case r == '@':
			piece = "@\u200b" // a zero-width space: @everyone and @here cannot form
		default:
			piece = string(r)
		}
		if budget >= 0 && used+Units(piece) > budget-1 {
			cut = true
			if r == ' ' || r == '\n' {
				lastSpace, lastSpaceUsed = b.Len(), used // the last word is whole
			}
			break
		}
		if r == ' ' || r == '\n' {
			lastSpace, lastSpaceUsed = b.Len(), used
		}
		b.WriteString(piece)
		used += Units(piece)
		lineStart = r == '\n' || (lineStart && r == ' ')
	}
	out := b.String()
	if cut {
		// Back up to the last word boundary when it is not too far back.
		if lastSpace > 0 && used-lastSpaceUsed < 40 {
			out = out[:lastSpace]
		}
		out = trimCut(out) + "…"
		if budget < 1 {
			out = ""
		}
	}
	if rtl && out != "" {
		out = fsi + out + pdi
	}
	return out
}

// plainASCII reports whether EscapeFit would leave s as it is: printable
// ASCII with no markdown, no @, and nothing a line may not start with.
func plainASCII(s string) bool {
	lineStart := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c > 0x7e || c == '@' || markdownSpecial(rune(c)) || (lineStart && lineStartSpecial(rune(c))) {
			return false
		}
		lineStart = lineStart && c == ' '
	}
	return true
}

// Plain returns stored text made safe for the parts of an embed that show
// text without markdown (author names, footers): explicit bidirectional
// controls and control characters dropped, right-to-left text isolated.
func Plain(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	rtl := false
	for _, r := range s {
		switch {
		case isBidiControl(r):
			continue
		case unicode.IsControl(r) || r == '\u2028' || r == '\u2029':
			b.WriteByte(' ')
			continue
		case isRTL(r):
			rtl = true
		}
		b.WriteRune(r)
	}
	if rtl {
		return fsi + b.String() + pdi
	}
	return b.String()
}

// Fit cuts already-formatted text (markdown the bot wrote itself) to at
// most max units at a line or word boundary, with an ellipsis. It never
// cuts inside a character or leaves a dangling escape.
func Fit(s string, max int) string {
	if Units(s) <= max {
		return s
	}
	if max <= 0 {
		return ""
	}
	if max == 1 {
		return "…"
	}
	limit := max - 1 // the ellipsis
	open := strings.Count(s, fsi) > 0
	if open {
		limit-- // room to close an isolate the cut leaves open
	}
	var b strings.Builder
	used := 0
	for _, r := range s {
		u := utf16.RuneLen(r)
		if used+u > limit {
			break
		}
		b.WriteRune(r)
		used += u
	}
	out := b.String()
	if i := strings.LastIndexAny(out, " \n"); i > len(out)*3/4 {
		out = out[:i]
	}
	out = trimCut(out) + "…"
	if open && strings.Count(out, fsi) > strings.Count(out, pdi) {
		out += pdi
	}
	return out
}

// trimCut trims what should not end a cut text (spaces, separators,
// zero-width spaces) and never leaves an odd run of backslashes, which
// would escape the ellipsis that follows.
func trimCut(s string) string {
	for {
		s = strings.TrimRight(s, " \n\t,;:.-\u200b")
		trail := len(s) - len(strings.TrimRight(s, "\\"))
		if trail%2 == 0 {
			return s
		}
		s = s[:len(s)-1]
	}
}

// Quote returns text as a Discord block quote: each line prefixed with
// "> ", the text escaped and cut to fit max units including the prefixes.
func Quote(text string, max int) string {
	lines := strings.Split(strings.TrimSpace(text), "\n")
	var b strings.Builder
	for i, l := range lines {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString("> ")
		b.WriteString(Escape(strings.TrimSpace(l)))
	}
	return Fit(b.String(), max)
}

// thousands writes n with commas between groups of three digits: 12,800.
func thousands(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
