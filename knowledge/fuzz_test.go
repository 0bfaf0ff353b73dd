package knowledge_test

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/onrecord/onrecord/knowledge"
)

// FuzzImport feeds import files to what `onrecord import` and `/kb
// import` run before writing anything: decoding and validation never
// panic, every refusal carries a message that names what to fix, and a
// file that passes re-encodes to a file that decodes and passes again,
// unchanged.
func FuzzImport(f *testing.F) {
	f.Add(knowledge.SeedJSON())
	f.Add([]byte(`{"format":"onrecord/1","people":[{"id":"p-x","name":"X"}]}`))
	f.Add([]byte(`{"format":"onrecord/1","claims":[{"id":"c-x","speaker":"p-nobody","quote":"words"}]}`))
	f.Add([]byte(`{"people":[{"id":"p-\u202e","name":"@everyone"}]}`))
	f.Add([]byte(`{"format":"onrecord/1"} {}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, file []byte) {
		ds, err := knowledge.DecodeDataset(bytes.NewReader(file))
		if err != nil {
			if knowledge.ErrorMessage(err) == "" {
				t.Fatalf("a refusal without a message: %v", err)
			}
			return
		}
		ds.FillDefaults()
		problems := ds.Validate(nil)
		if err := problems.Err(); err != nil {
			msg := knowledge.ErrorMessage(err)
			if msg == "" || !utf8.ValidString(msg) {
				t.Fatalf("a refusal without a readable message: %q", msg)
			}
			return
		}
		var once, twice bytes.Buffer
		if err := knowledge.EncodeDataset(&once, ds); err != nil {
			t.Fatal(err)
		}
		again, err := knowledge.DecodeDataset(bytes.NewReader(once.Bytes()))
		if err != nil {
			t.Fatalf("a valid dataset's export does not decode: %v\n%s", err, once.Bytes())
		}
		again.FillDefaults()
		if err := again.Validate(nil).Err(); err != nil {
			t.Fatalf("a valid dataset's export does not validate: %v", err)
		}
		if err := knowledge.EncodeDataset(&twice, again); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(once.Bytes(), twice.Bytes()) {
			t.Fatalf("export → import → export changed the file:\n%s\n%s", once.Bytes(), twice.Bytes())
		}
	})
}

// FuzzNames checks name normalisation: it never panics, normalising is
// idempotent, tokens are non-empty lower-case words without spaces, and a
// name always finds itself.
func FuzzNames(f *testing.F) {
	for _, s := range []string{"Amber Rudd", "Sir Nicholas Soames", "Diane  Abbott MP", "Zoë O'Neill-Smith", "ﬃ", "a\u0301", "\u202eRudd", "@everyone", "🙂", strings.Repeat("x ", 100)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		n := knowledge.Normalize(name)
		if knowledge.Normalize(n) != n {
			t.Fatalf("Normalize is not idempotent: %q → %q → %q", name, n, knowledge.Normalize(n))
		}
		toks := knowledge.NameTokens(name)
		for _, tok := range toks {
			if tok == "" || strings.ContainsAny(tok, " \t\n") || strings.ToLower(tok) != tok {
				t.Fatalf("NameTokens(%q) gave token %q", name, tok)
			}
		}
		if len(toks) == 0 {
			return
		}
		res := knowledge.Resolve(name, []knowledge.Candidate{{PersonID: "p-x", Name: name, Forms: []string{name}}})
		if m, ok := res.Found(); !ok || m.PersonID != "p-x" {
			t.Fatalf("%q does not find itself: %+v", name, res)
		}
	})
}
