package db

import "context"

// ExecForTest runs a statement on the writer, for tests that must prove
// the database itself refuses something.
func (s *Store) ExecForTest(ctx context.Context, q string) error {
	_, err := s.w.ExecContext(ctx, q)
	return err
}

// SetExactForTest makes every answer computed the exact, slow way (true)
// or lets the kept counts answer where they may (false).
func (s *Store) SetExactForTest(exact bool) { s.exact = exact }
