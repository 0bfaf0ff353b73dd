package db_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/onrecord/onrecord/knowledge"
)

// TestReadersSeeEveryWrite: a search right after a write finds it, on
// whichever pooled reader answers, and Check stays clean throughout (it
// once reported FTS5 corruption that was only a pooled connection's stale
// view of the index).
func TestReadersSeeEveryWrite(t *testing.T) {
	ctx := context.Background()
	s := openSeeded(t)
	scope := knowledge.Scope{Guild: modA.GuildID}
	for n := range 300 {
		id, err := s.Add(ctx, change(modA, knowledge.ActionAdd, ""), &knowledge.Person{Name: fmt.Sprintf("Fresh Writer%d", n), Summary: fmt.Sprintf("zq%dx", n)})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Edit(ctx, change(modA, knowledge.ActionEdit, ""), id, 0, func(e knowledge.Entry) error {
			p := e.(*knowledge.Person)
			p.Aliases = append(p.Aliases, knowledge.Alias{Name: fmt.Sprintf("FW%d", n), Kind: knowledge.AliasNickname})
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		for k := max(0, n-3); k <= n; k++ {
			page, err := s.Search(ctx, scope, fmt.Sprintf("zq%dx", k), 0, 5)
			if err != nil || page.Total != 1 {
				t.Fatalf("after write %d, searching for person %d: %d hits, %v", n, k, page.Total, err)
			}
		}
		if n%100 == 99 {
			if problems, err := s.Check(ctx); err != nil || len(problems) > 0 {
				t.Fatalf("after write %d: %v %v", n, problems, err)
			}
		}
	}
}
