package db_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/onrecord/onrecord/db"
	"github.com/onrecord/onrecord/knowledge"
)

// TestFindPerson resolves every way a member types a name.
func TestFindPerson(t *testing.T) {
	s := openSeeded(t)
	tests := []struct {
		query string
		want  string // the one person found; "" for not on record
	}{
		{"Hugh Ind", "p-hugh-ind"},
		{"hugh ind", "p-hugh-ind"},
		{"HUGH IND", "p-hugh-ind"},
		{"  Hugh   Ind. ", "p-hugh-ind"},
		{"Ind", "p-hugh-ind"},
		{"Mr Ind", "p-hugh-ind"},
		{"Hugh Indd", "p-hugh-ind"},
		{"Hugh", "p-hugh-ind"},
		{"Amber Rudd", "p-amber-rudd"},
		{"Rudd", "p-amber-rudd"},
		{"rudd", "p-amber-rudd"},
		{"Ms Rudd", "p-amber-rudd"},
		{"ms. rudd", "p-amber-rudd"},
		{"Rudd, Amber", "p-amber-rudd"},
		{"Amber Rud", "p-amber-rudd"},
		{"Amber Ruud", "p-amber-rudd"},
		{"Ambre Rudd", "p-amber-rudd"},
		{"Ámber Rüdd", "p-amber-rudd"},
		{"ＡＭＢＥＲ ＲＵＤＤ", "p-amber-rudd"},
		{"the home secretary", "p-amber-rudd"},
		{"Home Secretary", "p-amber-rudd"},
		{"shadow home secretary", "p-diane-abbott"},
		{"the Shadow Home Secretary", "p-diane-abbott"},
		{"Diane Abbott", "p-diane-abbott"},
		{"Diane Abbot", "p-diane-abbott"},
		{"Abbott", "p-diane-abbott"},
		{"Sir Nicholas Soames", "p-nicholas-soames"},
		{"Nicholas Soames", "p-nicholas-soames"},
		{"Nick Soames", "p-nicholas-soames"},
		{"Soames", "p-nicholas-soames"},
		{"Sir Nicholas", "p-nicholas-soames"},
		{"Nicholas Soams", "p-nicholas-soames"},
		{"Philip Davies", "p-philip-davies"},
		{"Mr Davies", "p-philip-davies"},
		{"Phil Davies", "p-philip-davies"},
		{"Davis", "p-philip-davies"},
		{"Brandon Lewis", "p-brandon-lewis"},
		{"Lewis", "p-brandon-lewis"},
		{"Brandon Lewsi", "p-brandon-lewis"},
		{"head of immigration enforcement", "p-hugh-ind"},
		{"Boris Johnson", ""},
		{"Theresa May", ""},
		{"@everyone", ""},
		{"'; DROP TABLE records; --", ""},
		{"<@123456789012345678>", ""},
		{"زينب", ""},
		{"🙂", ""},
		{strings.Repeat("Rudd ", 1200), ""},
	}
	for _, tc := range tests {
		name := tc.query
		if len(name) > 30 {
			name = name[:30]
		}
		t.Run(name, func(t *testing.T) {
			res, err := s.FindPerson(context.Background(), knowledge.Scope{}, tc.query)
			if err != nil {
				t.Fatal(err)
			}
			m, ok := res.Found()
			switch {
			case tc.want == "" && ok:
				t.Fatalf("found %s, want not on record", m.PersonID)
			case tc.want == "" && len(res.Best) > 0:
				t.Fatalf("ambiguous %v, want not on record", res.Best)
			case tc.want != "" && !ok:
				t.Fatalf("not found (best %v, suggestions %v), want %s", res.Best, res.Suggestions, tc.want)
			case tc.want != "" && m.PersonID != tc.want:
				t.Fatalf("found %s, want %s", m.PersonID, tc.want)
			}
		})
	}
}

// TestFindPersonSurnameIsAmbiguous proves a surname shared by several
// people lists them all, in this server only, and never picks one.
func TestFindPersonSurnameIsAmbiguous(t *testing.T) {
	ctx := context.Background()
	ds, err := knowledge.Seed()
	if err != nil {
		t.Fatal(err)
	}
	ds.People = append(ds.People,
		knowledge.Person{Record: knowledge.Record{ID: "p-jane-rudd", Guild: "42", Origin: knowledge.OriginModerator}, Name: "Jane Rudd"},
		knowledge.Person{Record: knowledge.Record{ID: "p-tom-rudd", Guild: "42", Origin: knowledge.OriginModerator}, Name: "Tom Rudd",
			Aliases: []knowledge.Alias{{Name: "Tommy", Kind: knowledge.AliasNickname}}},
	)
	s, err := db.Open(ctx, filepath.Join(t.TempDir(), "kb.db"), db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Import(ctx, ds); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		guild string
		query string
		want  []string
	}{
		{"surname in the server with three Rudds", "42", "Rudd", []string{"p-amber-rudd", "p-jane-rudd", "p-tom-rudd"}},
		{"a title form is still just a surname", "42", "Ms Rudd", []string{"p-amber-rudd", "p-jane-rudd", "p-tom-rudd"}},
		{"full name picks one", "42", "Jane Rudd", []string{"p-jane-rudd"}},
		{"alias picks one", "42", "Tommy", []string{"p-tom-rudd"}},
		{"another server sees one Rudd", "7", "Rudd", []string{"p-amber-rudd"}},
		{"a DM sees one Rudd", "", "Rudd", []string{"p-amber-rudd"}},
		{"another server cannot find Jane", "7", "Jane Rudd", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := s.FindPerson(ctx, knowledge.Scope{Guild: tc.guild}, tc.query)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, m := range res.Best {
				got = append(got, m.PersonID)
			}
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Fatalf("best %v, want %v", got, tc.want)
			}
		})
	}
}

func TestFindPersonSuggestsClosestNames(t *testing.T) {
	s := openSeeded(t)
	res, err := s.FindPerson(context.Background(), knowledge.Scope{}, "Amber Smith")
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Best) != 0 {
		t.Fatalf("Amber Smith found %v", res.Best)
	}
	if len(res.Suggestions) == 0 || res.Suggestions[0].PersonID != "p-amber-rudd" {
		t.Fatalf("suggestions %v, want Amber Rudd first", res.Suggestions)
	}
}

// TestFindPersonLongWords: words longer than the kept prefixes (10
// characters) are matched in full, typed whole or in part.
func TestFindPersonLongWords(t *testing.T) {
	ctx := context.Background()
	s := openSeeded(t)
	if _, err := s.Add(ctx, change(modA, knowledge.ActionAdd, ""), &knowledge.Person{Name: "Jane Wolstenholmeshire"}); err != nil {
		t.Fatal(err)
	}
	scope := knowledge.Scope{Guild: modA.GuildID}
	for _, q := range []string{"Jane Wolstenholmeshire", "Wolstenholmeshire", "Jane Wolstenholmes", "Wolstenholm"} {
		t.Run(q, func(t *testing.T) {
			if got := found(t, s, scope, q); got != "p-jane-wolstenholmeshire" {
				t.Fatalf("%q found %q", q, got)
			}
		})
	}
	choices, err := s.Suggest(ctx, scope, "person", "jane wolstenholmesh")
	if err != nil || len(choices) != 1 || choices[0].Value != "p-jane-wolstenholmeshire" {
		t.Fatalf("autocomplete: %v %v", choices, err)
	}
}
