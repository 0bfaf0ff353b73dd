package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/onrecord/onrecord/bot/discordtest"
	"github.com/onrecord/onrecord/knowledge"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// result is what one onrecord invocation printed and returned.
type result struct {
	stdout, stderr string
	code           int
}

// onrecord runs the program in-process with args and env, as the binary
// would run, and returns its output and exit status.
func onrecord(t *testing.T, env map[string]string, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	getenv := func(k string) string { return env[k] }
	err := run(context.Background(), args, getenv, strings.NewReader(stdin), &out, &errb)
	code := exitCode(err, &errb)
	return result{stdout: out.String(), stderr: errb.String(), code: code}
}

// newDB returns the path of a database that does not exist yet.
func newDB(t *testing.T) string {
	t.Helper()
	return filepath.Join(t.TempDir(), "onrecord.db")
}

func TestAskAnswersTheCoreQuestions(t *testing.T) {
	dbPath := newDB(t)
	tests := []struct {
		line string
		want []string
	}{
		{"/who Hugh Ind", []string{"== Hugh Ind ==", "Head of Immigration Enforcement, Immigration Enforcement (Home Office)",
			"Reportedly sent the memo “Summary of performance” (June 2017) to Amber Rudd, Brandon Lewis and other senior officials and civil servants"}},
		{"/claims Rudd", []string{"Amber Rudd · Home Secretary", "we don't have targets for removals", "Told the committee",
			"I wasn't aware of specific removal targets", "Tweeted · late on Friday",
			"Memo “Summary of performance”** (June 2017): “a target of achieving **12,800** enforced returns in 2017-18”", "Contradicted by"}},
		{"/who the shadow home secretary", []string{"== Diane Abbott ==", "Either way, she needs to accept responsibility and resign immediately", "speaker inferred"}},
		{"/claims person:Diane Abbott", []string{"Diane Abbott (inferred speaker)", "Speaker inferred, not stated"}},
		{"/who Boris Johnson", []string{"Not on record", "Nobody called “Boris Johnson” is on record here"}},
	}
	for _, tc := range tests {
		t.Run(tc.line, func(t *testing.T) {
			r := onrecord(t, nil, "", "ask", "--db", dbPath, tc.line)
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(r.stdout, w) {
					t.Errorf("answer lacks %q:\n%s", w, r.stdout)
				}
			}
		})
	}
}

// goldenCases are every command on the seed, with the interactions around
// them: autocomplete, a page turned, a person picked from a menu.
func goldenCases() []struct {
	name string
	args []string
} {
	cases := []struct {
		name string
		args []string
	}{
		{"claims_rudd_contradicted", []string{"/claims Rudd status:contradicted"}},
		{"claims_rudd_about_tweet", []string{"/claims person:Rudd about:tweet"}},
		{"claims_rudd_page_2", []string{"--component", "pg:claims?d=n&o=6&person=p-amber-rudd"}},
		{"claims_rudd_page_back", []string{"--component", "pg:claims?d=p&o=6&person=p-amber-rudd"}},
		{"claim_committee", []string{"/claim c-rudd-no-targets-committee"}},
		{"claim_by_words", []string{"/claim id:wasn't aware of specific"}},
		{"claim_inferred", []string{"/claim c-abbott-resign"}},
		{"document_memo", []string{"/document the memo"}},
		{"document_report", []string{"/document the 2015 report"}},
		{"document_article", []string{"/document the article"}},
		{"document_tweet", []string{"/document name:Rudd's tweet"}},
		{"contradictions", []string{"/contradictions"}},
		{"contradictions_abbott", []string{"/contradictions person:Diane Abbott"}},
		{"search_removal_targets", []string{"/search removal targets"}},
		{"search_resign", []string{"/search query:resign"}},
		{"timeline", []string{"/timeline"}},
		{"timeline_rudd", []string{"/timeline person:Amber Rudd"}},
		{"timeline_memo", []string{"/timeline about:memo"}},
		{"sources", []string{"/sources"}},
		{"about", []string{"/about"}},
		{"help", []string{"/help"}},
		{"who_ambiguous", []string{"/who home sec"}},
		{"who_picked", []string{"--component", "pk:who?f=name", "--values", "p-diane-abbott"}},
		{"who_not_found", []string{"/who Boris Johnson"}},
		{"autocomplete_who_hu", []string{"--autocomplete", "/who Hu"}},
		{"autocomplete_who_empty", []string{"--autocomplete", "/who "}},
		{"autocomplete_claim", []string{"--autocomplete", "/claim targets"}},
		{"autocomplete_document", []string{"--autocomplete", "/document mem"}},
	}
	for _, name := range []string{"Amber Rudd", "Hugh Ind", "Brandon Lewis", "Diane Abbott", "Sir Nicholas Soames", "Philip Davies"} {
		for _, cmd := range []string{"who", "claims"} {
			cases = append(cases, struct {
				name string
				args []string
			}{cmd + "_" + strings.ReplaceAll(strings.ToLower(name), " ", "_"), []string{"/" + cmd + " " + name}})
		}
	}
	return cases
}

