package db_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"github.com/onrecord/onrecord/db"
	"github.com/onrecord/onrecord/knowledge"
)

// TestReadersDoNotWaitForWriters holds the database's write lock from
// another connection (as a long write, or another process, would): reads
// carry on at once and see the last committed state, and a write through
// the store waits its turn (busy_timeout) instead of failing.
func TestReadersDoNotWaitForWriters(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "kb.db")
	s, err := db.Open(ctx, path, db.Options{Seed: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	other, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=5000&_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	tx, err := other.BeginTx(ctx, nil) // BEGIN IMMEDIATE: holds the write lock
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(ctx, "UPDATE records SET label = 'Uncommitted' WHERE id = 'p-hugh-ind'"); err != nil {
		t.Fatal(err)
	}

	readCtx, cancel := context.WithTimeout(ctx, time.Second) // a reader that waited would need busy_timeout, 5 s
	defer cancel()
	res, err := s.FindPerson(readCtx, knowledge.Scope{}, "Hugh Ind")
	if err != nil {
		t.Fatalf("a read while another connection writes: %v", err)
	}
	if m, ok := res.Found(); !ok || m.Name != "Hugh Ind" {
		t.Fatalf("read %+v: want the committed Hugh Ind", res.Best)
	}

	wrote := make(chan error, 1)
	go func() {
		_, err := s.Add(ctx, knowledge.Change{Actor: knowledge.Actor{UserID: "1", GuildID: "42", Rank: knowledge.RankModerator}, Action: knowledge.ActionAdd},
			&knowledge.Person{Name: "Waiting Writer"})
		wrote <- err
	}()
	select {
	case err := <-wrote:
		t.Fatalf("a write went through while another connection held the lock: %v", err)
	case <-time.After(200 * time.Millisecond):
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	if err := <-wrote; err != nil {
		t.Fatalf("the waiting write failed instead of taking its turn: %v", err)
	}
}
