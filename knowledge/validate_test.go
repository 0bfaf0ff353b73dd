package knowledge_test

import (
	"strings"
	"testing"

	"github.com/onrecord/onrecord/knowledge"
)

func TestRecordValidation(t *testing.T) {
	ok := func() knowledge.Claim {
		return knowledge.Claim{Record: knowledge.Record{ID: "c-x", Origin: knowledge.OriginOwner}, Speaker: "p-a",
			Attribution: knowledge.AttrStated, Words: "we have no targets", Form: knowledge.FormDirect, Excerpt: "x-a"}
	}
	tests := []struct {
		name   string
		mutate func(c *knowledge.Claim)
		field  string // "" means valid
	}{
		{"valid", func(c *knowledge.Claim) {}, ""},
		{"empty words", func(c *knowledge.Claim) { c.Words = "  " }, "words"},
		{"words too long", func(c *knowledge.Claim) { c.Words = strings.Repeat("x", knowledge.MaxWordsLen+1) }, "words"},
		{"control character", func(c *knowledge.Claim) { c.Words = "a\x00b" }, "words"},
		{"invalid utf8", func(c *knowledge.Claim) { c.Words = "a\xffb" }, "words"},
		{"bad id", func(c *knowledge.Claim) { c.ID = "C-X" }, "id"},
		{"id of another kind", func(c *knowledge.Claim) { c.ID = "p-x" }, "id"},
		{"sql in id", func(c *knowledge.Claim) { c.ID = "c-x'; drop table records; --" }, "id"},
		{"inferred without reason", func(c *knowledge.Claim) { c.Attribution = knowledge.AttrInferred }, "attribution_reason"},
		{"stated without speaker", func(c *knowledge.Claim) { c.Speaker = "" }, "speaker"},
		{"unattributed with speaker", func(c *knowledge.Claim) { c.Attribution = knowledge.AttrUnattributed }, "speaker"},
		{"speaker of wrong kind", func(c *knowledge.Claim) { c.Speaker = "o-home-office" }, "speaker"},
		{"no source", func(c *knowledge.Claim) { c.Excerpt = "" }, "excerpt"},
		{"url without quote", func(c *knowledge.Claim) { c.Excerpt, c.SourceURL = "", "https://example.org/a" }, "source_quote"},
		{"javascript url", func(c *knowledge.Claim) { c.SourceURL, c.SourceQuote = "javascript:alert(1)", c.Words }, "source_url"},
		{"quote not verbatim", func(c *knowledge.Claim) {
			c.Excerpt, c.SourceURL, c.SourceQuote = "", "https://e.org", "something else"
		}, "words"},
		{"impossible date", func(c *knowledge.Claim) { c.Date = "2017-02-30" }, "date"},
		{"invented precision is fine when real", func(c *knowledge.Claim) { c.Date = "2017-06" }, ""},
		{"server record without server", func(c *knowledge.Claim) { c.Origin = knowledge.OriginModerator }, "guild"},
		{"global record claiming a server", func(c *knowledge.Claim) { c.Guild = "123" }, "origin"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := ok()
			tc.mutate(&c)
			ps := c.Validate()
			if tc.field == "" {
				if len(ps) > 0 {
					t.Fatalf("valid claim refused: %v", ps)
				}
				return
			}
			found := false
			for _, p := range ps {
				if p.Field == tc.field {
					found = true
				}
			}
			if !found {
				t.Fatalf("problems %v do not name field %q", ps, tc.field)
			}
			err := ps.Err()
			if knowledge.ErrorCode(err) != knowledge.CodeInvalid || !strings.Contains(knowledge.ErrorMessage(err), "claims[") {
				t.Fatalf("Err() = %v", err)
			}
		})
	}
}

func TestDeriveStatus(t *testing.T) {
	r := func(rs ...knowledge.Relation) []knowledge.Relation { return rs }
	tests := []struct {
		rels []knowledge.Relation
		want knowledge.Status
	}{
		{nil, knowledge.StatusUnverified},
		{r(knowledge.RelContext, knowledge.RelShowsKnowledge), knowledge.StatusUnverified},
		{r(knowledge.RelContradicts), knowledge.StatusContradicted},
		{r(knowledge.RelSupports, knowledge.RelContext), knowledge.StatusSupported},
		{r(knowledge.RelSupports, knowledge.RelContradicts), knowledge.StatusDisputed},
	}
	for _, tc := range tests {
		if got := knowledge.DeriveStatus(tc.rels); got != tc.want {
			t.Errorf("DeriveStatus(%v) = %s, want %s", tc.rels, got, tc.want)
		}
	}
}

func TestErrorMessagesAreSafe(t *testing.T) {
	internal := knowledge.Wrap(errFake("disk I/O error at /var/lib/x.db"), knowledge.CodeInternal, "detail")
	if msg := knowledge.ErrorMessage(internal); strings.Contains(msg, "disk") || strings.Contains(msg, "detail") {
		t.Fatalf("internal detail shown: %q", msg)
	}
	if msg := knowledge.ErrorMessage(errFake("raw")); strings.Contains(msg, "raw") {
		t.Fatalf("plain error shown: %q", msg)
	}
	if code := knowledge.ErrorCode(errFake("x")); code != knowledge.CodeInternal {
		t.Fatalf("plain error code %s", code)
	}
}

type errFake string

func (e errFake) Error() string { return string(e) }