// TestAskGolden pins the full answer, as text and as the JSON sent to
// Discord, of every command on the seed. Run
// go test -tags sqlite_fts5 . -run TestAskGolden -update after an intended
// change, and read the diff.
func TestAskGolden(t *testing.T) {
	dbPath := newDB(t)
	schema, err := discordtest.Shared()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range goldenCases() {
		for _, format := range []string{"txt", "json"} {
			file := filepath.Join("testdata", "golden", tc.name+"."+format)
			t.Run(tc.name+"."+format, func(t *testing.T) {
				args := append([]string{"ask", "--db", dbPath}, tc.args...)
				if format == "json" {
					args = append([]string{"ask", "--json", "--db", dbPath}, tc.args...)
				}
				r := onrecord(t, nil, "", args...)
				if r.code != 0 {
					t.Fatalf("exit %d: %s", r.code, r.stderr)
				}
				if format == "json" {
					if err := schema.ValidateCallback([]byte(r.stdout)); err != nil {
						t.Fatalf("Discord would refuse: %v", err)
					}
				}
				if *update {
					os.MkdirAll(filepath.Dir(file), 0o755)
					if err := os.WriteFile(file, []byte(r.stdout), 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(file)
				if err != nil {
					t.Fatal(err)
				}
				if r.stdout != string(want) {
					t.Fatalf("answer differs from %s:\n%s", file, r.stdout)
				}
			})
		}
	}
}

// TestAskJSONIsWhatDiscordAccepts validates every --json reply, for every
// seeded person and the awkward inputs, against Discord's OpenAPI schema
// and documented limits.
func TestAskJSONIsWhatDiscordAccepts(t *testing.T) {
	schema, err := discordtest.Shared()
	if err != nil {
		t.Fatal(err)
	}
	dbPath := newDB(t)
	lines := []string{
		`/who name:""`, "/who " + strings.Repeat("x", 6000), "/who @everyone", "/who <@123456789012345678>",
		"/who **Rudd**", "/who '; DROP TABLE records; --", "/who זה בעברית", "/who 🙂🙂", "/claims Nobody At All",
	}
	ds, err := knowledge.Seed()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ds.People {
		lines = append(lines, "/who "+p.Name, "/claims "+p.Name)
		for _, a := range p.Aliases {
			lines = append(lines, "/who "+a.Name)
		}
	}
	for _, line := range lines {
		t.Run(line[:min(len(line), 40)], func(t *testing.T) {
			r := onrecord(t, nil, "", "ask", "--json", "--db", dbPath, line)
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			if err := schema.ValidateCallback([]byte(r.stdout)); err != nil {
				t.Fatalf("Discord would refuse: %v\n%s", err, r.stdout)
			}
			if !strings.Contains(r.stdout, `"allowed_mentions": {`) || !strings.Contains(r.stdout, `"parse": []`) {
				t.Fatal("reply does not disable mentions")
			}
		})
	}
}

func TestAskExitStatus(t *testing.T) {
	dbPath := newDB(t)
	tests := []struct {
		name   string
		env    map[string]string
		args   []string
		code   int
		stderr string
	}{
		{"answer", nil, []string{"ask", "--db", dbPath, "/who Hugh Ind"}, 0, ""},
		{"not on record", nil, []string{"ask", "--db", dbPath, "/who Nobody"}, 0, ""},
		{"refused input is still an answer", nil, []string{"ask", "--db", dbPath, `/who ""`}, 0, ""},
		{"unknown command", nil, []string{"ask", "--db", dbPath, "/whom Rudd"}, 2, "unknown command /whom"},
		{"unknown option", nil, []string{"ask", "--db", dbPath, "/claims persn:Rudd"}, 2, `no option "persn"`},
		{"missing option", nil, []string{"ask", "--db", dbPath, "/who"}, 2, "needs the option name"},
		{"no command", nil, []string{"ask", "--db", dbPath}, 2, "ask needs a command"},
		{"bad rank", nil, []string{"ask", "--db", dbPath, "--as", "admin", "/who Rudd"}, 2, "--as must be"},
		{"bad flag", nil, []string{"ask", "--nope", "/who Rudd"}, 2, "flag provided but not defined"},
		{"unknown subcommand", nil, []string{"frobnicate"}, 2, "unknown subcommand"},
		{"no subcommand", nil, nil, 2, "no subcommand"},
		{"bad config", map[string]string{"ONRECORD_LOG_LEVEL": "loud"}, []string{"ask", "--db", dbPath, "/who Rudd"}, 2, "ONRECORD_LOG_LEVEL"},
		{"missing directory", nil, []string{"ask", "--db", filepath.Join(t.TempDir(), "no", "kb.db"), "/who Rudd"}, 1, "directory does not exist"},
		{"help", nil, []string{"help"}, 0, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := onrecord(t, tc.env, "", tc.args...)
			if r.code != tc.code {
				t.Fatalf("exit %d, want %d (stderr %q)", r.code, tc.code, r.stderr)
			}
			if !strings.Contains(r.stderr, tc.stderr) {
				t.Fatalf("stderr %q does not say %q", r.stderr, tc.stderr)
			}
			if tc.code == 2 && r.stdout != "" && tc.name != "help" {
				t.Fatalf("a usage error printed to stdout: %q", r.stdout)
			}
		})
	}
}

// TestStdoutCarriesOnlyTheReply runs with debug logging: every log line
// goes to stderr, and the token never appears in it.
func TestStdoutCarriesOnlyTheReply(t *testing.T) {
	env := map[string]string{"ONRECORD_LOG_LEVEL": "debug", "ONRECORD_LOG_FORMAT": "json", "DISCORD_TOKEN": "MTIz.secret-token-value"}
	r := onrecord(t, env, "", "ask", "--json", "--db", newDB(t), "/who Hugh Ind")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if !strings.HasPrefix(r.stdout, "{") || strings.Contains(r.stdout, `"level"`) {
		t.Fatalf("stdout holds more than the reply:\n%s", r.stdout)
	}
	if !strings.Contains(r.stderr, `"msg":"interaction"`) || !strings.Contains(r.stderr, `"command":"who"`) {
		t.Fatalf("no interaction log line on stderr:\n%s", r.stderr)
	}
	if strings.Contains(r.stderr+r.stdout, "secret-token-value") {
		t.Fatal("the token reached the output")
	}
}

func TestExportImportRoundTrip(t *testing.T) {
	src := newDB(t)
	first := onrecord(t, nil, "", "export", "--db", src)
	if first.code != 0 {
		t.Fatalf("export: %s", first.stderr)
	}
	if first.stdout != string(knowledge.SeedJSON()) {
		t.Fatal("export of a new database is not the seed")
	}
	file := filepath.Join(t.TempDir(), "export.json")
	os.WriteFile(file, []byte(first.stdout), 0o644)

	dst := newDB(t)
	imp := onrecord(t, nil, "", "import", "--db", dst, file)
	if imp.code != 0 || !strings.Contains(imp.stdout, "imported") {
		t.Fatalf("import: %d %s %s", imp.code, imp.stdout, imp.stderr)
	}
	second := onrecord(t, nil, "", "export", "--db", dst)
	if second.stdout != first.stdout {
		t.Fatal("export → import → export changed the output")
	}
	again := onrecord(t, nil, "", "import", "--db", dst, file)
	if again.code != 1 || !strings.Contains(again.stderr, "already holds") {
		t.Fatalf("import into a full database: %d %q", again.code, again.stderr)
	}
	if third := onrecord(t, nil, "", "export", "--db", dst); third.stdout != first.stdout {
		t.Fatal("a refused import changed the database")
	}
}

func TestImportNamesRecordAndField(t *testing.T) {
	bad := strings.Replace(string(knowledge.SeedJSON()), `"speaker": "p-hugh-ind"`, `"speaker": "p-nobody"`, 1)
	bad = strings.Replace(bad, `"relation": "contradicts"`, `"relation": "refutes"`, 1)
	file := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(file, []byte(bad), 0o644)
	dst := newDB(t)
	r := onrecord(t, nil, "", "import", "--db", dst, file)
	if r.code != 1 {
		t.Fatalf("exit %d, want 1", r.code)
	}
	if !regexp.MustCompile(`evidence\[l-[a-z0-9-]+\]\.relation: "refutes" is not one of`).MatchString(r.stderr) {
		t.Fatalf("error does not name the record and field:\n%s", r.stderr)
	}
	if _, err := os.Stat(dst); err == nil {
		t.Fatal("a refused import into a new database left a database file behind")
	}
	for _, tc := range []struct{ name, body, want string }{
		{"not json", "{", "invalid JSON"},
		{"unknown field", `{"format":"onrecord/1","peeple":[]}`, "peeple"},
		{"missing file", "", "cannot read"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := filepath.Join(t.TempDir(), "in.json")
			if tc.body != "" {
				os.WriteFile(f, []byte(tc.body), 0o644)
			}
			r := onrecord(t, nil, "", "import", "--db", newDB(t), f)
			if r.code != 1 || !strings.Contains(r.stderr, tc.want) {
				t.Fatalf("exit %d, stderr %q, want %q", r.code, r.stderr, tc.want)
			}
		})
	}
}

