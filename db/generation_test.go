package db_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/onrecord/onrecord/db"
	"github.com/onrecord/onrecord/knowledge"
)

// TestGenerationFollowsWrites: answers kept for a generation must not
// outlive a change, whether this process or another one made it.
func TestGenerationFollowsWrites(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "kb.db")
	s, err := db.Open(ctx, path, db.Options{Seed: true, CheckEvery: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	mod := knowledge.Actor{UserID: "1", GuildID: "100000000000000001", Rank: knowledge.RankModerator}

	g0 := s.Generation(ctx)
	time.Sleep(3 * time.Millisecond)
	if g := s.Generation(ctx); g != g0 {
		t.Fatalf("generation changed from %d to %d with no write", g0, g)
	}

	t.Run("a write through this store changes it at once", func(t *testing.T) {
		before := s.Generation(ctx)
		if _, err := s.Add(ctx, change(mod, knowledge.ActionAdd, "test"), &knowledge.Person{Record: knowledge.Record{ID: "p-gen-one"}, Name: "Gen One"}); err != nil {
			t.Fatal(err)
		}
		if g := s.Generation(ctx); g == before {
			t.Fatal("generation unchanged right after a write")
		}
	})

	t.Run("a refused write leaves it alone", func(t *testing.T) {
		time.Sleep(3 * time.Millisecond)
		before := s.Generation(ctx)
		if _, err := s.Add(ctx, change(mod, knowledge.ActionAdd, "test"), &knowledge.Person{Record: knowledge.Record{ID: "p-gen-one"}, Name: "Gen One"}); err == nil {
			t.Fatal("adding the same id twice succeeded")
		}
		time.Sleep(3 * time.Millisecond)
		if g := s.Generation(ctx); g != before {
			t.Fatalf("generation changed from %d to %d after a refused write", before, g)
		}
	})

	t.Run("a write by another process shows within the check interval", func(t *testing.T) {
		other, err := db.Open(ctx, path, db.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		time.Sleep(3 * time.Millisecond)
		before := s.Generation(ctx)
		if _, err := other.Add(ctx, change(mod, knowledge.ActionAdd, "test"), &knowledge.Person{Record: knowledge.Record{ID: "p-gen-two"}, Name: "Gen Two"}); err != nil {
			t.Fatal(err)
		}
		time.Sleep(3 * time.Millisecond)
		if g := s.Generation(ctx); g == before {
			t.Fatal("generation unchanged after another process wrote")
		}
	})
}
