package db

import (
	"context"
	"database/sql"
	"errors"
	"os"

	"github.com/onrecord/onrecord/knowledge"
)

// Stats counts the records visible in scope, by kind: the shared record's
// live records, counted as they are written, plus the server's own, less
// the shared ones it has hidden.
func (s *Store) Stats(ctx context.Context, scope knowledge.Scope) (map[string]int, error) {
	r, err := s.newReader(ctx, scope)
	if err != nil {
		return nil, err
	}
	defer r.close()
	return r.stats()
}

// stats is Stats inside a read that is already open.
func (r *reader) stats() (map[string]int, error) {
	scope := r.scope
	out := map[string]int{}
	add := func(sign int, q string, args ...any) error {
		rows, err := r.query(q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var k string
			var n int
			if err := rows.Scan(&k, &n); err != nil {
				return dbError(err, "scan stats")
			}
			out[k] += sign * n
		}
		return dbError(rows.Err(), "stats")
	}
	if r.s.exact {
		err := add(1, "SELECT kind, count(*) FROM records r WHERE "+visible("r")+" GROUP BY kind", scope.Guild, scope.Guild)
		return out, err
	}
	if err := add(1, "SELECT kind, n FROM kind_counts"); err != nil {
		return nil, err
	}
	if scope.Guild != "" {
		if err := add(1, "SELECT kind, count(*) FROM records WHERE guild = ? AND guild <> '' AND retracted = 0 GROUP BY kind", scope.Guild); err != nil {
			return nil, err
		}
		if err := add(-1, `SELECT r.kind, count(*) FROM hidden h CROSS JOIN records r ON r.rid = h.rid
			WHERE h.guild = ? AND r.guild = '' AND r.retracted = 0 GROUP BY r.kind`, scope.Guild); err != nil {
			return nil, err
		}
	}
	for k, n := range out {
		if n == 0 {
			delete(out, k)
		}
	}
	return out, nil
}

// Ping checks that the database answers a query.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	return dbError(s.r.QueryRowContext(ctx, "SELECT 1").Scan(&one), "ping")
}

// Backup writes a consistent copy of the database to path (VACUUM INTO,
// from one snapshot), while readers and the writer carry on. Errors: CodeInvalid when path
// exists already.
func (s *Store) Backup(ctx context.Context, path string) error {
	if path == "" {
		return knowledge.FieldError("path", "give the file to write the backup to")
	}
	if _, err := os.Stat(path); err == nil {
		return knowledge.FieldError("path", "%s exists already: give a new file name", path)
	}
	// A connection of its own: the readers are query-only, and the writer
	// must stay free for writes while the copy is made from a snapshot.
	conn := sql.OpenDB(connector{dsn: dsn(s.path, false), hook: writerHook})
	defer conn.Close()
	_, err := conn.ExecContext(ctx, "VACUUM INTO ?", path)
	return dbError(err, "backup to "+path)
}

// Discard closes a store that Open created and deletes its files, for a
// command that created a database and then failed to fill it (a refused
// import). It does nothing but close a database that existed before.
func (s *Store) Discard() error {
	err := s.Close()
	if s.created {
		removeDB(s.path)
	}
	return err
}

// Meta returns the value stored under key in the database's own facts
// (the hash of the commands last registered, ...), or "" when there is none.
func (s *Store) Meta(ctx context.Context, key string) (string, error) {
	var v string
	err := s.r.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = ?", key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, dbError(err, "read meta "+key)
}

// SetMeta stores value under key in the database's own facts.
func (s *Store) SetMeta(ctx context.Context, key, value string) error {
	_, err := s.w.ExecContext(ctx, "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, value)
	return dbError(err, "write meta "+key)
}

// Count counts every record in the database, by kind, across all servers
// (retracted ones included): the knowledge base's size, for metrics.
func (s *Store) Count(ctx context.Context) (map[string]int, error) {
	rows, err := s.r.QueryContext(ctx, "SELECT kind, count(*) FROM records GROUP BY kind")
	if err != nil {
		return nil, dbError(err, "count records")
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return nil, dbError(err, "count records")
		}
		out[k] = n
	}
	return out, dbError(rows.Err(), "count records")
}