func TestSeedAndBackup(t *testing.T) {
	dbPath := newDB(t)
	r := onrecord(t, nil, "", "seed", "--db", dbPath)
	if r.code != 0 || !strings.Contains(r.stdout, "0 added, 0 updated") {
		t.Fatalf("seeding a new (already seeded) database: %d %q %q", r.code, r.stdout, r.stderr)
	}
	backup := filepath.Join(t.TempDir(), "backup.db")
	if r := onrecord(t, nil, "", "backup", "--db", dbPath, backup); r.code != 0 {
		t.Fatalf("backup: %s", r.stderr)
	}
	if r := onrecord(t, nil, "", "export", "--db", backup); r.stdout != string(knowledge.SeedJSON()) {
		t.Fatal("the backup does not hold the knowledge base")
	}
	if r := onrecord(t, nil, "", "check", "--db", backup); r.code != 0 || !strings.Contains(r.stdout, "is whole") {
		t.Fatalf("check of the backup: %d %q %q", r.code, r.stdout, r.stderr)
	}
	missing := filepath.Join(t.TempDir(), "missing.db")
	if r := onrecord(t, nil, "", "check", "--db", missing); r.code != 1 || !strings.Contains(r.stderr, "no database to check") {
		t.Fatalf("check of a missing file: %d %q", r.code, r.stderr)
	}
	if _, err := os.Stat(missing); err == nil {
		t.Fatal("check created the database it was asked to check")
	}
}

