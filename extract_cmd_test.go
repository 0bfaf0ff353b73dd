package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExtractCommand runs `onrecord extract` on a report and checks what a
// moderator reads: each quotation with its speaker, and the JSON fields.
func TestExtractCommand(t *testing.T) {
	report := filepath.Join(t.TempDir(), "report.txt")
	text := "Labour's Diane Abbott said: \"The home secretary must go.\"\n\n\"We will not resign,\" Ms Rudd told MPs.\n\nA so-called \"hostile environment\" remains.\n"
	if err := os.WriteFile(report, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Run("text", func(t *testing.T) {
		r := onrecord(t, nil, "", "extract", report)
		if r.code != 0 {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		for _, want := range []string{`"The home secretary must go."`, "Diane Abbott", `"We will not resign"`, `Amber Rudd ("Ms Rudd"), told MPs`, "stated, confidence 0.95"} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("output lacks %q:\n%s", want, r.stdout)
			}
		}
		if strings.Contains(r.stdout, "hostile environment") {
			t.Errorf("a scare quote was proposed:\n%s", r.stdout)
		}
	})
	t.Run("json from stdin with url and date", func(t *testing.T) {
		r := onrecord(t, nil, text, "extract", "--json", "--url", "https://example.org/r", "--date", "2018-04-25", "-")
		if r.code != 0 {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		var got []map[string]any
		if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
			t.Fatalf("not JSON: %v\n%s", err, r.stdout)
		}
		if len(got) != 2 {
			t.Fatalf("%d proposals, want 2: %s", len(got), r.stdout)
		}
		p := got[1]
		start, end := int(p["start"].(float64)), int(p["end"].(float64))
		if p["quote"] != "We will not resign" || text[start:end] != p["quote"] || p["speaker"] != "Amber Rudd" || p["speaker_text"] != "Ms Rudd" ||
			p["kind"] != "direct" || p["cue"] != "told" || p["document"] != nil || p["url"] != "https://example.org/r" || p["date"] != "2018-04-25" {
			t.Errorf("proposal %v", p)
		}
		if _, ok := p["confidence"].(float64); !ok {
			t.Errorf("no confidence in %v", p)
		}
	})
	t.Run("resolved against a database", func(t *testing.T) {
		dbPath := newDB(t)
		if r := onrecord(t, nil, "", "seed", "--db", dbPath); r.code != 0 {
			t.Fatalf("seed: %s", r.stderr)
		}
		r := onrecord(t, nil, "", "extract", "--json", "--db", dbPath, report)
		if r.code != 0 {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		if !strings.Contains(r.stdout, `"speaker_id": "p-amber-rudd"`) || !strings.Contains(r.stdout, `"speaker_id": "p-diane-abbott"`) {
			t.Errorf("speakers not resolved through the database:\n%s", r.stdout)
		}
	})
	bad := filepath.Join(t.TempDir(), "bad.txt")
	if err := os.WriteFile(bad, []byte("\xff\xfe\"x\" he said"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no file", []string{"extract"}, "needs exactly one FILE"},
		{"missing file", []string{"extract", filepath.Join(t.TempDir(), "nope.txt")}, "cannot read the report"},
		{"bad date", []string{"extract", "--date", "25/04/2018", report}, "use YYYY-MM-DD"},
		{"bad url", []string{"extract", "--url", "javascript:alert(1)", report}, "not an http(s) URL"},
		{"not utf-8", []string{"extract", bad}, "not UTF-8"},
		{"missing database", []string{"extract", "--db", filepath.Join(t.TempDir(), "none.db"), report}, "no database at"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := onrecord(t, nil, "", tc.args...)
			if r.code == 0 || !strings.Contains(r.stderr, tc.want) || r.stdout != "" {
				t.Errorf("exit %d stderr %q stdout %q, want a failure saying %q", r.code, r.stderr, r.stdout, tc.want)
			}
		})
	}
	t.Run("empty stdin", func(t *testing.T) {
		r := onrecord(t, nil, "  \n", "extract", "-")
		if r.code != 2 || !strings.Contains(r.stderr, "empty") {
			t.Errorf("exit %d: %s", r.code, r.stderr)
		}
	})
}
