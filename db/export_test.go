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

// SetSearchLimitsForTest sets how many matches a search ranks and how
// common a word may be and still be ranked.
func (s *Store) SetSearchLimitsForTest(ranked, rankedTerm int) {
	s.ranked, s.rankedTerm = ranked, rankedTerm
}

// RidForTest returns the row id of record id: the order records were added in.
func (s *Store) RidForTest(ctx context.Context, id string) (int64, error) {
	var rid int64
	err := s.r.QueryRowContext(ctx, "SELECT rid FROM records WHERE id = ?", id).Scan(&rid)
	return rid, err
}

// SetScanWordsForTest sets how many claims a speaker may have before a
// duplicate check goes through full-text search (0: always).
func (s *Store) SetScanWordsForTest(n int) { s.scanWords = n }