func TestConsole(t *testing.T) {
	in := "/who Hugh Ind\n/whom x\n\nhelp\n/claims Rudd\nquit\n/who never reached\n"
	r := onrecord(t, nil, in, "console", "--db", newDB(t))
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, w := range []string{"== Hugh Ind ==", "usage: unknown command /whom", "/claims — ", "we don't have targets for removals"} {
		if !strings.Contains(r.stdout, w) {
			t.Errorf("console output lacks %q", w)
		}
	}
	if strings.Contains(r.stdout, "never reached") {
		t.Error("console went on after quit")
	}
}

func TestEnvironmentSelectsTheDatabase(t *testing.T) {
	dbPath := newDB(t)
	r := onrecord(t, map[string]string{"ONRECORD_DB": dbPath}, "", "ask", "/who Rudd")
	if r.code != 0 {
		t.Fatal(r.stderr)
	}
	if _, err := os.Stat(dbPath); err != nil {
		t.Fatalf("ONRECORD_DB was not used: %v", err)
	}
}

// customIDs returns the custom_ids in a --json reply, by button label or
// "menu".
func customIDs(t *testing.T, reply string) map[string]string {
	t.Helper()
	var resp struct {
		Type int `json:"type"`
		Data struct {
			Components []struct {
				Components []struct {
					Type     int    `json:"type"`
					Label    string `json:"label"`
					CustomID string `json:"custom_id"`
				} `json:"components"`
			} `json:"components"`
		} `json:"data"`
	}
	if err := json.Unmarshal([]byte(reply), &resp); err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{}
	for _, row := range resp.Data.Components {
		for _, c := range row.Components {
			label := c.Label
			if c.Type == 3 {
				label = "menu"
			}
			ids[label] = c.CustomID
		}
	}
	return ids
}

