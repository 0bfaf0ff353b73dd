package db

import "context"

// ExecForTest runs a statement on the writer, for tests that must prove
// the database itself refuses something.
func (s *Store) ExecForTest(ctx context.Context, q string) error {
	_, err := s.w.ExecContext(ctx, q)
	return err
}
