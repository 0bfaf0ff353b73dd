package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/onrecord/onrecord/db"
	"github.com/onrecord/onrecord/knowledge"
)

const (
	guildA = "100000000000000001"
	guildB = "200000000000000002"
	ownerA = "300000000000000003"
)

// snapshot returns everything a write could change: every record, every
// server's settings.
func snapshot(t *testing.T, path string) string {
	t.Helper()
	ctx := context.Background()
	s, err := db.Open(ctx, path, db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ds, err := s.Export(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	knowledge.EncodeDataset(&b, ds)
	for _, g := range []string{guildA, guildB} {
		st, _ := s.Settings(ctx, g)
		j, _ := json.Marshal(st)
		b.Write(j)
	}
	for _, g := range []string{guildA, guildB} {
		res, _ := s.FindPerson(ctx, knowledge.Scope{Guild: g}, "p-hugh-ind")
		b.WriteString(g + ":" + strings.Repeat("visible", len(res.Best)))
	}
	sg, n, _ := s.NextSuggestion(ctx, knowledge.Actor{GuildID: guildA})
	j, _ := json.Marshal(sg)
	b.Write(j)
	b.WriteString(strings.Repeat("|", n))
	return b.String()
}

// TestPermissionMatrix runs every write command as every kind of user,
// from server A (which owns the records acted on), server B and a DM; with
// Discord's default permission overridden, a member can run /kb: the bot
// must refuse them itself. Only the allowed cells write; every other cell
// writes nothing and says which right is missing.
func TestPermissionMatrix(t *testing.T) {
	base := filepath.Join(t.TempDir(), "base.db")
	prep := func(args ...string) {
		t.Helper()
		r := onrecord(t, nil, "", append([]string{"ask", "--db", base, "--guild", guildA, "--as", "moderator"}, args...)...)
		if r.code != 0 || strings.Contains(r.stdout, "Please check") || strings.Contains(r.stdout, "Not allowed") {
			t.Fatalf("preparing %v: %s %s", args, r.stdout, r.stderr)
		}
	}
	prep("/kb person add name:Jane Doe summary:An MP")
	prep("/kb claim add person:p-jane-doe quote:We will cut targets source:https://news.example/jd")
	prep("/kb retract id:c-we-will-cut-targets reason:to test restore")
	prep("/kb claim add person:p-jane-doe quote:No targets at all source:https://news.example/jd2")
	importFile := filepath.Join(t.TempDir(), "import.json")
	os.WriteFile(importFile, []byte(`{"format":"onrecord/1","organisations":[{"id":"o-imported","guild":"1","origin":"moderator","name":"Imported committee","kind":"committee","sources":[]}],"people":[],"documents":[],"excerpts":[],"claims":[],"evidence":[],"figures":[],"events":[]}`), 0o644)
	suggestion := func(path string) {
		r := onrecord(t, nil, "", "ask", "--db", path, "--guild", guildA, "/suggest person:p-jane-doe quote:We never had targets source:https://news.example/s")
		if r.code != 0 || !strings.Contains(r.stdout, "waits") {
			t.Fatalf("suggest: %s", r.stdout)
		}
	}

	type cmd struct {
		name string
		args []string
		// shared: acts on the shared record (the seed), which only owners change
		// (a moderator's retract hides it in their server: a write too).
		shared bool
		// add: makes a new record in the actor's scope, so a moderator of
		// any server may.
		add bool
	}
	cmds := []cmd{
		{name: "person add", args: []string{"/kb person add name:John Roe"}, add: true},
		{name: "organisation add", args: []string{"/kb organisation add name:Borders Committee kind:committee"}, add: true},
		{name: "document add", args: []string{"/kb document add title:Borders report kind:report url:https://e.example/r"}, add: true},
		{name: "claim add", args: []string{"/kb claim add person:p-jane-doe quote:Borders are safe source:https://news.example/x"}},
		{name: "evidence add", args: []string{"/kb evidence add claim:c-no-targets-at-all relation:contradicts source:https://news.example/e excerpt:a target of 500 rationale:a target"}},
		{name: "alias add", args: []string{"/kb alias add person:p-jane-doe alias:Ms Doe"}},
		{name: "role add", args: []string{"/kb role add person:p-jane-doe title:Borders minister"}},
		{name: "edit form", args: []string{"--modal", "md:kb?a=edit&id=p-jane-doe&v=0", "--field", "summary=Edited"}},
		{name: "retract", args: []string{"/kb retract id:c-no-targets-at-all reason:wrong"}},
		{name: "restore", args: []string{"/kb restore id:c-we-will-cut-targets"}},
		{name: "verdict", args: []string{"/kb verdict id:c-no-targets-at-all code:false reasoning:targets existed"}},
		{name: "revert", args: []string{"/kb revert id:c-we-will-cut-targets version:1"}},
		{name: "import", args: []string{"--attach", importFile, "/kb import"}, add: true},
		{name: "settings", args: []string{"/kb settings suggestions:closed"}},
		{name: "approve", args: []string{"--component", "ac:kb?a=approve&s=1"}},
		{name: "reject", args: []string{"--modal", "md:kb?a=rejected&s=1", "--field", "reason=no"}},
		{name: "shared retract", args: []string{"/kb retract id:p-hugh-ind reason:not here"}, shared: true},
		{name: "shared alias", args: []string{"/kb alias add person:p-hugh-ind alias:Hughie"}, shared: true},
	}
	type who struct {
		name  string
		flags []string
		// canA: may write server A's records; canShared: the shared record;
		// canAdd: may add records (to their own scope).
		canA, canShared, canAdd bool
		// hides: a moderator's retract of a shared record hides it here.
		hides bool
	}
	whos := []who{
		{name: "member of A (default permission overridden)", flags: []string{"--guild", guildA}},
		{name: "moderator of A", flags: []string{"--guild", guildA, "--as", "moderator"}, canA: true, canAdd: true, hides: true},
		{name: "moderator of B", flags: []string{"--guild", guildB, "--as", "moderator"}, canAdd: true, hides: true},
		{name: "member of B", flags: []string{"--guild", guildB}},
		{name: "member in a DM", flags: []string{"--dm"}},
		{name: "moderator in a DM", flags: []string{"--dm", "--as", "moderator"}},
		{name: "bot owner in A", flags: []string{"--guild", guildA, "--as", "owner", "--user", ownerA}, canA: true, canShared: true, canAdd: true},
		{name: "bot owner in a DM", flags: []string{"--dm", "--as", "owner", "--user", ownerA}, canShared: true, canAdd: true},
	}
	baseBytes, err := os.ReadFile(base)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range whos {
		for _, c := range cmds {
			t.Run(w.name+"/"+c.name, func(t *testing.T) {
				path := filepath.Join(t.TempDir(), "kb.db")
				os.WriteFile(path, baseBytes, 0o644)
				if c.name == "approve" || c.name == "reject" {
					suggestion(path)
				}
				before := snapshot(t, path)
				r := onrecord(t, nil, "", append(append([]string{"ask", "--db", path}, w.flags...), c.args...)...)
				if r.code != 0 {
					t.Fatalf("exit %d: %s", r.code, r.stderr)
				}
				after := snapshot(t, path)
				wrote := before != after
				var allowed bool
				switch {
				case c.shared:
					allowed = w.canShared || (c.name == "shared retract" && w.hides)
				case c.add:
					allowed = w.canAdd
				case c.name == "settings":
					allowed = w.canAdd && !strings.Contains(w.name, "DM") // the actor's own server's business
				case c.name == "approve" || c.name == "reject":
					allowed = w.canA && !strings.Contains(w.name, "DM") // server A's queue
				default:
					allowed = w.canA
				}
				if wrote != allowed {
					t.Fatalf("wrote=%v, allowed=%v; the answer was:\n%s", wrote, allowed, r.stdout)
				}
				why := strings.ToLower(r.stdout)
				if !allowed && !strings.Contains(why, "not allowed") && !strings.Contains(why, "not in this server") &&
					!strings.Contains(why, "not a statement") && !strings.Contains(why, "not on record") && !strings.Contains(why, "nobody called") &&
					!strings.Contains(why, "queue") && !strings.Contains(why, "there is no record") {
					t.Fatalf("a refusal that does not say why:\n%s", r.stdout)
				}
				if !allowed && !strings.Contains(r.stdout, "(only you can see this)") {
					t.Fatalf("a refusal seen by the whole channel:\n%s", r.stdout)
				}
			})
		}
	}
}

// TestModeratorsAddCorrectAndExport walks the "done when": a
// moderator adds a claim with its source, links evidence, corrects it, sees
// its history, reverts, exports; a member's suggestion flows through review.
func TestModeratorsAddCorrectAndExport(t *testing.T) {
	dbPath := newDB(t)
	ask := func(flags []string, args ...string) string {
		t.Helper()
		r := onrecord(t, nil, "", append(append([]string{"ask", "--db", dbPath}, flags...), args...)...)
		if r.code != 0 || strings.Contains(r.stdout, "Please check") || strings.Contains(r.stdout, "Not allowed") {
			t.Fatalf("%v: %s %s", args, r.stdout, r.stderr)
		}
		return r.stdout
	}
	mod := []string{"--as", "moderator"}
	added := ask(mod, "/kb claim add person:Amber Rudd quote:I will work to ensure that our immigration policy is fair source:d-article context:in a statement")
	m := regexp.MustCompile("statement `(c-[a-z0-9-]+)`").FindStringSubmatch(added)
	if m == nil {
		t.Fatalf("no id in %q", added)
	}
	id := m[1]
	ask(mod, "/kb evidence add claim:"+id+" relation:context source:d-article excerpt:Home Secretary Amber Rudd is refusing to resign rationale:she said it while refusing to resign")
	ask(mod, "--modal", "md:kb?a=edit&id="+id+"&v=0", "--field", "context=in a statement to the press")
	if out := ask(nil, "/claim "+id); !strings.Contains(out, "in a statement to the press") || !strings.Contains(out, "refusing to resign") {
		t.Fatalf("the corrected claim:\n%s", out)
	}
	if out := ask(mod, "/kb history id:"+id); !strings.Contains(out, "**v2**") || !strings.Contains(out, "**v1**") {
		t.Fatalf("history:\n%s", out)
	}
	ask(mod, "/kb revert id:"+id+" version:1")
	if out := ask(nil, "/claim "+id); !strings.Contains(out, "in a statement") || strings.Contains(out, "to the press") {
		t.Fatalf("after revert:\n%s", out)
	}
	ask(nil, "/suggest person:Hugh Ind quote:We count removals source:https://news.example/ind")
	review := ask(mod, "/kb review")
	if !strings.Contains(review, "We count removals") || !strings.Contains(review, "ac:kb?a=approve&s=1") {
		t.Fatalf("review:\n%s", review)
	}
	ask(mod, "--component", "ac:kb?a=approve&s=1")
	if out := ask(nil, "/claims Hugh Ind"); !strings.Contains(out, "We count removals") {
		t.Fatalf("the approved suggestion is not on record:\n%s", out)
	}

	// The CLI export holds the moderators' additions, and round-trips.
	first := onrecord(t, nil, "", "export", "--db", dbPath)
	if !strings.Contains(first.stdout, id) || !strings.Contains(first.stdout, `"suggested_by"`) {
		t.Fatal("the export lacks the moderators' additions")
	}
	file := filepath.Join(t.TempDir(), "all.json")
	os.WriteFile(file, []byte(first.stdout), 0o644)
	copyDB := newDB(t)
	if r := onrecord(t, nil, "", "import", "--db", copyDB, file); r.code != 0 {
		t.Fatal(r.stderr)
	}
	if second := onrecord(t, nil, "", "export", "--db", copyDB); second.stdout != first.stdout {
		t.Fatal("export → import → export changed the moderators' records")
	}
	// And a server's export, as a file.
	out := t.TempDir()
	ask(append(mod, "--out", out), "/kb export")
	entries, _ := os.ReadDir(out)
	if len(entries) != 1 {
		t.Fatalf("export wrote %d files", len(entries))
	}
}
