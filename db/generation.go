package db

import (
	"context"
	"database/sql"
	"sync"
	"sync/atomic"
	"time"
)

// GenerationCheckEvery is how often, by default, Generation asks SQLite
// whether another process (onrecord import, another replica on the same
// file) has written: the bound on how stale it can be about such writes.
// Writes through the Store itself change the generation at once.
const GenerationCheckEvery = time.Second

// generation tracks whether the knowledge base may have changed: a counter
// that this Store's writes bump after they commit, and SQLite's
// data_version on a connection of its own, which changes when any other
// connection (another process included) commits.
type generation struct {
	n atomic.Uint64

	every   time.Duration
	mu      sync.Mutex // held while asking SQLite; TryLock so callers never queue
	db      *sql.DB    // one connection, kept open: data_version is per connection
	last    atomic.Int64
	version int64
}

// changed records a committed write.
func (g *generation) changed() { g.n.Add(1) }

// Generation returns a number that differs from any earlier one whenever
// the knowledge base may have changed since: at once after a write through
// this Store commits, and within Options.CheckEvery (GenerationCheckEvery by
// default) after another process commits one. Equal numbers mean nothing has changed that an answer could
// show; callers use it to keep answers computed from the record until it
// changes. It is cheap (an atomic load) except about once per check
// interval, when it asks SQLite.
func (s *Store) Generation(ctx context.Context) uint64 {
	g := &s.gen
	now := time.Now().UnixNano()
	if now-g.last.Load() >= int64(g.every) && g.mu.TryLock() {
		g.last.Store(now)
		var v int64
		if err := g.db.QueryRowContext(ctx, "PRAGMA data_version").Scan(&v); err != nil {
			// Cannot tell: assume a change, so nothing stale is served.
			g.n.Add(1)
		} else if v != g.version {
			g.version = v
			g.n.Add(1)
		}
		g.mu.Unlock()
	}
	return g.n.Load()
}

// openGeneration opens the connection that watches data_version.
func (s *Store) openGeneration(every time.Duration) {
	if every <= 0 {
		every = GenerationCheckEvery
	}
	s.gen.every = every
	db := sql.OpenDB(connector{dsn: dsn(s.path, true)})
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxIdleTime(0)
	db.SetConnMaxLifetime(0)
	s.gen.db = db
	s.gen.last.Store(time.Now().UnixNano())
	// The first answer is the baseline, not a change.
	db.QueryRowContext(context.Background(), "PRAGMA data_version").Scan(&s.gen.version)
}