func TestPagingRoundTrip(t *testing.T) {
	dbPath := newDB(t)
	ask := func(args ...string) result {
		t.Helper()
		r := onrecord(t, nil, "", append([]string{"ask", "--json", "--db", dbPath}, args...)...)
		if r.code != 0 {
			t.Fatalf("%v: %s", args, r.stderr)
		}
		return r
	}
	first := ask("/claims Rudd")
	ids := customIDs(t, first.stdout)
	next := ids["Next ▶"]
	if next == "" || len(next) > 100 {
		t.Fatalf("no usable Next button: %v", ids)
	}
	page2 := ask("--component", next)
	if !strings.Contains(page2.stdout, `"type": 7`) || !strings.Contains(page2.stdout, "c-rudd-not-aware-of-them") || !strings.Contains(page2.stdout, "Showing 7 of 7") {
		t.Fatalf("the second page is not the rest of the list:\n%.600s", page2.stdout)
	}
	back := ask("--component", customIDs(t, page2.stdout)["◀ Previous"])
	if !strings.Contains(back.stdout, "Showing 1–6 of 7") || !strings.Contains(back.stdout, "c-rudd-no-targets-committee") {
		t.Fatalf("Previous did not go back to the first page:\n%.600s", back.stdout)
	}

	// A query too long for a custom_id is kept in the database, and the
	// button still works from another process (a restart).
	long := "removal targets " + strings.Repeat("removal ", 20)
	search := ask("/search " + long)
	next = customIDs(t, search.stdout)["Next ▶"]
	if !strings.Contains(next, "~") {
		t.Fatalf("the long query was not stored: %q", next)
	}
	again := ask("--component", next)
	if !strings.Contains(again.stdout, "showing 11–12 of 12") {
		t.Fatalf("the stored query did not page:\n%.600s", again.stdout)
	}
	if r := onrecord(t, nil, "", "ask", "--db", dbPath, "--component", "pg:search?o=10&query=~nosuchkey"); r.code != 0 || !strings.Contains(r.stdout, "expired") {
		t.Fatalf("a lost query: %d %q", r.code, r.stdout)
	}
}

