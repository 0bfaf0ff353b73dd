package db_test

import (
	"context"
	"testing"

	"github.com/onrecord/onrecord/db"
	"github.com/onrecord/onrecord/knowledge"
)

// TestSearchBoundsRanking: with more matches than it ranks, a search ranks
// only the newest and says so; with a word too common to rank, it lists
// the newest first and says so. The limits are lowered so that the seed
// reaches them.
func TestSearchBoundsRanking(t *testing.T) {
	ctx := context.Background()
	s := openSeeded(t)
	scope := knowledge.Scope{}
	full, err := s.Search(ctx, scope, "targets", 0, 50)
	if err != nil {
		t.Fatal(err)
	}
	if full.Newest != 0 || full.Unranked || full.Capped || full.Total < 4 {
		t.Fatalf("at seed size every match is counted and ranked: %+v", full)
	}

	t.Run("only the newest are ranked", func(t *testing.T) {
		s.SetSearchLimitsForTest(3, 1000)
		defer s.SetSearchLimitsForTest(2000, 20000)
		page, err := s.Search(ctx, scope, "targets", 0, 50)
		if err != nil {
			t.Fatal(err)
		}
		if page.Newest != 3 || !page.Capped || len(page.Items) > 3 {
			t.Fatalf("got %+v, want the 3 newest matches ranked, the total marked as a lower bound", page)
		}
	})
	t.Run("too common to rank", func(t *testing.T) {
		s.SetSearchLimitsForTest(2000, 1)
		defer s.SetSearchLimitsForTest(2000, 20000)
		page, err := s.Search(ctx, scope, "targets", 0, 50)
		if err != nil {
			t.Fatal(err)
		}
		if !page.Unranked || page.Total != full.Total || len(page.Items) != len(full.Items) {
			t.Fatalf("got %+v, want every match, unranked", page)
		}
		// Newest first: in the order the records were added. Every item
		// still has its snippet.
		for i, h := range page.Items {
			if h.Snippet == "" {
				t.Errorf("%s has no snippet", h.ID)
			}
			if i > 0 && rid(t, s, h.ID) > rid(t, s, page.Items[i-1].ID) {
				t.Fatalf("%s comes after %s but was added later", h.ID, page.Items[i-1].ID)
			}
		}
	})
}

// rid is the order in which record id was added.
func rid(t *testing.T, s *db.Store, id string) int64 {
	t.Helper()
	n, err := s.RidForTest(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
