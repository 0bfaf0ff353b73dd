package db

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"

	"github.com/onrecord/onrecord/knowledge"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// migration is one numbered schema change.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations returns the embedded migrations in order. Their files are
// named NNNN_description.sql, numbered from 1 without gaps; new ones are
// only ever added at the end.
func migrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFS, "migrations")
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var ms []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must start with a number and an underscore", e.Name())
		}
		b, err := migrationFS.ReadFile("migrations/" + e.Name())
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", e.Name(), err)
		}
		ms = append(ms, migration{version: v, name: e.Name(), sql: string(b)})
	}
	slices.SortFunc(ms, func(a, b migration) int { return a.version - b.version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %s: expected number %d", m.name, i+1)
		}
	}
	return ms, nil
}

// SchemaVersion returns the number of the newest migration this binary holds.
func SchemaVersion() int {
	ms, err := migrations()
	if err != nil {
		return 0
	}
	return len(ms)
}

// migrate checks that SQLite has FTS5, then applies every migration newer
// than the database's PRAGMA user_version, each in its own transaction that
// also sets user_version.
func (s *Store) migrate(ctx context.Context) error {
	var fts int
	if err := s.w.QueryRowContext(ctx, "SELECT sqlite_compileoption_used('ENABLE_FTS5')").Scan(&fts); err != nil {
		return dbError(err, "open "+s.path)
	}
	if fts != 1 {
		return knowledge.Errorf(knowledge.CodeInternal, "this onrecord binary was built without FTS5: build it with go build -tags sqlite_fts5")
	}
	ms, err := migrations()
	if err != nil {
		return err
	}
	var current int
	if err := s.w.QueryRowContext(ctx, "PRAGMA user_version").Scan(&current); err != nil {
		return dbError(err, "read schema version")
	}
	if current > len(ms) {
		return knowledge.Errorf(knowledge.CodeInvalid, "the database %s has schema version %d, newer than this onrecord knows (%d): use a newer onrecord", s.path, current, len(ms))
	}
	for _, m := range ms[current:] {
		tx, err := s.w.BeginTx(ctx, nil)
		if err != nil {
			return dbError(err, "begin migration "+m.name)
		}
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			tx.Rollback()
			return dbError(err, "apply migration "+m.name)
		}
		if m.version == 3 {
			// Schema 3 adds derived columns: fill them from the records.
			if err := rebuildDerived(ctx, tx); err != nil {
				tx.Rollback()
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.version)); err != nil {
			tx.Rollback()
			return dbError(err, "record migration "+m.name)
		}
		if err := tx.Commit(); err != nil {
			return dbError(err, "commit migration "+m.name)
		}
		s.log.Debug("applied migration", "migration", m.name)
	}
	return nil
}
