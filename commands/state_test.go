package commands_test

import (
	"context"
	"strings"
	"testing"

	"github.com/onrecord/onrecord/commands"
	"github.com/onrecord/onrecord/knowledge"
)

func TestStateRoundTrip(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		params commands.Params
		stored bool // the free text must move into the store
	}{
		{"short", commands.Params{"person": "p-amber-rudd", "o": "5", "d": "n"}, false},
		{"text with symbols", commands.Params{"about": "a&b=c?d#e%f 🙂 \"q\"", "o": "0"}, false},
		{"long query", commands.Params{"query": strings.Repeat("immigration targets ", 10), "o": "10"}, true},
		{"long about and person", commands.Params{"person": "p-" + strings.Repeat("x", 40), "about": strings.Repeat("memo ", 12)}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := &fakeStore{}
			id, err := commands.State{Prefix: commands.PrefixPage, Command: "claims", Params: tc.params}.Encode(ctx, st)
			if err != nil {
				t.Fatal(err)
			}
			if len(id) > commands.MaxCustomID {
				t.Fatalf("custom_id is %d characters", len(id))
			}
			if got := len(st.texts) > 0; got != tc.stored {
				t.Fatalf("stored text: %v, want %v (%s)", got, tc.stored, id)
			}
			back, err := commands.DecodeState(ctx, st, id)
			if err != nil {
				t.Fatal(err)
			}
			if back.Command != "claims" || back.Prefix != commands.PrefixPage {
				t.Fatalf("decoded %+v", back)
			}
			for k, v := range tc.params {
				if back.Params[k] != v {
					t.Fatalf("param %s = %q, want %q", k, back.Params[k], v)
				}
			}
		})
	}
}

func TestDecodeStateRefusesForeignIDs(t *testing.T) {
	for _, id := range []string{"", "x", "pg", "pg:", "pg:claims", "zz:claims?o=1", "pg:claims?o=1&o=2", "pg:?o=1",
		"pg:claims?%zz", strings.Repeat("a", 101), "pg:claims?about=~nokey"} {
		t.Run(id, func(t *testing.T) {
			_, err := commands.DecodeState(context.Background(), &fakeStore{}, id)
			if c := knowledge.ErrorCode(err); c != knowledge.CodeInvalid && c != knowledge.CodeNotFound {
				t.Fatalf("decoded %q: %v", id, err)
			}
		})
	}
}

func FuzzDecodeState(f *testing.F) {
	for _, s := range []string{"pg:claims?d=n&o=6&person=p-amber-rudd", "pk:who?f=name", "pg:search?query=~k0", "pg:x?a=%25", "::??&&=="} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		st, err := commands.DecodeState(context.Background(), &fakeStore{texts: map[string]string{"k0": "targets"}}, id)
		if err != nil {
			if c := knowledge.ErrorCode(err); c != knowledge.CodeInvalid && c != knowledge.CodeNotFound {
				t.Fatalf("error code %s for %q", c, id)
			}
			return
		}
		// What decodes encodes again to something that decodes the same.
		again, err := st.Encode(context.Background(), &fakeStore{})
		if err != nil {
			return // too long once re-encoded: fine, it is refused
		}
		st2, err := commands.DecodeState(context.Background(), &fakeStore{}, again)
		if err != nil || st2.Command != st.Command || len(st2.Params) > len(st.Params) {
			t.Fatalf("%q → %q → %+v, %v", id, again, st2, err)
		}
	})
}
