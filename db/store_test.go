package db_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/onrecord/onrecord/db"
	"github.com/onrecord/onrecord/knowledge"
)

// openSeeded opens a new seeded database under t.TempDir().
func openSeeded(t *testing.T) *db.Store {
	t.Helper()
	s, err := db.Open(context.Background(), filepath.Join(t.TempDir(), "kb.db"), db.Options{Seed: true})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() {
		// Whatever the test did, the database must still be whole, its
		// derived counts true.
		if problems, err := s.Check(context.Background()); err != nil || len(problems) > 0 {
			t.Errorf("after the test: %v %v", problems, err)
		}
		s.Close()
	})
	return s
}

func exportJSON(t *testing.T, s *db.Store) []byte {
	t.Helper()
	ds, err := s.Export(context.Background(), nil)
	if err != nil {
		t.Fatalf("export: %v", err)
	}
	var b bytes.Buffer
	if err := knowledge.EncodeDataset(&b, ds); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestOpenSeedsNewDatabaseOnly(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "kb.db")
	s, err := db.Open(ctx, path, db.Options{Seed: true})
	if err != nil {
		t.Fatal(err)
	}
	if !s.Created() {
		t.Fatal("Created() = false for a new file")
	}
	if got := exportJSON(t, s); !bytes.Equal(got, knowledge.SeedJSON()) {
		t.Fatal("a freshly seeded database does not export the seed byte for byte")
	}
	s.Close()

	s, err = db.Open(ctx, path, db.Options{Seed: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Created() {
		t.Fatal("Created() = true when reopening")
	}
	stats, err := s.Stats(ctx, knowledge.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	if stats["person"] != 6 {
		t.Fatalf("reopened database has %d people, want 6 (seeded once)", stats["person"])
	}
}

func TestOpenEmptyForImport(t *testing.T) {
	s, err := db.Open(context.Background(), filepath.Join(t.TempDir(), "kb.db"), db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	stats, err := s.Stats(context.Background(), knowledge.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	if len(stats) != 0 {
		t.Fatalf("new unseeded database holds %v", stats)
	}
}

func TestOpenRefusesBadPaths(t *testing.T) {
	dir := t.TempDir()
	notDB := filepath.Join(dir, "notes.txt")
	os.WriteFile(notDB, []byte("this is not a database, just some text that is long enough"), 0o644)
	tests := []struct {
		name, path string
		code       knowledge.Code
	}{
		{"memory", ":memory:", knowledge.CodeInvalid},
		{"empty", "", knowledge.CodeInvalid},
		{"missing directory", filepath.Join(dir, "no", "such", "kb.db"), knowledge.CodeInvalid},
		{"directory", dir, knowledge.CodeInvalid},
		{"not a database", notDB, knowledge.CodeInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := db.Open(context.Background(), tc.path, db.Options{Seed: true})
			if err == nil {
				s.Close()
				t.Fatal("opened")
			}
			if got := knowledge.ErrorCode(err); got != tc.code {
				t.Fatalf("code %s, want %s (%v)", got, tc.code, err)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "no")); err == nil {
		t.Fatal("a failed open created a directory")
	}
}

func TestOpenPathWithURICharacters(t *testing.T) {
	path := filepath.Join(t.TempDir(), "odd ?name#%20.db")
	s, err := db.Open(context.Background(), path, db.Options{Seed: true})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("database not at the path given: %v", err)
	}
}

func TestExportImportRoundTrip(t *testing.T) {
	ctx := context.Background()
	src := openSeeded(t)
	first := exportJSON(t, src)

	ds, err := knowledge.DecodeDataset(bytes.NewReader(first))
	if err != nil {
		t.Fatal(err)
	}
	dst, err := db.Open(ctx, filepath.Join(t.TempDir(), "copy.db"), db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	n, err := dst.Import(ctx, ds)
	if err != nil {
		t.Fatal(err)
	}
	if n != ds.Len() {
		t.Fatalf("imported %d records, file has %d", n, ds.Len())
	}
	if second := exportJSON(t, dst); !bytes.Equal(first, second) {
		t.Fatal("export → import → export changed the output")
	}
	if _, err := dst.Import(ctx, ds); knowledge.ErrorCode(err) != knowledge.CodeConflict {
		t.Fatalf("import into a non-empty database: %v, want conflict", err)
	}
}

func TestImportIsAllOrNothing(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		mutate func(ds *knowledge.Dataset)
		want   string // in the error message: record and field
	}{
		{"dangling speaker", func(ds *knowledge.Dataset) { ds.Claims[0].Speaker = "p-nobody" }, "speaker"},
		{"excerpt offsets", func(ds *knowledge.Dataset) { ds.Excerpts[0].Start++ }, "excerpts["},
		{"empty name", func(ds *knowledge.Dataset) { ds.People[0].Name = " " }, "people["},
		{"bad relation", func(ds *knowledge.Dataset) { ds.Evidence[0].Relation = "refutes" }, "relation"},
		{"duplicate id", func(ds *knowledge.Dataset) { ds.People[1].ID = ds.People[0].ID }, "is used by another record"},
		{"guild reference from global", func(ds *knowledge.Dataset) {
			ds.People[0].Guild, ds.People[0].Origin = "123", knowledge.OriginModerator
		}, "belongs to another server"},
		{"invented date", func(ds *knowledge.Dataset) { ds.Claims[0].Date = "2018-02-30" }, "date"},
		{"javascript url", func(ds *knowledge.Dataset) { ds.Documents[0].URL = "javascript:alert(1)" }, "url"},
		{"wrong format", func(ds *knowledge.Dataset) { ds.Format = "other/9" }, "format"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ds, err := knowledge.Seed()
			if err != nil {
				t.Fatal(err)
			}
			tc.mutate(ds)
			s, err := db.Open(ctx, filepath.Join(t.TempDir(), "kb.db"), db.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			_, err = s.Import(ctx, ds)
			if knowledge.ErrorCode(err) != knowledge.CodeInvalid {
				t.Fatalf("import: %v, want invalid", err)
			}
			if msg := knowledge.ErrorMessage(err); !strings.Contains(msg, tc.want) {
				t.Fatalf("message %q does not name %q", msg, tc.want)
			}
			stats, err := s.Stats(ctx, knowledge.Scope{Guild: "123"})
			if err != nil {
				t.Fatal(err)
			}
			if len(stats) != 0 {
				t.Fatalf("a refused import wrote %v", stats)
			}
		})
	}
}

func TestApplySeedKeepsOthersRecords(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "kb.db")
	ds, err := knowledge.Seed()
	if err != nil {
		t.Fatal(err)
	}
	// A database holding an older seed (one summary changed, one claim
	// missing) plus a server's own person.
	ds.People[0].Summary = "An out-of-date summary."
	var dropped string
	for i, c := range ds.Claims {
		if c.ID == "c-davies-public-backed" { // no evidence refers to it
			dropped = c.ID
			ds.Claims = append(ds.Claims[:i], ds.Claims[i+1:]...)
			break
		}
	}
	ds.People = append(ds.People, knowledge.Person{
		Record: knowledge.Record{ID: "p-jane-doe", Guild: "42", Origin: knowledge.OriginModerator},
		Name:   "Jane Doe", Summary: "Added by a moderator.",
	})
	s, err := db.Open(ctx, path, db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Import(ctx, ds); err != nil {
		t.Fatal(err)
	}
	rep, err := s.ApplySeed(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Added != 1 || rep.Updated != 1 {
		t.Fatalf("report %+v, want 1 added (%s) and 1 updated", rep, dropped)
	}
	rep, err = s.ApplySeed(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Added != 0 || rep.Updated != 0 {
		t.Fatalf("second seed changed records: %+v", rep)
	}
	res, err := s.FindPerson(ctx, knowledge.Scope{Guild: "42"}, "Jane Doe")
	if err != nil {
		t.Fatal(err)
	}
	if m, ok := res.Found(); !ok || m.PersonID != "p-jane-doe" {
		t.Fatalf("the moderator's person is gone after seeding: %+v", res)
	}
	// Everything global now equals the seed.
	all, err := s.Export(ctx, &knowledge.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	knowledge.EncodeDataset(&b, all)
	if !bytes.Equal(b.Bytes(), knowledge.SeedJSON()) {
		t.Fatal("after seeding, the global record differs from the seed")
	}
}

func TestApplySeedRefusesToOverwriteOthers(t *testing.T) {
	ctx := context.Background()
	s, err := db.Open(ctx, filepath.Join(t.TempDir(), "kb.db"), db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ds := &knowledge.Dataset{Format: knowledge.Format, People: []knowledge.Person{{
		Record: knowledge.Record{ID: "p-amber-rudd", Origin: knowledge.OriginOwner}, Name: "Someone Else",
	}}}
	if _, err := s.Import(ctx, ds); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ApplySeed(ctx); knowledge.ErrorCode(err) != knowledge.CodeConflict {
		t.Fatalf("seed over an owner's record: %v, want conflict", err)
	}
	res, err := s.FindPerson(ctx, knowledge.Scope{}, "Someone Else")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := res.Found(); !ok {
		t.Fatal("the owner's record was changed by a refused seed")
	}
	stats, _ := s.Stats(ctx, knowledge.Scope{})
	if stats["claim"] != 0 {
		t.Fatal("a refused seed wrote claims")
	}
}

func TestBackup(t *testing.T) {
	ctx := context.Background()
	s := openSeeded(t)
	out := filepath.Join(t.TempDir(), "backup.db")
	if err := s.Backup(ctx, out); err != nil {
		t.Fatal(err)
	}
	if err := s.Backup(ctx, out); knowledge.ErrorCode(err) != knowledge.CodeInvalid {
		t.Fatalf("backup over an existing file: %v, want invalid", err)
	}
	b, err := db.Open(ctx, out, db.Options{Seed: true})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if b.Created() {
		t.Fatal("backup file looked new")
	}
	if !bytes.Equal(exportJSON(t, s), exportJSON(t, b)) {
		t.Fatal("backup differs from the original")
	}
}

func TestCheck(t *testing.T) {
	ctx := context.Background()
	s, err := db.Open(ctx, filepath.Join(t.TempDir(), "kb.db"), db.Options{Seed: true}) // broken on purpose: not openSeeded
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	jane, err := s.Add(ctx, change(modA, knowledge.ActionAdd, ""), &knowledge.Person{Name: "Jane Doe", Summary: "A new MP."})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Edit(ctx, change(modA, knowledge.ActionEdit, "typo"), jane, 0, func(e knowledge.Entry) error {
		e.(*knowledge.Person).Summary = "A new MP for somewhere."
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if problems, err := s.Check(ctx); err != nil || len(problems) > 0 {
		t.Fatalf("a whole database: %v %v", problems, err)
	}
	tests := []struct{ name, breakIt, want string }{
		{"lost index row", "DELETE FROM people WHERE rid = (SELECT rid FROM records WHERE id = 'p-hugh-ind')", "a person without its people row: p-hugh-ind"},
		{"lost search row", "DELETE FROM search WHERE rowid = (SELECT rid FROM records WHERE id = 'c-rudd-no-targets-committee')", "missing from full-text search: c-rudd-no-targets-committee"},
		{"lost version", "DELETE FROM versions", "a record missing earlier versions: " + jane},
		{"stale claim counts", "UPDATE claims SET g_contra = g_contra + 1 WHERE id = 'c-rudd-no-targets-committee'", "a claim whose derived columns are stale: c-rudd-no-targets-committee"},
		{"stale person counts", "UPDATE people SET n_claims = 99 WHERE rid = (SELECT rid FROM records WHERE id = 'p-amber-rudd')", "a person whose counts are stale: p-amber-rudd"},
		{"stale document counts", "UPDATE doc_counts SET n_cited = n_cited + 1, score = score + 1 WHERE id = 'd-memo'", "a document whose counts are stale: d-memo"},
		{"stale kind count", "UPDATE kind_counts SET n = n + 1 WHERE kind = 'organisation'", "a kind whose shared count is stale: organisation"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := s.ExecForTest(ctx, tc.breakIt); err != nil {
				t.Fatal(err)
			}
			problems, err := s.Check(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(strings.Join(problems, "\n"), tc.want) {
				t.Fatalf("problems %q lack %q", problems, tc.want)
			}
		})
	}
}

// TestBackupUnderWrites takes backups while moderators write: each must be
// a whole database holding a prefix of the writes (every person it has is
// complete, and it has every write acknowledged before the backup began).
func TestBackupUnderWrites(t *testing.T) {
	ctx := context.Background()
	s := openSeeded(t)
	dir := t.TempDir()
	var acked atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for g := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				p := &knowledge.Person{Name: fmt.Sprintf("Backup Writer%d Number%d", g, n), Summary: "written under a backup"}
				if _, err := s.Add(ctx, change(modA, knowledge.ActionAdd, "backup test"), p); err != nil {
					t.Errorf("add: %v", err)
					return
				}
				acked.Add(1)
			}
		}()
	}
	for i := range 5 {
		before := acked.Load()
		out := filepath.Join(dir, fmt.Sprintf("backup-%d.db", i))
		if err := s.Backup(ctx, out); err != nil {
			t.Fatal(err)
		}
		b, err := db.Open(ctx, out, db.Options{})
		if err != nil {
			t.Fatal(err)
		}
		problems, err := b.Check(ctx)
		if err != nil || len(problems) > 0 {
			t.Fatalf("backup %d: %v %v", i, problems, err)
		}
		ds, err := b.Export(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := ds.Validate(nil).Err(); err != nil {
			t.Fatalf("backup %d does not validate: %v", i, err)
		}
		n := 0
		for _, p := range ds.People {
			if strings.HasPrefix(p.Name, "Backup Writer") {
				n++
			}
		}
		if int64(n) < before {
			t.Fatalf("backup %d holds %d of the %d writes acknowledged before it began", i, n, before)
		}
		b.Close()
	}
	close(stop)
	wg.Wait()
	if acked.Load() == 0 {
		t.Fatal("no writes happened during the backups")
	}
}
