package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/onrecord/onrecord/bot/discordtest"
)

// followUp is a report as a moderator would paste it: people on record,
// one of them repeating words already on record, a pronoun, an unnamed
// source, a scare quote, and markdown and a mass mention in the text.
const followUp = "Rudd under pressure as memo row grows\n\n" +
	"Hugh Ind said: \"The summaries went to the home secretary's office every month.\"\n\n" +
	"Diane Abbott said the memo proved that the home secretary had misled MPs.\n\n" +
	"\"I wasn't aware of specific removal targets,\" Amber Rudd repeated on Saturday.\n\n" +
	"She added: \"I have asked officials to review **every** case. @everyone deserves that.\"\n\n" +
	"A Home Office source said: \"Nobody read the memo line by line.\"\n\n" +
	"Critics called it a \"smoking gun\".\n"

// TestIngestAndReview walks a moderator through /kb ingest as Discord
// would deliver it: the report is read, nothing is published, the stated
// quotations are approved in one press, the inferred one after reading
// it, the unnamed source rejected; every answer is one Discord accepts.
func TestIngestAndReview(t *testing.T) {
	dbPath := newDB(t)
	report := filepath.Join(t.TempDir(), "follow-up.txt")
	if err := os.WriteFile(report, []byte(followUp), 0o600); err != nil {
		t.Fatal(err)
	}
	schema, err := discordtest.LoadSchema()
	if err != nil {
		t.Fatal(err)
	}
	ask := func(args ...string) string {
		t.Helper()
		r := onrecord(t, nil, "", append([]string{"ask", "--json", "--db", dbPath, "--as", "moderator", "--guild", "42"}, args...)...)
		if r.code != 0 {
			t.Fatalf("%v: exit %d %s", args, r.code, r.stderr)
		}
		if err := schema.ValidateCallback([]byte(r.stdout)); err != nil {
			t.Fatalf("%v: Discord would refuse the answer: %v\n%s", args, err, r.stdout)
		}
		var resp struct {
			Type int `json:"type"`
			Data struct {
				AllowedMentions *struct {
					Parse []string `json:"parse"`
				} `json:"allowed_mentions"`
			} `json:"data"`
		}
		if json.Unmarshal([]byte(r.stdout), &resp) == nil && resp.Type != 9 && (resp.Data.AllowedMentions == nil || len(resp.Data.AllowedMentions.Parse) != 0) {
			t.Fatalf("%v: the answer may ping people: %s", args, r.stdout)
		}
		return r.stdout
	}
	claimsOf := func(person string) string {
		t.Helper()
		r := onrecord(t, nil, "", "ask", "--db", dbPath, "--guild", "42", "/claims person:"+person)
		return r.stdout
	}

	first := ask("--attach", report, "/kb ingest url:https://example.org/memo-row date:2018-04-28")
	for _, want := range []string{"Read **Rudd under pressure as memo row grows**", "5 quotations and reported statements proposed",
		"Nothing of it is published until a moderator approves it", "Proposed from a report", "From **Rudd under pressure as memo row grows**", "Hugh Ind", `"ephemeral"`} {
		if !strings.Contains(first, want) && !(want == `"ephemeral"` && strings.Contains(first, `"flags": 64`)) {
			t.Errorf("the ingest answer lacks %q:\n%s", want, first)
		}
	}
	if strings.Contains(first, "smoking gun") {
		t.Errorf("a scare quote was proposed:\n%s", first)
	}
	if strings.Contains(claimsOf("Hugh Ind"), "summaries went") {
		t.Fatal("published before review")
	}
	// Another server sees neither the report's claims nor its queue.
	other := onrecord(t, nil, "", "ask", "--db", dbPath, "--as", "moderator", "--guild", "7", "/kb review")
	if !strings.Contains(other.stdout, "Nothing is waiting") {
		t.Fatalf("another server's queue: %s", other.stdout)
	}

	// One press approves the stated ones whose speakers are on record.
	next := ask("--component", customIDs(t, first)["Approve all stated"])
	if !strings.Contains(next, "Approved 3 statements from this report") {
		t.Fatalf("bulk approval:\n%s", next)
	}
	if got := claimsOf("Hugh Ind"); !strings.Contains(got, "The summaries went to the home secretary") {
		t.Fatalf("the approved quotation is not on record:\n%s", got)
	}
	if got := claimsOf("Diane Abbott"); !strings.Contains(got, "the memo proved that the home secretary had misled MPs") {
		t.Fatalf("the approved reported statement is not on record:\n%s", got)
	}
	// The repeated words are another appearance of the tweet, not a second claim.
	tweet := onrecord(t, nil, "", "ask", "--db", dbPath, "--guild", "42", "/claim c-rudd-tweet").stdout
	if !strings.Contains(tweet, "Also reported in") || !strings.Contains(tweet, "Rudd under pressure as memo row grows") {
		t.Fatalf("the repeated words were not linked to the tweet:\n%s", tweet)
	}
	if got := claimsOf("Amber Rudd"); !strings.Contains(got, "7 statements on record") {
		t.Fatalf("Amber Rudd's statements changed in number (the seed holds 7):\n%.300s", got)
	}

	// The inferred one waits, with its reason; approve it after reading.
	if !strings.Contains(next, "the report says “She”") || !strings.Contains(next, "Inferred") {
		t.Fatalf("the next proposal does not show the pronoun and why:\n%s", next)
	}
	if !strings.Contains(next, `\\*\\*every\\*\\*`) {
		t.Errorf("the report's markdown is not escaped:\n%s", next)
	}
	next = ask("--component", customIDs(t, next)["Approve"])
	if got := claimsOf("Amber Rudd"); !strings.Contains(got, "8 statements on record") || !strings.Contains(got, "I have asked officials to review") {
		t.Fatalf("the inferred quotation is not on record:\n%s", got)
	}
	// The unnamed source cannot be approved as it is: Approve is disabled,
	// and naming nobody on record is refused; reject it.
	if !strings.Contains(next, "a Home Office source") || !strings.Contains(next, `"disabled": true`) {
		t.Fatalf("the unnamed source:\n%s", next)
	}
	modal := ask("--component", customIDs(t, next)["Approve as…"])
	var m struct {
		Data struct {
			CustomID string `json:"custom_id"`
		} `json:"data"`
	}
	if err := json.Unmarshal([]byte(modal), &m); err != nil || m.Data.CustomID == "" {
		t.Fatalf("no form: %s", modal)
	}
	r := onrecord(t, nil, "", "ask", "--db", dbPath, "--as", "moderator", "--guild", "42", "--modal", m.Data.CustomID, "--field", "speaker=Boris Johnson")
	if !strings.Contains(r.stdout, "is not on record here") {
		t.Fatalf("naming nobody on record: %s %s", r.stdout, r.stderr)
	}
	// Named on review as someone on record: their statement, marked inferred.
	r = onrecord(t, nil, "", "ask", "--json", "--db", dbPath, "--as", "moderator", "--guild", "42", "--modal", m.Data.CustomID, "--field", "speaker=Hugh Ind")
	if r.code != 0 || !strings.Contains(r.stdout, "as said by `p-hugh-ind`") || !strings.Contains(r.stdout, "Nothing is waiting for review") {
		t.Fatalf("approving as Hugh Ind: %s %s", r.stdout, r.stderr)
	}
	if err := schema.ValidateCallback([]byte(r.stdout)); err != nil {
		t.Fatalf("Discord would refuse the answer: %v", err)
	}
	if got := claimsOf("Hugh Ind"); !strings.Contains(got, "Nobody read the memo line by line") || !strings.Contains(got, "Speaker inferred, not stated") {
		t.Fatalf("the statement named on review:\n%s", got)
	}
	// A second report, its proposals rejected in one press: none published.
	second := ask("/kb ingest url:https://example.org/second paste:Diane Abbott said: \"A second report says more.\" Amber Rudd said: \"Nothing more to add.\"")
	done := ask("--component", customIDs(t, second)["Reject the rest"])
	if !strings.Contains(done, "Rejected the 2 proposals left from this report") || !strings.Contains(done, "Nothing is waiting for review") {
		t.Fatalf("rejecting the rest:\n%s", done)
	}
	if got := claimsOf("Diane Abbott"); strings.Contains(got, "A second report says more") {
		t.Fatalf("a rejected proposal was published:\n%s", got)
	}
	// Nobody ingests in a direct message, where no queue can be reviewed.
	dm := onrecord(t, nil, "", "ask", "--db", dbPath, "--as", "owner", "--dm", "--attach", report, "/kb ingest url:https://example.org/dm")
	if !strings.Contains(dm.stdout, "use `/kb ingest` in your server") {
		t.Fatalf("ingest in a DM: %s", dm.stdout)
	}
	// Bad input is refused with what to fix, and nothing is written.
	for _, tc := range []struct{ line, want string }{
		{"/kb ingest url:javascript:alert(1) paste:Amber Rudd said: \"We will stay.\"", "http(s) URL"},
		{"/kb ingest url:https://example.org/empty paste:\"   \"", "give the report's text"},
		{"/kb ingest url:https://example.org/date paste:Rudd said: \"x\" date:28/04/2018", "use YYYY-MM-DD"},
		{"/kb ingest url:https://example.org/memo-row paste:Amber Rudd said: \"Again.\"", "on record already"},
	} {
		r := onrecord(t, nil, "", "ask", "--db", dbPath, "--as", "moderator", "--guild", "42", tc.line)
		if r.code != 0 || !strings.Contains(r.stdout, tc.want) {
			t.Errorf("%s: exit %d %q, want a refusal saying %q", tc.line, r.code, r.stdout+r.stderr, tc.want)
		}
	}
	if got := onrecord(t, nil, "", "ask", "--db", dbPath, "--as", "moderator", "--guild", "42", "/kb review").stdout; !strings.Contains(got, "Nothing is waiting") {
		t.Fatalf("a refused ingest queued something: %s", got)
	}
	// A member cannot ingest.
	member := onrecord(t, nil, "", "ask", "--db", dbPath, "--guild", "42", "--attach", report, "/kb ingest url:https://example.org/other")
	if !strings.Contains(member.stdout, "needs a moderator") {
		t.Fatalf("a member ingested: %s", member.stdout)
	}
}
