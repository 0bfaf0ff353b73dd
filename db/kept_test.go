package db_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/onrecord/onrecord/db"
	"github.com/onrecord/onrecord/knowledge"
	"github.com/onrecord/onrecord/knowledge/synth"
)

// TestKeptCountsMatchExactAnswers: the counts and orders kept for the
// shared record give exactly the answers that reading every claim gives,
// in every server, after moderators of several servers have added claims
// and evidence, hidden shared ones, and owners have retracted and restored
// shared evidence.
func TestKeptCountsMatchExactAnswers(t *testing.T) {
	ctx := context.Background()
	s, err := db.Open(ctx, filepath.Join(t.TempDir(), "kb.db"), db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ds := synth.Generate(synth.Options{People: 40, Claims: 600, Seed: 9})
	if _, err := s.Import(ctx, ds); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	guilds := []string{"100000000000000001", "100000000000000002", "100000000000000003"}
	pick := func(n int) int { return rng.IntN(n) }
	claim := func() knowledge.Claim { return ds.Claims[pick(len(ds.Claims))] }
	owner := knowledge.Actor{UserID: "9", GuildID: guilds[0], Rank: knowledge.RankOwner}
	for step := range 200 {
		g := guilds[pick(len(guilds))]
		mod := knowledge.Actor{UserID: "7", GuildID: g, Rank: knowledge.RankModerator}
		ch := knowledge.Change{Actor: mod, Action: knowledge.ActionAdd, Reason: "test"}
		var err error
		switch pick(8) {
		case 0: // the server's own claim by a shared person
			c := claim()
			_, err = s.Add(ctx, ch, &knowledge.Claim{Speaker: ds.People[pick(len(ds.People))].ID, Attribution: knowledge.AttrStated,
				Words: c.Words, Form: knowledge.FormDirect, Excerpt: c.Excerpt, Subjects: []string{ds.People[pick(len(ds.People))].ID}})
		case 1: // the server's own evidence on a shared claim
			rel := []knowledge.Relation{knowledge.RelContradicts, knowledge.RelSupports, knowledge.RelContext}[pick(3)]
			_, err = s.Add(ctx, ch, &knowledge.Evidence{Claim: claim().ID, Relation: rel, Excerpt: claim().Excerpt, Rationale: "test"})
		case 2: // hide a shared claim in the server
			_, err = s.Retract(ctx, knowledge.Change{Actor: mod, Action: knowledge.ActionRetract, Reason: "test"}, claim().ID)
		case 3: // hide shared evidence in the server
			if len(ds.Evidence) > 0 {
				_, err = s.Retract(ctx, knowledge.Change{Actor: mod, Action: knowledge.ActionRetract, Reason: "test"}, ds.Evidence[pick(len(ds.Evidence))].ID)
			}
		case 4: // retract shared evidence everywhere, or bring it back
			e := ds.Evidence[pick(len(ds.Evidence))].ID
			if _, err = s.Retract(ctx, knowledge.Change{Actor: owner, Action: knowledge.ActionRetract, Reason: "test"}, e); err != nil {
				_, err = s.Restore(ctx, knowledge.Change{Actor: owner, Action: knowledge.ActionRestore, Reason: "test"}, e)
			}
		case 6: // retract a shared claim everywhere, or bring it back
			c := claim().ID
			if _, err = s.Retract(ctx, knowledge.Change{Actor: owner, Action: knowledge.ActionRetract, Reason: "test"}, c); err != nil {
				_, err = s.Restore(ctx, knowledge.Change{Actor: owner, Action: knowledge.ActionRestore, Reason: "test"}, c)
			}
		case 7: // an owner's edit that changes a shared claim's place in the order
			err = s.Edit(ctx, knowledge.Change{Actor: owner, Action: knowledge.ActionEdit, Reason: "test"}, claim().ID, 0, func(e knowledge.Entry) error {
				c := e.(*knowledge.Claim)
				if c.Attribution == knowledge.AttrStated {
					c.Attribution, c.AttributionReason = knowledge.AttrInferred, "test"
				} else {
					c.Attribution, c.AttributionReason = knowledge.AttrStated, ""
				}
				return nil
			})
		case 5: // new shared evidence
			rel := []knowledge.Relation{knowledge.RelContradicts, knowledge.RelSupports}[pick(2)]
			_, err = s.Add(ctx, knowledge.Change{Actor: owner, Action: knowledge.ActionAdd, Reason: "test"},
				&knowledge.Evidence{Claim: claim().ID, Relation: rel, Excerpt: claim().Excerpt, Rationale: "test"})
		}
		if err != nil && knowledge.ErrorCode(err) != knowledge.CodeInvalid { // "already hidden" and the like
			t.Fatalf("step %d: %v", step, err)
		}
	}
	if problems, err := s.Check(ctx); err != nil || len(problems) > 0 {
		t.Fatalf("%v %v", problems, err)
	}

	answers := func(exact bool, scope knowledge.Scope, person string) string {
		t.Helper()
		s.SetExactForTest(exact)
		defer s.SetExactForTest(false)
		var out []any
		pp, err := s.PersonProfile(ctx, scope, person)
		if knowledge.ErrorCode(err) == knowledge.CodeNotFound {
			return "not found"
		}
		if err != nil {
			t.Fatal(err)
		}
		stats, err := s.Stats(ctx, scope)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, pp, stats)
		for _, st := range []knowledge.Status{"", knowledge.StatusContradicted, knowledge.StatusDisputed, knowledge.StatusSupported, knowledge.StatusUnverified} {
			for _, off := range []int{0, 4, 1000} {
				page, err := s.Claims(ctx, scope, knowledge.ClaimQuery{Speaker: person, Status: st, Offset: off, Limit: 4})
				if err != nil {
					t.Fatal(err)
				}
				out = append(out, page)
			}
		}
		b, err := json.Marshal(out)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	scopes := []knowledge.Scope{{}, {Guild: guilds[0]}, {Guild: guilds[1]}, {Guild: guilds[2]}, {Guild: "100000000000000099"}}
	for _, scope := range scopes {
		for _, p := range ds.People {
			t.Run(fmt.Sprintf("%s in %q", p.ID, scope.Guild), func(t *testing.T) {
				if kept, exact := answers(false, scope, p.ID), answers(true, scope, p.ID); kept != exact {
					t.Fatalf("kept counts answer\n%s\nreading every claim answers\n%s", kept, exact)
				}
			})
		}
	}
}
