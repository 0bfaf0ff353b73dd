package db_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/onrecord/onrecord/db"
	"github.com/onrecord/onrecord/knowledge"
	"github.com/onrecord/onrecord/knowledge/extract"
)

const ingestReport = "Rudd faces fresh questions\n\n" +
	"\"We will not resign,\" Amber Rudd told MPs.\n\n" +
	"Diane Abbott said: \"This is a cover-up.\"\n\n" +
	"She added: \"The home secretary misled Parliament.\"\n\n" +
	"\"I wasn't aware of specific removal targets,\" Rudd said again.\n\n" +
	"A Home Office source said: \"Nobody saw the memo.\"\n"

// ingest reads report as actor would through /kb ingest: the real
// extractor, resolving speakers through the store.
func ingest(t *testing.T, s *db.Store, actor knowledge.Actor, url, text string) knowledge.IngestReport {
	t.Helper()
	ctx := context.Background()
	dir := extract.NewFuncDirectory(func(name string) ([]knowledge.Candidate, error) { return s.PeopleNamed(ctx, actor.Scope(), name) })
	var ps []knowledge.Proposal
	for _, p := range extract.New().Extract(text, dir) {
		kp := knowledge.Proposal{Start: p.Start, End: p.End, Quote: p.Quote, Form: knowledge.ClaimForm(p.Kind), Speaker: p.SpeakerID,
			SpeakerText: p.SpeakerText, Cue: p.Cue, Medium: p.Medium, Venue: p.Venue, Attribution: p.Attribution, Confidence: p.Confidence, Reason: p.Reason}
		if p.Speaker != nil {
			kp.SpeakerName = *p.Speaker
		}
		if p.Document != nil {
			kp.SpeakerDoc = *p.Document
		}
		ps = append(ps, kp)
	}
	if dir.Err() != nil {
		t.Fatal(dir.Err())
	}
	rep, err := s.Ingest(ctx, change(actor, knowledge.ActionIngest, ""), knowledge.IngestInput{Title: "Rudd faces fresh questions", URL: url, Date: "2018-04-28", Text: text, Proposals: ps})
	if err != nil {
		t.Fatalf("ingest: %v", err)
	}
	return rep
}

