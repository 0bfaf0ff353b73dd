package discordtest_test

import (
	"strings"
	"testing"

	"github.com/onrecord/onrecord/bot/discordtest"
)

func schema(t *testing.T) *discordtest.Schema {
	t.Helper()
	s, err := discordtest.Shared()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestValidateCallbackRejectsWhatDiscordRejects proves the validator is
// not a rubber stamp: each known-bad body is refused, for the right reason.
func TestValidateCallbackRejectsWhatDiscordRejects(t *testing.T) {
	field := func(name, value string) string {
		return `{"name":` + quote(name) + `,"value":` + quote(value) + `}`
	}
	msg := func(content, embeds string) string {
		return `{"type":4,"data":{"content":` + quote(content) + `,"embeds":[` + embeds + `],"allowed_mentions":{"parse":[]}}}`
	}
	tests := []struct {
		name string
		body string
		want string // in the error; "" means valid
	}{
		{"plain message", msg("hello", ""), ""},
		{"embed with a field", msg("", `{"title":"t","fields":[`+field("a", "b")+`]}`), ""},
		{"autocomplete", `{"type":8,"data":{"choices":[{"name":"Amber Rudd","value":"p-amber-rudd"}]}}`, ""},
		{"pong", `{"type":1}`, ""},
		{"unknown type", `{"type":42}`, "schema"},
		{"content too long", msg(strings.Repeat("x", 2001), ""), "schema"},
		{"title too long", msg("", `{"title":"`+strings.Repeat("x", 257)+`"}`), "schema"},
		{"field value too long", msg("", `{"title":"t","fields":[`+field("a", strings.Repeat("x", 1025))+`]}`), "schema"},
		{"field without value", msg("", `{"title":"t","fields":[{"name":"a"}]}`), "schema"},
		{"empty field value", msg("", `{"title":"t","fields":[`+field("a", "")+`]}`), "empty name or value"},
		{"colour out of range", msg("", `{"title":"t","color":16777216}`), "schema"},
		{"eleven embeds", msg("", strings.Repeat(`{"title":"t"},`, 10)+`{"title":"t"}`), "schema"},
		{"over 6000 across embeds", msg("", strings.Repeat(`{"description":"`+strings.Repeat("x", 4000)+`"},`, 1)+`{"description":"`+strings.Repeat("y", 2001)+`"}`), "6000"},
		{"emoji count as two units", msg(strings.Repeat("🙂", 1001), ""), "limit is 2000"},
		{"mentions not suppressed", `{"type":4,"data":{"content":"hi"}}`, "allowed_mentions"},
		{"empty message", `{"type":4,"data":{"allowed_mentions":{"parse":[]}}}`, "empty message"},
		{"26 choices", `{"type":8,"data":{"choices":[` + strings.Repeat(`{"name":"a","value":"a"},`, 25) + `{"name":"a","value":"a"}]}}`, "schema"},
		{"not JSON", `{"type":4,`, "not JSON"},
	}
	s := schema(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := s.ValidateCallback([]byte(tc.body))
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("valid body refused: %v", err)
			case tc.want != "" && err == nil:
				t.Fatal("invalid body accepted")
			case tc.want != "" && !strings.Contains(err.Error(), tc.want):
				t.Fatalf("refused for the wrong reason: %v (want %q)", err, tc.want)
			}
		})
	}
}

func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"', '\\':
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	b.WriteByte('"')
	return b.String()
}
