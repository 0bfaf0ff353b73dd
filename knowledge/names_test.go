package knowledge_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/onrecord/onrecord/knowledge"
)

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Amber Rudd", "amber rudd"},
		{"  AMBER   rudd. ", "amber rudd"},
		{"Ámber Rüdd", "amber rudd"},
		{"ＡＭＢＥＲ", "amber"},
		{"O'Brien", "obrien"},
		{"O’Brien", "obrien"},
		{"Smith-Jones", "smith jones"},
		{"Straße", "strasse"},
		{"Søren Łukasz", "soren lukasz"},
		{"Ms. Rudd", "ms rudd"},
		{"@everyone", "everyone"},
		{"'; DROP TABLE x; --", "drop table x"},
		{"🙂", ""},
		{"زينب", "زينب"},
		{"bad\xffutf8", "badutf8"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := knowledge.Normalize(tc.in); got != tc.want {
				t.Fatalf("Normalize(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestNameTokens(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Sir Nicholas Soames", []string{"nicholas", "soames"}},
		{"the Home Secretary", []string{"home", "secretary"}},
		{"Ms Rudd", []string{"rudd"}},
		{"The Rt Hon Amber Rudd MP", []string{"amber", "rudd"}},
		{"Sir", []string{"sir"}},
		{"Lady", []string{"lady"}},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := knowledge.NameTokens(tc.in); !slices.Equal(got, tc.want) {
				t.Fatalf("NameTokens(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
	if s := knowledge.Surname("Sir Nicholas Soames"); s != "soames" {
		t.Fatalf("Surname = %q", s)
	}
}

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b string
		max  int
		want int
	}{
		{"rudd", "rudd", 2, 0},
		{"rud", "rudd", 2, 1},
		{"ruud", "rudd", 2, 1},
		{"rdud", "rudd", 2, 1}, // adjacent transposition
		{"abbot", "abbott", 2, 1},
		{"nicolas", "nicholas", 2, 1},
		{"soams", "soames", 2, 1},
		{"jane", "amber", 1, 2}, // beyond max: max+1
		{"smith", "rudd", 2, 3},
		{"ñandú", "nandu", 2, 2},
	}
	for _, tc := range tests {
		t.Run(tc.a+"/"+tc.b, func(t *testing.T) {
			if got := knowledge.EditDistance(tc.a, tc.b, tc.max); got != tc.want {
				t.Fatalf("EditDistance(%q, %q, %d) = %d, want %d", tc.a, tc.b, tc.max, got, tc.want)
			}
		})
	}
}

// TestDeletesFindTypos proves the symmetric-delete property the typo index
// relies on: words within the allowed distance share a variant.
func TestDeletesFindTypos(t *testing.T) {
	pairs := [][2]string{{"indd", "ind"}, {"rud", "rudd"}, {"abbot", "abbott"}, {"nicolas", "nicholas"}, {"lewsi", "lewis"}, {"soams", "soames"}, {"davis", "davies"}}
	for _, p := range pairs {
		t.Run(p[0], func(t *testing.T) {
			typed := knowledge.Deletes(p[0], knowledge.MaxTypos(len([]rune(p[0]))))
			stored := knowledge.Deletes(p[1], knowledge.MaxTypos(len([]rune(p[1]))))
			shared := false
			for _, v := range typed {
				if slices.Contains(stored, v) {
					shared = true
				}
			}
			if !shared {
				t.Fatalf("%q and %q share no deletion variant", p[0], p[1])
			}
		})
	}
	if n := len(knowledge.Deletes("nicholas", 2)); n > 40 {
		t.Fatalf("%d variants for an 8-letter word: the index would be too large", n)
	}
}

func TestResolve(t *testing.T) {
	cands := []knowledge.Candidate{
		{PersonID: "p-amber-rudd", Name: "Amber Rudd", Forms: []string{"Amber Rudd", "Rudd", "Ms Rudd", "the Home Secretary", "Home Secretary"}, Prominence: 20},
		{PersonID: "p-diane-abbott", Name: "Diane Abbott", Forms: []string{"Diane Abbott", "shadow home secretary", "Shadow Home Secretary"}, Prominence: 5},
		{PersonID: "p-jane-rudd", Name: "Jane Rudd", Forms: []string{"Jane Rudd"}, Prominence: 1},
		{PersonID: "p-nicholas-soames", Name: "Sir Nicholas Soames", Forms: []string{"Sir Nicholas Soames", "Nicholas Soames"}, Prominence: 3},
	}
	tests := []struct {
		query string
		best  []string
		tier  knowledge.MatchTier
	}{
		{"Amber Rudd", []string{"p-amber-rudd"}, knowledge.TierExact},
		{"Rudd", []string{"p-amber-rudd", "p-jane-rudd"}, knowledge.TierExact}, // surname: equal, prominence orders
		{"home secretary", []string{"p-amber-rudd"}, knowledge.TierExact},
		{"home sec", []string{"p-amber-rudd", "p-diane-abbott"}, knowledge.TierToken},
		{"Nick Soames", []string{"p-nicholas-soames"}, knowledge.TierToken},
		{"Amber Rud", []string{"p-amber-rudd"}, knowledge.TierToken},
		{"Jane Rudd", []string{"p-jane-rudd"}, knowledge.TierExact},
		{"Jnae Rudd", []string{"p-jane-rudd"}, knowledge.TierFuzzy},
		{"Diane Abott", []string{"p-diane-abbott"}, knowledge.TierFuzzy},
		{"Theresa May", nil, 0},
		{"", nil, 0},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			res := knowledge.Resolve(tc.query, cands)
			var got []string
			for _, m := range res.Best {
				got = append(got, m.PersonID)
				if m.Tier != tc.tier {
					t.Errorf("%s matched at tier %d, want %d", m.PersonID, m.Tier, tc.tier)
				}
			}
			if strings.Join(got, ",") != strings.Join(tc.best, ",") {
				t.Fatalf("best %v, want %v", got, tc.best)
			}
		})
	}
}

func FuzzResolve(f *testing.F) {
	for _, s := range []string{"Amber Rudd", "rudd", "Sir", "the", "ﬃ", "a\u0301", strings.Repeat("x ", 100)} {
		f.Add(s)
	}
	cands := []knowledge.Candidate{{PersonID: "p-a", Name: "Amber Rudd", Forms: []string{"Amber Rudd", "the Home Secretary"}}}
	f.Fuzz(func(t *testing.T, q string) {
		res := knowledge.Resolve(q, cands)
		if len(res.Best) > 1 {
			t.Fatalf("one candidate, %d best", len(res.Best))
		}
		_ = knowledge.NameKey(q)
	})
}
