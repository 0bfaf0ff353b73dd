package db_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/onrecord/onrecord/db"
	"github.com/onrecord/onrecord/knowledge"
)

var (
	modA   = knowledge.Actor{UserID: "1001", GuildID: "42", Rank: knowledge.RankModerator}
	modB   = knowledge.Actor{UserID: "2002", GuildID: "7", Rank: knowledge.RankModerator}
	member = knowledge.Actor{UserID: "3003", GuildID: "42", Rank: knowledge.RankMember}
	owner  = knowledge.Actor{UserID: "9009", GuildID: "42", Rank: knowledge.RankOwner}
)

func change(a knowledge.Actor, action knowledge.Action, reason string) knowledge.Change {
	return knowledge.Change{Actor: a, Action: action, Reason: reason, Interaction: "5555"}
}

func found(t *testing.T, s *db.Store, scope knowledge.Scope, name string) string {
	t.Helper()
	res, err := s.FindPerson(context.Background(), scope, name)
	if err != nil {
		t.Fatal(err)
	}
	m, ok := res.Found()
	if !ok {
		return ""
	}
	return m.PersonID
}

func TestModeratorAdditionsStayInTheirServer(t *testing.T) {
	ctx := context.Background()
	s := openSeeded(t)
	id, err := s.Add(ctx, change(modA, knowledge.ActionAdd, ""), &knowledge.Person{Name: "Jane Doe", Summary: "A new MP."})
	if err != nil {
		t.Fatal(err)
	}
	if id != "p-jane-doe" {
		t.Fatalf("id %q", id)
	}
	if found(t, s, knowledge.Scope{Guild: "42"}, "Jane Doe") != id {
		t.Fatal("not visible in its own server")
	}
	for _, sc := range []knowledge.Scope{{Guild: "7"}, {}} {
		if found(t, s, sc, "Jane Doe") != "" {
			t.Fatalf("visible in scope %+v", sc)
		}
	}
	// Another server's moderator cannot touch it, see its history, or reuse it.
	err = s.Edit(ctx, change(modB, knowledge.ActionEdit, ""), id, 0, func(e knowledge.Entry) error {
		e.(*knowledge.Person).Summary = "vandalised"
		return nil
	})
	if knowledge.ErrorCode(err) != knowledge.CodeNotFound {
		t.Fatalf("another server's edit: %v", err)
	}
	if _, _, err := s.History(ctx, modB, id); knowledge.ErrorCode(err) != knowledge.CodeNotFound {
		t.Fatalf("another server's history: %v", err)
	}
	if _, err := s.AddClaim(ctx, change(modB, knowledge.ActionAdd, ""), knowledge.ClaimInput{Person: id, Quote: "x", Source: "https://e.example"}); knowledge.ErrorCode(err) != knowledge.CodeInvalid {
		t.Fatalf("another server's claim about it: %v", err)
	}
	// The same name in another server is another person.
	id2, err := s.Add(ctx, change(modB, knowledge.ActionAdd, ""), &knowledge.Person{Name: "Jane Doe"})
	if err != nil || id2 == id {
		t.Fatalf("second Jane Doe: %q %v", id2, err)
	}
}

func TestRightsToWrite(t *testing.T) {
	ctx := context.Background()
	s := openSeeded(t)
	tests := []struct {
		name  string
		actor knowledge.Actor
		code  knowledge.Code
	}{
		{"member", member, knowledge.CodeForbidden},
		{"moderator in a DM", knowledge.Actor{UserID: "1", Rank: knowledge.RankModerator}, knowledge.CodeForbidden},
		{"moderator", modA, ""},
		{"owner", owner, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.Add(ctx, change(tc.actor, knowledge.ActionAdd, ""), &knowledge.Organisation{Name: "Committee " + tc.name, Kind: knowledge.OrgCommittee})
			if knowledge.ErrorCode(err) != tc.code {
				t.Fatalf("add: %v, want code %q", err, tc.code)
			}
		})
	}
	// Only owners change the shared record.
	edit := func(a knowledge.Actor) error {
		return s.Edit(ctx, change(a, knowledge.ActionEdit, ""), "p-hugh-ind", 0, func(e knowledge.Entry) error {
			e.(*knowledge.Person).Summary += " Edited."
			return nil
		})
	}
	if err := edit(modA); knowledge.ErrorCode(err) != knowledge.CodeForbidden || !strings.Contains(knowledge.ErrorMessage(err), "owners") {
		t.Fatalf("moderator editing the seed: %v", err)
	}
	if err := edit(owner); err != nil {
		t.Fatalf("owner editing the seed: %v", err)
	}
	pp, err := s.PersonProfile(ctx, knowledge.Scope{Guild: "7"}, "p-hugh-ind")
	if err != nil || !strings.HasSuffix(pp.Person.Summary, "Edited.") {
		t.Fatalf("an owner's edit is not seen everywhere: %v", err)
	}
}

