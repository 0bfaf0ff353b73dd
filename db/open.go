package db

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/mattn/go-sqlite3"

	"github.com/onrecord/onrecord/knowledge"
)

// Store is the SQLite knowledge base. It holds one writer connection, so
// writes are serialised, and a pool of read-only connections, so readers
// never wait for writers (WAL). It is safe for concurrent use.
type Store struct {
	w, r    *sql.DB
	path    string
	created bool
	log     *slog.Logger

	mu        sync.Mutex
	stmts     map[string]*sql.Stmt // prepared on the reader pool, by query text
	preparing map[string]bool      // being prepared in the background
	closed    bool
	bg        sync.WaitGroup // background preparations

	gen generation

	// ranked and rankedTerm are maxRanked and maxRankedTerm (tests lower
	// them to reach the large-record behaviour with a small record).
	ranked, rankedTerm int

	// scanWords is how many claims a speaker may have for a duplicate
	// check to read them all; above it, full-text search finds the
	// candidates (maxScanWords; tests lower it).
	scanWords int

	// exact makes every answer read and derive everything, never the
	// counts and orders kept for the shared record (tests compare both).
	exact bool
}

// Options says how Open treats a database that does not exist yet.
type Options struct {
	// Seed loads the embedded seed into a database that Open creates. It is
	// ignored for a database that exists: opening never reseeds.
	Seed bool
	// Logger receives the store's own log lines; nil discards them.
	Logger *slog.Logger
	// CheckEvery is how often Generation looks for writes by other
	// processes; zero means GenerationCheckEvery.
	CheckEvery time.Duration
}

// Open opens the knowledge base at path, creating the file when it does not
// exist (and then loading the seed when opts.Seed), and brings its schema up
// to date. Errors: CodeInvalid when path cannot hold a database (a missing
// directory, ":memory:", not a SQLite file, a schema newer than this
// binary); CodeUnavailable when the file cannot be opened.
func Open(ctx context.Context, path string, opts Options) (*Store, error) {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if path == "" || path == ":memory:" || strings.HasPrefix(path, "file:") {
		return nil, knowledge.FieldError("db", "give the database as a file path, not %q", path)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, knowledge.Wrap(err, knowledge.CodeInvalid, "the database path is not usable")
	}
	created := false
	switch st, err := os.Stat(abs); {
	case errors.Is(err, fs.ErrNotExist):
		if _, err := os.Stat(filepath.Dir(abs)); err != nil {
			return nil, knowledge.FieldError("db", "cannot create %s: its directory does not exist", path)
		}
		created = true
	case err != nil:
		return nil, knowledge.Wrap(err, knowledge.CodeUnavailable, "cannot read the database file "+path)
	case st.IsDir():
		return nil, knowledge.FieldError("db", "%s is a directory, not a database file", path)
	case st.Size() == 0:
		created = true // an empty file is a new database
	}

	s := &Store{path: abs, created: created, log: log, stmts: map[string]*sql.Stmt{}, preparing: map[string]bool{}, ranked: maxRanked, rankedTerm: maxRankedTerm, scanWords: maxScanWords}
	s.w = sql.OpenDB(connector{dsn: dsn(abs, false), hook: writerHook})
	s.w.SetMaxOpenConns(1)
	s.w.SetMaxIdleConns(1)
	s.w.SetConnMaxLifetime(0)
	s.w.SetConnMaxIdleTime(0)
	if err := s.migrate(ctx); err != nil {
		s.w.Close()
		if created {
			removeDB(abs)
		}
		return nil, err
	}
	s.r = sql.OpenDB(connector{dsn: dsn(abs, true), hook: readerHook})
	n := max(4, 2*runtime.GOMAXPROCS(0))
	s.r.SetMaxOpenConns(n)
	s.r.SetMaxIdleConns(n)
	s.r.SetConnMaxIdleTime(0)
	s.openGeneration(opts.CheckEvery)
	if created && opts.Seed {
		if _, err := s.ApplySeed(ctx); err != nil {
			s.Close()
			removeDB(abs)
			return nil, fmt.Errorf("load the seed into new database %s: %w", path, err)
		}
		log.Info("created database and loaded the seed", "path", abs)
	} else if created {
		log.Info("created empty database", "path", abs)
	}
	return s, nil
}

// Created reports whether Open created the database file.
func (s *Store) Created() bool { return s.created }

// Path returns the absolute path of the database file.
func (s *Store) Path() string { return s.path }

// Close closes every connection. It is safe to call more than once.
func (s *Store) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.mu.Unlock()
	s.bg.Wait()
	s.mu.Lock()
	for q, st := range s.stmts {
		st.Close()
		delete(s.stmts, q)
	}
	s.mu.Unlock()
	var errs []error
	if s.r != nil {
		errs = append(errs, s.r.Close())
	}
	if s.gen.db != nil {
		errs = append(errs, s.gen.db.Close())
	}
	errs = append(errs, s.w.Close())
	return errors.Join(errs...)
}