func TestAutocompleteRoundTrip(t *testing.T) {
	dbPath := newDB(t)
	r := onrecord(t, nil, "", "ask", "--json", "--db", dbPath, "--autocomplete", "/claims person:am")
	var resp struct {
		Type int `json:"type"`
		Data struct {
			Choices []struct{ Name, Value string } `json:"choices"`
		} `json:"data"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &resp); err != nil || resp.Type != 8 || len(resp.Data.Choices) == 0 {
		t.Fatalf("autocomplete reply %q: %v", r.stdout, err)
	}
	c := resp.Data.Choices[0]
	if c.Name != "Amber Rudd: Home Secretary" || c.Value != "p-amber-rudd" {
		t.Fatalf("first choice %+v", c)
	}
	answer := onrecord(t, nil, "", "ask", "--db", dbPath, "/claims person:"+c.Value)
	if !strings.Contains(answer.stdout, "**Amber Rudd**: 7 statements") {
		t.Fatalf("the chosen value does not answer:\n%.300s", answer.stdout)
	}
	// A menu choice answers the original question.
	menu := onrecord(t, nil, "", "ask", "--json", "--db", dbPath, "/claims home sec status:contradicted")
	id := customIDs(t, menu.stdout)["menu"]
	if id == "" {
		t.Fatalf("no menu for an ambiguous name:\n%.400s", menu.stdout)
	}
	picked := onrecord(t, nil, "", "ask", "--db", dbPath, "--component", id, "--values", "p-amber-rudd")
	if !strings.Contains(picked.stdout, "3 statements on record that are contradicted") {
		t.Fatalf("the choice lost the question's filter:\n%.300s", picked.stdout)
	}
}

func TestGen(t *testing.T) {
	path := newDB(t)
	r := onrecord(t, nil, "", "gen", "--people", "40", "--claims", "300", "--seed", "3", path)
	if r.code != 0 || !strings.Contains(r.stdout, "(40 people, 300 claims)") {
		t.Fatalf("gen: %d %q %q", r.code, r.stdout, r.stderr)
	}
	if r := onrecord(t, nil, "", "check", "--db", path); r.code != 0 {
		t.Fatalf("check of a generated database: %s %s", r.stdout, r.stderr)
	}
	// The busiest speaker is the first person: ask for them by id and by name.
	who := onrecord(t, nil, "", "ask", "--db", path, "/who p-synthetic-0")
	if who.code != 0 || !strings.Contains(who.stdout, "statements") || !strings.Contains(who.stdout, "fiction, for benchmarks") {
		t.Fatalf("ask on a generated database: %d %q %q", who.code, who.stdout, who.stderr)
	}
	name, _, _ := strings.Cut(strings.TrimPrefix(strings.TrimSpace(who.stdout), "== "), " ==")
	if byName := onrecord(t, nil, "", "ask", "--db", path, "/claims "+name); byName.code != 0 || !strings.Contains(byName.stdout, "p-synthetic-0") && !strings.Contains(byName.stdout, name) {
		t.Fatalf("/claims %s: %q", name, byName.stdout)
	}
	again := onrecord(t, nil, "", "gen", "--people", "40", "--claims", "300", path)
	if again.code != 2 || !strings.Contains(again.stderr, "exists already") {
		t.Fatalf("gen over an existing file: %d %q", again.code, again.stderr)
	}
	for _, args := range [][]string{{"gen"}, {"gen", "--people", "3", newDB(t)}, {"gen", "--claims", "0", newDB(t)}, {"gen", "--people", "x", newDB(t)}} {
		if r := onrecord(t, nil, "", args...); r.code != 2 {
			t.Errorf("%q: exit %d, want 2 (usage): %s", args, r.code, r.stderr)
		}
	}
}