func TestHistoryRevertRetractRestore(t *testing.T) {
	ctx := context.Background()
	s := openSeeded(t)
	id, err := s.Add(ctx, change(modA, knowledge.ActionAdd, ""), &knowledge.Person{Name: "Jane Doe", Summary: "First."})
	if err != nil {
		t.Fatal(err)
	}
	for _, summary := range []string{"Second.", "Third."} {
		err := s.Edit(ctx, change(modA, knowledge.ActionEdit, "better wording"), id, 0, func(e knowledge.Entry) error {
			e.(*knowledge.Person).Summary = summary
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	// A stale edit (version 1 opened, record now at 3) is refused.
	err = s.Edit(ctx, change(modA, knowledge.ActionEdit, ""), id, 1, func(e knowledge.Entry) error { return nil })
	if knowledge.ErrorCode(err) != knowledge.CodeConflict {
		t.Fatalf("stale edit: %v", err)
	}
	if err := s.Revert(ctx, change(modA, knowledge.ActionRevert, "back to the first"), id, 1); err != nil {
		t.Fatal(err)
	}
	vs, label, err := s.History(ctx, modA, id)
	if err != nil {
		t.Fatal(err)
	}
	if label != "Jane Doe" || len(vs) != 4 || vs[0].Version != 4 || vs[0].Action != knowledge.ActionRevert || vs[3].Version != 1 {
		t.Fatalf("history %+v", vs)
	}
	if !strings.Contains(vs[0].Data, `"First."`) || !strings.Contains(vs[1].Data, `"Third."`) || vs[1].Reason != "better wording" || vs[1].By != modA.UserID {
		t.Fatalf("versions do not hold what was written: %+v", vs[:2])
	}
	if _, err := s.Retract(ctx, change(modA, knowledge.ActionRetract, ""), id); knowledge.ErrorCode(err) != knowledge.CodeInvalid {
		t.Fatalf("retract without a reason: %v", err)
	}
	if _, err := s.Retract(ctx, change(modA, knowledge.ActionRetract, "duplicate entry"), id); err != nil {
		t.Fatal(err)
	}
	if found(t, s, knowledge.Scope{Guild: "42"}, "Jane Doe") != "" {
		t.Fatal("a retracted person is still found")
	}
	ds, err := s.Export(ctx, &knowledge.Scope{Guild: "42"})
	if err != nil {
		t.Fatal(err)
	}
	kept := false
	for _, p := range ds.People {
		kept = kept || (p.ID == id && p.Retracted != nil && p.Retracted.Reason == "duplicate entry")
	}
	if !kept {
		t.Fatal("the export lost the retracted record or its reason")
	}
	if _, err := s.Restore(ctx, change(modA, knowledge.ActionRestore, ""), id); err != nil {
		t.Fatal(err)
	}
	if found(t, s, knowledge.Scope{Guild: "42"}, "Jane Doe") != id {
		t.Fatal("a restored person is not found")
	}
	audit, err := s.Audit(ctx, modA, knowledge.AuditFilter{Record: id})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, a := range audit {
		actions = append(actions, string(a.Action))
		if a.Interaction != "5555" || a.Actor != modA.UserID {
			t.Fatalf("audit row lacks who or the interaction: %+v", a)
		}
	}
	if strings.Join(actions, ",") != "restore,retract,revert,edit,edit,add" {
		t.Fatalf("audit actions %v", actions)
	}
}

func TestHideASharedRecordInOneServer(t *testing.T) {
	ctx := context.Background()
	s := openSeeded(t)
	hidden, err := s.Retract(ctx, change(modA, knowledge.ActionRetract, "not relevant here"), "p-philip-davies")
	if err != nil || !hidden {
		t.Fatalf("hide: %v %v", hidden, err)
	}
	if found(t, s, knowledge.Scope{Guild: "42"}, "Philip Davies") != "" {
		t.Fatal("hidden record still shows in the server that hid it")
	}
	if found(t, s, knowledge.Scope{Guild: "7"}, "Philip Davies") == "" || found(t, s, knowledge.Scope{}, "Philip Davies") == "" {
		t.Fatal("one server's hide reached another")
	}
	if _, err := s.Retract(ctx, change(member, knowledge.ActionRetract, "x"), "p-hugh-ind"); knowledge.ErrorCode(err) != knowledge.CodeForbidden {
		t.Fatalf("a member hid a record: %v", err)
	}
	unhidden, err := s.Restore(ctx, change(modA, knowledge.ActionRestore, ""), "p-philip-davies")
	if err != nil || !unhidden || found(t, s, knowledge.Scope{Guild: "42"}, "Philip Davies") == "" {
		t.Fatalf("unhide: %v %v", unhidden, err)
	}
}

func TestAuditIsAppendOnly(t *testing.T) {
	ctx := context.Background()
	path := t.TempDir() + "/kb.db"
	s, err := db.Open(ctx, path, db.Options{Seed: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Add(ctx, change(modA, knowledge.ActionAdd, ""), &knowledge.Person{Name: "Jane Doe"}); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"UPDATE audit SET actor = 'someone else'", "DELETE FROM audit"} {
		if err := s.ExecForTest(ctx, q); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Fatalf("%s: %v", q, err)
		}
	}
	s.Close()
}

func TestAddClaimAndEvidenceNeedSources(t *testing.T) {
	ctx := context.Background()
	s := openSeeded(t)
	ch := change(modA, knowledge.ActionAdd, "")
	tests := []struct {
		name  string
		in    knowledge.ClaimInput
		field string // "" for accepted
	}{
		{"words in the article", knowledge.ClaimInput{Person: "p-amber-rudd", Quote: "I will work to ensure that our immigration policy is fair", Source: "d-article"}, ""},
		{"url with the words", knowledge.ClaimInput{Person: "p-diane-abbott", Quote: "She must go", Source: "https://news.example/abbott", Date: "2018-04-27"}, ""},
		{"words not in the article", knowledge.ClaimInput{Person: "p-amber-rudd", Quote: "I resign", Source: "d-article"}, "quote"},
		{"no source", knowledge.ClaimInput{Person: "p-amber-rudd", Quote: "I resign", Source: "the pub"}, "source"},
		{"javascript url", knowledge.ClaimInput{Person: "p-amber-rudd", Quote: "x", Source: "javascript:alert(1)"}, "source"},
		{"unknown person", knowledge.ClaimInput{Person: "p-nobody", Quote: "x", Source: "https://e.example"}, "person"},
		{"bad date", knowledge.ClaimInput{Person: "p-amber-rudd", Quote: "x", Source: "https://e.example", Date: "2018-02-30"}, "date"},
		{"empty quote", knowledge.ClaimInput{Person: "p-amber-rudd", Quote: "  ", Source: "https://e.example"}, "quote"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before, _ := s.Stats(ctx, knowledge.Scope{Guild: "42"})
			id, err := s.AddClaim(ctx, ch, tc.in)
			if tc.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				c, err := s.Claim(ctx, knowledge.Scope{Guild: "42"}, id)
				if err != nil || c.Words != strings.TrimSpace(tc.in.Quote) {
					t.Fatalf("claim %v %v", c, err)
				}
				if c.Source == nil && c.SourceURL == "" {
					t.Fatal("a claim without its source")
				}
				return
			}
			var ke *knowledge.Error
			if !asError(err, &ke) || ke.Code != knowledge.CodeInvalid || ke.Field != tc.field {
				t.Fatalf("error %v, want invalid %s", err, tc.field)
			}
			after, _ := s.Stats(ctx, knowledge.Scope{Guild: "42"})
			if after["claim"] != before["claim"] || after["excerpt"] != before["excerpt"] || after["document"] != before["document"] {
				t.Fatalf("a refused claim wrote records: %v → %v", before, after)
			}
		})
	}
	id, err := s.AddEvidence(ctx, ch, knowledge.EvidenceInput{Claim: "c-rudd-tweet", Relation: knowledge.RelContradicts,
		Source: "https://news.example/memo-leak", Excerpt: "She read it on 3 July", Rationale: "A reported reading of the memo."})
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.Claim(ctx, knowledge.Scope{Guild: "42"}, "c-rudd-tweet")
	if err != nil {
		t.Fatal(err)
	}
	if c.Status != knowledge.StatusContradicted || c.Evidence[0].ID != id || c.Evidence[0].Document.URL != "https://news.example/memo-leak" {
		t.Fatalf("the server's evidence did not change the status here: %+v", c.Evidence)
	}
	other, err := s.Claim(ctx, knowledge.Scope{Guild: "7"}, "c-rudd-tweet")
	if err != nil || other.Status != knowledge.StatusUnverified {
		t.Fatalf("server 42's evidence changed the status in server 7: %v %v", other.Status, err)
	}
}

func asError(err error, target **knowledge.Error) bool { return errors.As(err, target) }

func TestSuggestionQueue(t *testing.T) {
	ctx := context.Background()
	s := openSeeded(t)
	memberCh := change(member, knowledge.ActionSuggest, "")
	if _, err := s.QueueSuggestion(ctx, memberCh, knowledge.Suggestion{Person: "p-amber-rudd", Quote: "x", Source: "not a source"}); knowledge.ErrorCode(err) != knowledge.CodeInvalid {
		t.Fatalf("bad source accepted: %v", err)
	}
	a, err := s.QueueSuggestion(ctx, memberCh, knowledge.Suggestion{Person: "p-amber-rudd", Quote: "I take full responsibility", Source: "https://news.example/rudd"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.QueueSuggestion(ctx, memberCh, knowledge.Suggestion{Person: "p-hugh-ind", Quote: "Targets help us plan", Source: "https://news.example/ind"})
	if err != nil {
		t.Fatal(err)
	}
	if sg, n, err := s.NextSuggestion(ctx, modB); err != nil || sg != nil || n != 0 {
		t.Fatalf("another server sees this server's queue: %v %d %v", sg, n, err)
	}
	sg, n, err := s.NextSuggestion(ctx, modA)
	if err != nil || n != 2 || sg.ID != a || sg.By != member.UserID {
		t.Fatalf("next %+v %d %v", sg, n, err)
	}
	if _, err := s.Decide(ctx, change(member, knowledge.ActionApprove, ""), a, true); knowledge.ErrorCode(err) != knowledge.CodeForbidden {
		t.Fatalf("a member approved: %v", err)
	}
	if _, err := s.Decide(ctx, change(modB, knowledge.ActionApprove, ""), a, true); knowledge.ErrorCode(err) != knowledge.CodeNotFound {
		t.Fatalf("another server approved: %v", err)
	}
	claimID, err := s.Decide(ctx, change(modA, knowledge.ActionApprove, ""), a, true)
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.Claim(ctx, knowledge.Scope{Guild: "42"}, claimID)
	if err != nil || c.SuggestedBy != member.UserID || c.SourceURL != "https://news.example/rudd" {
		t.Fatalf("approved claim %+v %v", c, err)
	}
	if _, err := s.Decide(ctx, change(modA, knowledge.ActionReject, ""), b, false); knowledge.ErrorCode(err) != knowledge.CodeInvalid {
		t.Fatalf("rejected without a reason: %v", err)
	}
	if _, err := s.Decide(ctx, change(modA, knowledge.ActionReject, "no such quote at that page"), b, false); err != nil {
		t.Fatal(err)
	}
	if sg, _, _ := s.NextSuggestion(ctx, modA); sg != nil {
		t.Fatalf("the queue is not empty: %+v", sg)
	}
	audit, _ := s.Audit(ctx, modA, knowledge.AuditFilter{})
	if audit[0].Action != knowledge.ActionReject || audit[1].Action != knowledge.ActionApprove || audit[1].Credit != member.UserID {
		t.Fatalf("audit %+v", audit[:2])
	}
	if err := s.SaveSettings(ctx, change(modA, knowledge.ActionSettings, ""), knowledge.Settings{SuggestionsOpen: false}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.QueueSuggestion(ctx, memberCh, knowledge.Suggestion{Person: "p-amber-rudd", Quote: "x", Source: "https://e.example"}); knowledge.ErrorCode(err) != knowledge.CodeForbidden {
		t.Fatalf("suggestion while closed: %v", err)
	}
}

func TestImportIntoAServer(t *testing.T) {
	ctx := context.Background()
	s := openSeeded(t)
	if _, err := s.Add(ctx, change(modA, knowledge.ActionAdd, ""), &knowledge.Person{Name: "Jane Doe", Summary: "An MP."}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddClaim(ctx, change(modA, knowledge.ActionAdd, ""), knowledge.ClaimInput{Person: "p-jane-doe", Quote: "We will", Source: "https://e.example/j"}); err != nil {
		t.Fatal(err)
	}
	exported, err := s.Export(ctx, &knowledge.Scope{Guild: "42"})
	if err != nil {
		t.Fatal(err)
	}
	// Into server 7: the ids server 42 holds are renamed, references follow.
	rep, err := s.ImportInto(ctx, change(modB, knowledge.ActionImport, ""), exported)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Added == 0 || rep.Renamed["p-jane-doe"] == "" {
		t.Fatalf("report %+v", rep)
	}
	if found(t, s, knowledge.Scope{Guild: "7"}, "Jane Doe") != rep.Renamed["p-jane-doe"] || found(t, s, knowledge.Scope{Guild: "42"}, "Jane Doe") != "p-jane-doe" {
		t.Fatal("the imported person is not server 7's own, or server 42 lost theirs")
	}
	page, err := s.Claims(ctx, knowledge.Scope{Guild: "7"}, knowledge.ClaimQuery{Speaker: rep.Renamed["p-jane-doe"]})
	if err != nil || page.Total != 1 {
		t.Fatalf("the imported claim does not follow its renamed speaker: %+v %v", page, err)
	}
	// Importing it again changes nothing.
	again, err := s.Export(ctx, &knowledge.Scope{Guild: "7"})
	if err != nil {
		t.Fatal(err)
	}
	rep2, err := s.ImportInto(ctx, change(modB, knowledge.ActionImport, ""), again)
	if err != nil || rep2.Added != 0 || rep2.Updated != 0 {
		t.Fatalf("re-import %+v %v", rep2, err)
	}
	// A shared record that differs is refused, and nothing is written.
	for i := range again.People {
		if again.People[i].ID == "p-hugh-ind" {
			again.People[i].Summary = "Rewritten by a server."
		}
	}
	before, _ := s.Stats(ctx, knowledge.Scope{Guild: "7"})
	_, err = s.ImportInto(ctx, change(modB, knowledge.ActionImport, ""), again)
	if knowledge.ErrorCode(err) != knowledge.CodeInvalid || !strings.Contains(knowledge.ErrorMessage(err), "p-hugh-ind") {
		t.Fatalf("changed shared record: %v", err)
	}
	after, _ := s.Stats(ctx, knowledge.Scope{Guild: "7"})
	if before["person"] != after["person"] {
		t.Fatal("a refused import wrote")
	}
	pp, _ := s.PersonProfile(ctx, knowledge.Scope{}, "p-hugh-ind")
	if strings.Contains(pp.Person.Summary, "Rewritten") {
		t.Fatal("a server's import changed the shared record")
	}
}
