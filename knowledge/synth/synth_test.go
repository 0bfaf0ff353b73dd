package synth_test

import (
	"bytes"
	"testing"

	"github.com/onrecord/onrecord/knowledge"
	"github.com/onrecord/onrecord/knowledge/synth"
)

func TestGenerate(t *testing.T) {
	opts := synth.Options{People: 2000, Claims: 20000, Seed: 42}
	ds := synth.Generate(opts)
	if err := ds.Validate(nil).Err(); err != nil {
		t.Fatalf("the generated dataset is invalid: %v", err)
	}
	if len(ds.People) != opts.People || len(ds.Claims) != opts.Claims {
		t.Fatalf("%d people and %d claims, want %d and %d", len(ds.People), len(ds.Claims), opts.People, opts.Claims)
	}
	encode := func(ds *knowledge.Dataset) []byte {
		var b bytes.Buffer
		if err := knowledge.EncodeDataset(&b, ds); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	if !bytes.Equal(encode(ds), encode(synth.Generate(opts))) {
		t.Fatal("the same options gave different datasets")
	}
	if bytes.Equal(encode(ds), encode(synth.Generate(synth.Options{People: 2000, Claims: 20000, Seed: 43}))) {
		t.Fatal("another seed gave the same dataset")
	}

	t.Run("realistic", func(t *testing.T) {
		surnames, speakers := map[string]int{}, map[string]int{}
		diacritics, titled, hyphenated := 0, 0, 0
		for _, p := range ds.People {
			toks := knowledge.NameTokens(p.Name)
			surnames[toks[len(toks)-1]]++
			for _, r := range p.Name {
				if r > 127 {
					diacritics++
					break
				}
			}
			if len(knowledge.NameTokens(p.Name)) < len(bytes.Fields([]byte(p.Name))) {
				titled++
			}
			if bytes.ContainsRune([]byte(p.Name), '-') {
				hyphenated++
			}
		}
		for _, c := range ds.Claims {
			speakers[c.Speaker]++
		}
		most := func(m map[string]int) int {
			n := 0
			for _, v := range m {
				n = max(n, v)
			}
			return n
		}
		if most(surnames) < 100 {
			t.Errorf("the commonest surname is shared by %d of 2,000 people; want a hundred or more", most(surnames))
		}
		if most(speakers) < 500 {
			t.Errorf("the most frequent speaker has %d of 20,000 claims; want hundreds", most(speakers))
		}
		if titled == 0 || hyphenated == 0 || diacritics == 0 {
			t.Errorf("titled %d, hyphenated %d, with diacritics %d: want some of each", titled, hyphenated, diacritics)
		}
	})
}
