package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/onrecord/onrecord/db"
	"github.com/onrecord/onrecord/knowledge"
	"github.com/onrecord/onrecord/knowledge/extract"
)

// extractedClaim is one proposal as `onrecord extract --json` prints it:
// the extractor's fields plus the report's URL and date when given.
type extractedClaim struct {
	extract.Proposal
	URL  string `json:"url,omitempty"`
	Date string `json:"date,omitempty"`
}

// extractCmd runs `onrecord extract`: it reads a news report from FILE
// ("-" for standard input) and prints the claims it attributes, resolved
// against the database at --db when given, else the embedded seed.
func extractCmd(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("onrecord extract", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print a JSON array of proposals")
	dbPath := fs.String("db", "", "resolve speakers against this database (default: the embedded seed)")
	url := fs.String("url", "", "the report's URL, printed with each proposal")
	date := fs.String("date", "", "the report's date, YYYY-MM-DD, printed with each proposal")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usage("%v", err)
	}
	if fs.NArg() != 1 {
		return usage("extract needs exactly one FILE (- for standard input), for example: onrecord extract report.txt")
	}
	if *url != "" && !knowledge.ValidURL(*url) {
		return usage("--url %q is not an http(s) URL", *url)
	}
	if *date != "" && (len(*date) != 10 || !knowledge.ValidDate(*date)) {
		return usage("--date %q is not a date: use YYYY-MM-DD", *date)
	}
	text, err := readReport(fs.Arg(0), stdin)
	if err != nil {
		return err
	}
	var dir extract.Directory
	var lookups *extract.FuncDirectory
	if *dbPath != "" {
		if _, err := os.Stat(*dbPath); err != nil {
			return fmt.Errorf("no database at %s", *dbPath)
		}
		store, err := db.Open(ctx, *dbPath, db.Options{})
		if err != nil {
			return err
		}
		defer store.Close()
		lookups = extract.NewFuncDirectory(func(name string) ([]knowledge.Candidate, error) {
			return store.PeopleNamed(ctx, knowledge.Scope{}, name)
		})
		dir = lookups
	} else {
		ds, err := knowledge.Seed()
		if err != nil {
			return err
		}
		dir = extract.NewMapDirectory(ds)
	}
	ps := extract.New().Extract(text, dir)
	if lookups != nil && lookups.Err() != nil {
		return fmt.Errorf("reading the record: %w", lookups.Err())
	}
	if *asJSON {
		out := make([]extractedClaim, len(ps))
		for i, p := range ps {
			out[i] = extractedClaim{Proposal: p, URL: *url, Date: *date}
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(out)
	}
	return printProposals(stdout, ps)
}

// readReport reads the report at path ("-": r), which must be UTF-8 text
// of at most extract.MaxInput bytes.
func readReport(path string, r io.Reader) (string, error) {
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return "", fmt.Errorf("cannot read the report: %w", err)
		}
		defer f.Close()
		r = f
	}
	b, err := io.ReadAll(io.LimitReader(r, extract.MaxInput+1))
	if err != nil {
		return "", fmt.Errorf("cannot read the report: %w", err)
	}
	switch {
	case len(b) > extract.MaxInput:
		return "", usage("the report is longer than %d bytes: split it", extract.MaxInput)
	case !utf8.Valid(b):
		return "", usage("the report is not UTF-8 text: save it as plain UTF-8 text")
	case strings.TrimSpace(string(b)) == "":
		return "", usage("the report is empty")
	}
	return string(b), nil
}

// printProposals writes proposals for a terminal: the words, who, how
// sure and why, and where in the text.
func printProposals(w io.Writer, ps []extract.Proposal) error {
	if len(ps) == 0 {
		_, err := fmt.Fprintln(w, "No quotations or reported statements found.")
		return err
	}
	for i, p := range ps {
		who := "unattributed"
		switch {
		case p.Speaker != nil:
			who = *p.Speaker
		case p.Document != nil:
			who = "document: " + *p.Document
		}
		if p.SpeakerText != "" && !strings.EqualFold(p.SpeakerText, who) {
			who += fmt.Sprintf(" (%q)", p.SpeakerText)
		}
		how := p.Cue
		if p.Medium != "" {
			how = p.Medium
		}
		fmt.Fprintf(w, "%d. %s %q\n   %s", i+1, p.Kind, p.Quote, who)
		if how != "" {
			fmt.Fprintf(w, ", %s", how)
		}
		fmt.Fprintf(w, "\n   %s, confidence %.2f: %s\n   bytes %d-%d\n", p.Attribution, p.Confidence, p.Reason, p.Start, p.End)
	}
	return nil
}