// claimsBy returns the words of the claims visible in scope by person.
func claimsBy(t *testing.T, s *db.Store, scope knowledge.Scope, person string) []string {
	t.Helper()
	page, err := s.Claims(context.Background(), scope, knowledge.ClaimQuery{Speaker: person, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, c := range page.Items {
		out = append(out, c.Words)
	}
	return out
}

func TestIngestQueuesAndPublishesNothing(t *testing.T) {
	ctx := context.Background()
	s := openSeeded(t)
	here := knowledge.Scope{Guild: modA.GuildID}
	before := claimsBy(t, s, here, "p-diane-abbott")
	rep := ingest(t, s, modA, "https://example.org/rudd", ingestReport)
	if rep.Queued != 5 || rep.Duplicates != 1 || rep.Document == "" {
		t.Fatalf("report %+v", rep)
	}
	if got := claimsBy(t, s, here, "p-diane-abbott"); len(got) != len(before) {
		t.Fatalf("published before review: %v", got)
	}
	// The report is a document of this server, with its text.
	dp, err := s.DocumentProfile(ctx, here, rep.Document)
	if err != nil || dp.Document.URL != "https://example.org/rudd" {
		t.Fatalf("document %+v %v", dp, err)
	}
	if _, err := s.DocumentProfile(ctx, knowledge.Scope{Guild: modB.GuildID}, rep.Document); knowledge.ErrorCode(err) != knowledge.CodeNotFound {
		t.Fatalf("another server sees the report: %v", err)
	}
	// The same report again is refused.
	_, err = s.Ingest(ctx, change(modA, knowledge.ActionIngest, ""), knowledge.IngestInput{Title: "x", URL: "https://example.org/rudd", Text: ingestReport})
	if knowledge.ErrorCode(err) != knowledge.CodeConflict {
		t.Fatalf("second ingest of one URL: %v", err)
	}
	// The queue, in order, with the words in their paragraph.
	p, pending, inBatch, err := s.NextProposal(ctx, modA)
	if err != nil || p == nil || pending != 5 || inBatch != 5 {
		t.Fatalf("next %+v %d %d %v", p, pending, inBatch, err)
	}
	if p.Quote != "We will not resign" || p.Speaker != "p-amber-rudd" || p.DocumentTitle != "Rudd faces fresh questions" || !strings.Contains(p.Context, p.Quote) || ingestReport[p.ContextStart:p.ContextStart+len(p.Context)] != p.Context {
		t.Fatalf("first proposal %+v", p)
	}
	if q, _, _, err := s.NextProposal(ctx, modB); err != nil || q != nil {
		t.Fatalf("another server's queue holds %+v %v", q, err)
	}
}

func TestProposalDecisions(t *testing.T) {
	for _, scan := range []int{500, 0} {
		t.Run(fmt.Sprintf("duplicates found by %s", map[bool]string{true: "reading the speaker's claims", false: "full-text search"}[scan > 0]), func(t *testing.T) {
			testProposalDecisions(t, scan)
		})
	}
}

func testProposalDecisions(t *testing.T, scan int) {
	ctx := context.Background()
	s := openSeeded(t)
	s.SetScanWordsForTest(scan)
	here := knowledge.Scope{Guild: modA.GuildID}
	rep := ingest(t, s, modA, "https://example.org/rudd", ingestReport)
	first, _, _, err := s.NextProposal(ctx, modA)
	if err != nil || first == nil || first.Quote != "We will not resign" {
		t.Fatalf("first %+v %v", first, err)
	}
	if _, err := s.DecideProposal(ctx, change(member, knowledge.ActionApprove, ""), first.ID, true, ""); knowledge.ErrorCode(err) != knowledge.CodeForbidden {
		t.Fatalf("a member decided: %v", err)
	}
	if _, err := s.DecideProposal(ctx, change(modB, knowledge.ActionApprove, ""), first.ID, true, ""); knowledge.ErrorCode(err) != knowledge.CodeNotFound {
		t.Fatalf("another server decided: %v", err)
	}
	claim, err := s.DecideProposal(ctx, change(modA, knowledge.ActionApprove, ""), first.ID, true, "")
	if err != nil {
		t.Fatal(err)
	}
	cv, err := s.Claim(ctx, here, claim)
	if err != nil || cv.Words != "We will not resign" || cv.Speaker == nil || cv.Speaker.ID != "p-amber-rudd" || cv.Attribution != knowledge.AttrStated {
		t.Fatalf("claim %+v %v", cv, err)
	}
	if cv.Medium != "told MPs" || cv.Date != "2018-04-28" {
		t.Errorf("medium %q date %q", cv.Medium, cv.Date)
	}
	if _, err := s.DecideProposal(ctx, change(modA, knowledge.ActionApprove, ""), first.ID, true, ""); knowledge.ErrorCode(err) != knowledge.CodeInvalid {
		t.Fatalf("approved twice: %v", err)
	}
	if _, err := s.Claim(ctx, knowledge.Scope{Guild: modB.GuildID}, claim); knowledge.ErrorCode(err) != knowledge.CodeNotFound {
		t.Fatalf("another server sees the approved claim: %v", err)
	}

	// Bulk: only the stated, on-record ones; the duplicate becomes another appearance.
	n, err := s.DecideBatch(ctx, change(modA, knowledge.ActionApprove, ""), rep.Batch, true)
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Fatalf("bulk approved %d, want 2 (Abbott's stated quote and Rudd's repeated one)", n)
	}
	tweet, err := s.Claim(ctx, here, "c-rudd-tweet")
	if err != nil {
		t.Fatal(err)
	}
	linked := false
	for _, ev := range tweet.Evidence {
		linked = linked || (ev.Relation == knowledge.RelReports && ev.Excerpt != nil && ev.Excerpt.Document.ID == rep.Document)
	}
	if !linked {
		t.Fatalf("the repeated words were not linked to c-rudd-tweet: %+v", tweet.Evidence)
	}
	if got := claimsBy(t, s, here, "p-amber-rudd"); strings.Count(strings.Join(got, "|"), "I wasn't aware of specific removal targets") != 1 {
		t.Fatalf("the same words by the same person were added twice: %v", got)
	}
	// Left: the pronoun (inferred) and the unnamed source, one by one.
	p, pending, _, err := s.NextProposal(ctx, modA)
	if err != nil || pending != 2 || p.Quote != "The home secretary misled Parliament." || p.Attribution != knowledge.AttrInferred {
		t.Fatalf("left %+v %d %v", p, pending, err)
	}
	c2, err := s.DecideProposal(ctx, change(modA, knowledge.ActionApprove, ""), p.ID, true, "")
	if err != nil {
		t.Fatal(err)
	}
	cv2, err := s.Claim(ctx, here, c2)
	if err != nil || cv2.Attribution != knowledge.AttrInferred || !strings.Contains(cv2.AttributionReason, "Diane Abbott") {
		t.Fatalf("inferred claim %+v %v", cv2, err)
	}
	src, _, _, err := s.NextProposal(ctx, modA)
	if err != nil || src.SpeakerName != "a Home Office source" || src.Speaker != "" {
		t.Fatalf("unnamed source %+v %v", src, err)
	}
	if _, err := s.DecideProposal(ctx, change(modA, knowledge.ActionApprove, ""), src.ID, true, ""); knowledge.ErrorCode(err) != knowledge.CodeInvalid {
		t.Fatalf("approved with nobody on record as the speaker: %v", err)
	}
	if _, err := s.DecideProposal(ctx, change(modA, knowledge.ActionApprove, ""), src.ID, true, "p-nobody"); knowledge.ErrorCode(err) != knowledge.CodeInvalid {
		t.Fatalf("approved with a speaker not on record: %v", err)
	}
	// Named on review: a person on record, by inference, with the reason.
	c3, err := s.DecideProposal(ctx, change(modA, knowledge.ActionApprove, ""), src.ID, true, "p-hugh-ind")
	if err != nil {
		t.Fatal(err)
	}
	cv3, err := s.Claim(ctx, here, c3)
	if err != nil || cv3.Speaker == nil || cv3.Speaker.ID != "p-hugh-ind" || cv3.Attribution != knowledge.AttrInferred ||
		!strings.Contains(cv3.AttributionReason, "A moderator named the speaker on review") || !strings.Contains(cv3.AttributionReason, "A Home Office source") {
		t.Fatalf("claim named on review %+v %v", cv3, err)
	}
	if p, pending, _, err := s.NextProposal(ctx, modA); err != nil || p != nil || pending != 0 {
		t.Fatalf("queue not empty: %+v %d %v", p, pending, err)
	}
	// A second report, rejected whole: nothing of it is published.
	rep2 := ingest(t, s, modA, "https://example.org/second", "Diane Abbott said: \"This is a second report.\"\n\nA minister said: \"No comment at all today.\"\n")
	if n, err := s.DecideBatch(ctx, change(modB, knowledge.ActionReject, ""), rep2.Batch, false); err != nil || n != 0 {
		t.Fatalf("another server rejected %d: %v", n, err)
	}
	if n, err := s.DecideBatch(ctx, change(modA, knowledge.ActionReject, ""), rep2.Batch, false); err != nil || n != 2 {
		t.Fatalf("rejected %d, want 2: %v", n, err)
	}
	if p, _, _, err := s.NextProposal(ctx, modA); err != nil || p != nil {
		t.Fatalf("queue not empty after rejecting the rest: %+v %v", p, err)
	}
	if got := claimsBy(t, s, here, "p-diane-abbott"); strings.Contains(strings.Join(got, "|"), "second report") {
		t.Fatal("a rejected report was published")
	}
	// Every approval left an audit row.
	entries, err := s.Audit(ctx, modA, knowledge.AuditFilter{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	counts := map[knowledge.Action]int{}
	for _, e := range entries {
		counts[e.Action]++
	}
	if counts[knowledge.ActionIngest] != 2 || counts[knowledge.ActionApprove] != 5 || counts[knowledge.ActionReject] != 2 {
		t.Fatalf("audit %v", counts)
	}
}

func TestIngestRefusesBadInput(t *testing.T) {
	ctx := context.Background()
	s := openSeeded(t)
	for _, tc := range []struct {
		name  string
		actor knowledge.Actor
		in    knowledge.IngestInput
		code  knowledge.Code
	}{
		{"member", member, knowledge.IngestInput{Title: "t", URL: "https://e.example/a", Text: "x"}, knowledge.CodeForbidden},
		{"no url", modA, knowledge.IngestInput{Title: "t", Text: "x"}, knowledge.CodeInvalid},
		{"javascript url", modA, knowledge.IngestInput{Title: "t", URL: "javascript:alert(1)", Text: "x"}, knowledge.CodeInvalid},
		{"empty text", modA, knowledge.IngestInput{Title: "t", URL: "https://e.example/a", Text: "  \n"}, knowledge.CodeInvalid},
		{"not utf-8", modA, knowledge.IngestInput{Title: "t", URL: "https://e.example/a", Text: "\xff\xfe"}, knowledge.CodeInvalid},
		{"bad date", modA, knowledge.IngestInput{Title: "t", URL: "https://e.example/a", Text: "x", Date: "28/04/2018"}, knowledge.CodeInvalid},
		{"offsets off the text", modA, knowledge.IngestInput{Title: "t", URL: "https://e.example/a", Text: "x",
			Proposals: []knowledge.Proposal{{Start: 0, End: 5, Quote: "hello"}}}, knowledge.CodeInternal},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.Ingest(ctx, change(tc.actor, knowledge.ActionIngest, ""), tc.in)
			if knowledge.ErrorCode(err) != tc.code {
				t.Fatalf("got %v, want %s", err, tc.code)
			}
			if _, err := s.DocumentProfile(ctx, tc.actor.Scope(), "d-t"); knowledge.ErrorCode(err) != knowledge.CodeNotFound {
				t.Fatalf("a refused ingest wrote its document: %v", err)
			}
		})
	}
}

// TestManyRecordsOfOneName adds more records of one title than the
// numbered ids once allowed (1,000): a daily live blog's title.
func TestManyRecordsOfOneName(t *testing.T) {
	if testing.Short() {
		t.Skip("adds 1,005 documents")
	}
	ctx := context.Background()
	s := openSeeded(t)
	var last string
	for i := range 1005 {
		id, err := s.AddDocument(ctx, change(modA, knowledge.ActionAdd, ""), knowledge.DocumentInput{Title: "Politics live", Kind: knowledge.DocArticle})
		if err != nil {
			t.Fatalf("document %d: %v", i+1, err)
		}
		last = id
	}
	if last != "d-politics-live-1004" {
		t.Fatalf("the 1,005th is %q", last)
	}
}

// TestIngestHostileReport reads a report with everything a careless or
// hostile paste holds (markdown, mass mentions, control characters, CR
// line ends, right-to-left text, emoji, zero-width characters, a quotation
// longer than a statement may be) and approves every proposal it can: no
// internal error, nothing unchecked, and the database stays whole.
func TestIngestHostileReport(t *testing.T) {
	ctx := context.Background()
	s := openSeeded(t)
	raw := "**BREAKING** @everyone\r\n\r\n" +
		"Amber Rudd said: \"We will *never* resign\x00 @here <@123> `code`.\"\r\n" +
		"Diane Abbott said: \"\u202eThis is \u202ereversed\u202c and \U0001F600 fine\u200b.\"\r\n" +
		"A Home Office source said: \"שלום — مرحبا, nobody read it.\"\r\n" +
		"Hugh Ind said: \"" + strings.Repeat("targets ", 300) + "\"\r\n" +
		"Brandon Lewis said: \"Ignore previous instructions'); DROP TABLE records; --\"\u2028"
	text := knowledge.CleanText(raw)
	if _, err := s.Ingest(ctx, change(modA, knowledge.ActionIngest, ""), knowledge.IngestInput{Title: "t", URL: "https://e.example/raw", Text: raw}); knowledge.ErrorCode(err) != knowledge.CodeInvalid {
		t.Fatalf("uncleaned text: %v", err)
	}
	rep := ingest(t, s, modA, "https://e.example/hostile", text)
	if rep.TooLong != 1 {
		t.Errorf("the 2,400-character quotation: %+v", rep)
	}
	if _, err := s.DecideBatch(ctx, change(modA, knowledge.ActionApprove, ""), rep.Batch, true); err != nil {
		t.Fatalf("bulk approval: %v", err)
	}
	for {
		p, _, _, err := s.NextProposal(ctx, modA)
		if err != nil {
			t.Fatal(err)
		}
		if p == nil {
			break
		}
		_, err = s.DecideProposal(ctx, change(modA, knowledge.ActionApprove, ""), p.ID, true, "p-hugh-ind")
		if knowledge.ErrorCode(err) == knowledge.CodeInternal {
			t.Fatalf("approving %q: %v", p.Quote, err)
		}
		if err != nil {
			if _, err := s.DecideProposal(ctx, change(modA, knowledge.ActionReject, ""), p.ID, false, ""); err != nil {
				t.Fatal(err)
			}
		}
	}
	got := claimsBy(t, s, knowledge.Scope{Guild: modA.GuildID}, "p-brandon-lewis")
	if !strings.Contains(strings.Join(got, "|"), "DROP TABLE records") {
		t.Fatalf("the SQL-looking words were not kept verbatim: %v", got)
	}
}
