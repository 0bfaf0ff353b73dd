package db_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/onrecord/onrecord/db"
	"github.com/onrecord/onrecord/knowledge"
	"github.com/onrecord/onrecord/knowledge/extract"
)

// BenchmarkIngest measures what /kb ingest costs past Discord: reading a
// report with speakers resolved through the database, then writing the
// document and its proposals in one transaction.
func BenchmarkIngest(b *testing.B) {
	ctx := context.Background()
	text, err := os.ReadFile("../knowledge/extract/testdata/labelled/guardian-style.txt")
	if err != nil {
		b.Fatal(err)
	}
	s, err := db.Open(ctx, filepath.Join(b.TempDir(), "kb.db"), db.Options{Seed: true})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	x := extract.New()
	read := func() []extract.Proposal {
		dir := extract.NewFuncDirectory(func(name string) ([]knowledge.Candidate, error) { return s.PeopleNamed(ctx, modA.Scope(), name) })
		ps := x.Extract(string(text), dir)
		if dir.Err() != nil {
			b.Fatal(dir.Err())
		}
		return ps
	}
	b.Run("extract with the database as directory", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			read()
		}
	})
	n := 0 // every ingest a new report: the sub-benchmark runs more than once on one store
	b.Run("extract and write", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			var in knowledge.IngestInput
			for _, p := range read() {
				in.Proposals = append(in.Proposals, knowledge.Proposal{Start: p.Start, End: p.End, Quote: p.Quote, Form: knowledge.ClaimForm(p.Kind),
					Speaker: p.SpeakerID, Attribution: p.Attribution, Confidence: p.Confidence, Reason: p.Reason})
			}
			n++
			in.Title, in.URL, in.Text = fmt.Sprintf("Report %d", n), fmt.Sprintf("https://example.org/%d", n), string(text)
			if _, err := s.Ingest(ctx, change(modA, knowledge.ActionIngest, ""), in); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkLargeIngest ingests, into the knowledge base at
// ONRECORD_BENCH_DB (made by onrecord gen; it writes there, so give it a
// copy), a report quoting the busiest speaker's own words again: the
// duplicate check on a speaker with tens of thousands of claims.
func BenchmarkLargeIngest(b *testing.B) {
	path := os.Getenv("ONRECORD_BENCH_DB")
	if path == "" {
		b.Skip("set ONRECORD_BENCH_DB to a copy of a database made by onrecord gen")
	}
	ctx := context.Background()
	s, err := db.Open(ctx, path, db.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	page, err := s.Claims(ctx, knowledge.Scope{}, knowledge.ClaimQuery{Speaker: "p-synthetic-0", Limit: 1})
	if err != nil || len(page.Items) == 0 {
		b.Fatalf("not a generated knowledge base: %v", err)
	}
	words := page.Items[0].Words
	text := "A report.\n\nThe minister said: \"" + words + "\"\n"
	start := len("A report.\n\nThe minister said: \"")
	for _, scan := range []int{500, 1 << 30} {
		name := map[bool]string{true: "full-text search", false: "reading every claim"}[scan == 500]
		b.Run("duplicate check by "+name, func(b *testing.B) {
			s.SetScanWordsForTest(scan)
			for b.Loop() {
				n := time.Now().UnixNano()
				in := knowledge.IngestInput{Title: fmt.Sprintf("Report %d", n), URL: fmt.Sprintf("https://example.org/large/%d", n), Text: text,
					Proposals: []knowledge.Proposal{{Start: start, End: start + len(words), Quote: words, Form: knowledge.FormDirect,
						Speaker: "p-synthetic-0", Attribution: knowledge.AttrStated, Confidence: 0.95, Reason: "named"}}}
				rep, err := s.Ingest(ctx, change(owner, knowledge.ActionIngest, ""), in)
				if err != nil {
					b.Fatal(err)
				}
				if rep.Duplicates != 1 {
					b.Fatalf("the same words were not found: %+v", rep)
				}
			}
		})
	}
}