// removeDB deletes a database file that Open created and could not finish.
func removeDB(path string) {
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		os.Remove(path + suffix)
	}
}

// dsn returns the connection string: a file: URI (so that mode=ro takes
// effect) with the path escaped and the per-connection pragmas that
// mattn/go-sqlite3 applies on connect.
func dsn(path string, readOnly bool) string {
	esc := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
	if readOnly {
		return "file:" + esc + "?mode=ro&_busy_timeout=5000&_foreign_keys=on&_query_only=on"
	}
	return "file:" + esc + "?_journal_mode=WAL&_synchronous=NORMAL&_busy_timeout=5000&_foreign_keys=on&_txlock=immediate"
}

func writerHook(c *sqlite3.SQLiteConn) error {
	_, err := c.Exec("PRAGMA cache_size = -16000", nil)
	return err
}

func readerHook(c *sqlite3.SQLiteConn) error {
	_, err := c.Exec("PRAGMA cache_size = -32000; PRAGMA mmap_size = 268435456", nil)
	return err
}

// connector opens connections with a ConnectHook without registering a
// driver name globally.
type connector struct {
	dsn  string
	hook func(*sqlite3.SQLiteConn) error
}

func (c connector) Connect(context.Context) (driver.Conn, error) {
	return c.Driver().Open(c.dsn)
}

func (c connector) Driver() driver.Driver {
	return &sqlite3.SQLiteDriver{ConnectHook: c.hook}
}

// stmt returns query prepared and bound to tx. Statements are prepared on
// the reader pool once and kept for the life of the store (database/sql
// prepares each once per pooled connection). The first use of a query
// prepares it on tx's own connection instead, and the pooled statement is
// prepared in the background: preparing on the pool needs a free
// connection, and a reader that waited for one while holding its own
// could deadlock the pool when every connection is held that way.
func (s *Store) stmt(ctx context.Context, tx *sql.Tx, query string) (*sql.Stmt, error) {
	s.mu.Lock()
	st, ok := s.stmts[query]
	if !ok && !s.preparing[query] && !s.closed {
		s.preparing[query] = true
		s.bg.Add(1)
		go s.prepare(query)
	}
	s.mu.Unlock()
	if ok {
		return tx.StmtContext(ctx, st), nil
	}
	st, err := tx.PrepareContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("prepare %q: %w", firstLine(query), err)
	}
	return st, nil
}

// prepare prepares query on the reader pool and keeps it.
func (s *Store) prepare(query string) {
	defer s.bg.Done()
	st, err := s.r.PrepareContext(context.Background(), query)
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.preparing, query)
	if err != nil {
		return // the next use tries again
	}
	if s.closed {
		st.Close()
		return
	}
	s.stmts[query] = st
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + "…"
	}
	return s
}

// readTx begins a read-only transaction on the reader pool.
func (s *Store) readTx(ctx context.Context) (*sql.Tx, error) {
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, dbError(err, "begin read")
	}
	return tx, nil
}

// dbError translates a driver error into a knowledge error: busy and locked
// become CodeUnavailable, a unique violation CodeConflict, a cancelled
// context stays as it is, anything else CodeInternal. The original error is
// kept as the cause for logs.
func dbError(err error, op string) error {
	if err == nil {
		return nil
	}
	var ke *knowledge.Error
	if errors.As(err, &ke) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%s: %w", op, err)
	}
	var se sqlite3.Error
	if errors.As(err, &se) {
		switch {
		case se.Code == sqlite3.ErrBusy || se.Code == sqlite3.ErrLocked:
			return knowledge.Wrap(fmt.Errorf("%s: %w", op, err), knowledge.CodeUnavailable, "The record is busy; please try again in a moment.")
		case se.ExtendedCode == sqlite3.ErrConstraintUnique || se.ExtendedCode == sqlite3.ErrConstraintPrimaryKey:
			return knowledge.Wrap(fmt.Errorf("%s: %w", op, err), knowledge.CodeConflict, "A record with that id already exists.")
		case se.Code == sqlite3.ErrNotADB || se.Code == sqlite3.ErrCorrupt:
			return knowledge.Wrap(fmt.Errorf("%s: %w", op, err), knowledge.CodeInvalid, "The database file is not an OnRecord database or is damaged.")
		case se.Code == sqlite3.ErrCantOpen || se.Code == sqlite3.ErrReadonly || se.Code == sqlite3.ErrFull || se.Code == sqlite3.ErrIoErr:
			return knowledge.Wrap(fmt.Errorf("%s: %w", op, err), knowledge.CodeUnavailable, "The database cannot be written or read right now.")
		}
	}
	return fmt.Errorf("%s: %w", op, err)
}
