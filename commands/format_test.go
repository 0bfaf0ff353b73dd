package commands_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/onrecord/onrecord/commands"
)

func TestEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain words", "plain words"},
		{"**bold** _it_ ~~s~~ `c` ||sp||", `\*\*bold\*\* \_it\_ \~\~s\~\~ \` + "`" + `c\` + "`" + ` \|\|sp\|\|`},
		{"@everyone and @here", "@\u200beveryone and @\u200bhere"},
		{"<@123> <#456> <:e:789>", `\<@` + "\u200b" + `123> \<#456> \<:e:789>`},
		{"[x](https://e.example)", `\[x\](https://e.example)`},
		{"> quote\n# head\n- item", "\\> quote\n\\# head\n\\- item"},
		{"a - b > c # d", "a - b > c # d"},
		{"back\\slash", `back\\slash`},
		{"evil\u202etxt\u202c", "eviltxt"},
		{"ctrl\x00char", "ctrl char"},
		{"שלום", "\u2068שלום\u2069"},
		{"bad \xff utf8", "bad \uFFFD utf8"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := commands.Escape(tc.in); got != tc.want {
				t.Fatalf("Escape(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestUnitsCountsUTF16(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{{"", 0}, {"abc", 3}, {"é", 1}, {"🙂", 2}, {"👨‍👩‍👧", 8}, {"中文", 2}}
	for _, tc := range tests {
		if got := commands.Units(tc.in); got != tc.want {
			t.Errorf("Units(%q) = %d, want %d", tc.in, got, tc.want)
		}
	}
}

func TestEscapeFitCutsAtWords(t *testing.T) {
	got := commands.EscapeFit("the quick brown fox jumps over the lazy dog", 20)
	if got != "the quick brown fox…" {
		t.Fatalf("got %q", got)
	}
	if got := commands.EscapeFit("short", 20); got != "short" {
		t.Fatalf("short text changed: %q", got)
	}
}

// checkFit asserts the properties every cut text must have.
func checkFit(t *testing.T, in, out string, limit int) {
	t.Helper()
	if n := commands.Units(out); n > limit {
		t.Fatalf("%d units, limit %d: %q", n, limit, out)
	}
	if !utf8.ValidString(out) {
		t.Fatalf("invalid UTF-8: %q", out)
	}
	stripped := strings.TrimSuffix(strings.TrimSuffix(out, "\u2069"), "…")
	trail := len(stripped) - len(strings.TrimRight(stripped, "\\"))
	if strings.HasSuffix(out, "…") && trail%2 == 1 {
		t.Fatalf("dangling escape before the ellipsis: %q", out)
	}
	if limit >= 1 && strings.TrimSpace(in) != "" && strings.TrimFunc(in, func(r rune) bool {
		// Blank: spaces, control characters, and the bidirectional controls Escape drops.
		return r < ' ' || r == ' ' || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) || r == 0x200e || r == 0x200f || r == 0x061c
	}) != "" && out == "" {
		t.Fatalf("non-blank %q became empty at limit %d", in, limit)
	}
}

func FuzzEscapeFit(f *testing.F) {
	for _, s := range []string{"", "hello world", hostile, strings.Repeat("🙂", 50), strings.Repeat("\\", 30), "שלום עולם hello", "a\u0301\u0301\u0301"} {
		f.Add(s, 10)
		f.Add(s, 1)
		f.Add(s, 1024)
	}
	f.Fuzz(func(t *testing.T, s string, limit int) {
		if limit < 0 || limit > 5000 {
			return
		}
		checkFit(t, s, commands.EscapeFit(s, limit), limit)
		esc := commands.Escape(s)
		checkFit(t, esc, commands.Fit(esc, limit), limit)
		checkFit(t, s, commands.Quote(s, max(limit, 3)), max(limit, 3))
	})
}
