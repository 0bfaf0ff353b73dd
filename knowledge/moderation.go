package knowledge

import (
	"fmt"
	"strings"
	"time"
)

// Retraction is why and by whom a record was taken out of answers. A
// retracted record is kept, with its history, and can be restored.
type Retraction struct {
	Reason string `json:"reason"`
	By     string `json:"by"` // Discord user id
	At     string `json:"at"` // RFC 3339
}

// Verdict is an editorial judgement on a claim, over and above the status
// its evidence gives it: a stable code, a label to show, the reasoning,
// who decided and when.
type Verdict struct {
	Code      string `json:"code"`
	Label     string `json:"label"`
	Reasoning string `json:"reasoning"`
	By        string `json:"by"`
	At        string `json:"at"`
}

// VerdictCodes returns the stable verdict codes with their default labels.
func VerdictCodes() []Verdict {
	return []Verdict{
		{Code: "accurate", Label: "Accurate"},
		{Code: "mostly-accurate", Label: "Mostly accurate"},
		{Code: "misleading", Label: "Misleading"},
		{Code: "false", Label: "False"},
		{Code: "unproven", Label: "Unproven"},
		{Code: "corrected", Label: "Corrected by the speaker"},
	}
}

// Validate checks a verdict's fields.
func (v *Verdict) Validate() Problems {
	var ps Problems
	c := checker{&ps, "verdict"}
	known := false
	for _, k := range VerdictCodes() {
		known = known || k.Code == v.Code
	}
	if !known {
		var codes []string
		for _, k := range VerdictCodes() {
			codes = append(codes, k.Code)
		}
		c.add("code", "%q is not one of %s", clip(v.Code, 30), strings.Join(codes, ", "))
	}
	c.text("label", v.Label, 80, true, false)
	c.text("reasoning", v.Reasoning, MaxReasonLen, true, true)
	return ps
}

// Action names what a moderator did, for history and the audit log.
type Action string

// The actions.
const (
	ActionAdd      Action = "add"
	ActionEdit     Action = "edit"
	ActionRetract  Action = "retract"
	ActionRestore  Action = "restore"
	ActionRevert   Action = "revert"
	ActionVerdict  Action = "verdict"
	ActionHide     Action = "hide"   // a server hides a global record from itself
	ActionUnhide   Action = "unhide" // and shows it again
	ActionImport   Action = "import"
	ActionSettings Action = "settings"
	ActionApprove  Action = "approve" // a member's suggestion applied
	ActionReject   Action = "reject"
	ActionSuggest  Action = "suggest"
	ActionIngest   Action = "ingest" // a report read, its claims queued for review
)

// Change is who makes a write, from where and why: it goes into the
// record's history and the audit log with the write.
type Change struct {
	Actor       Actor
	Action      Action
	Reason      string
	Interaction string // the Discord interaction id, when there is one
	// Credit is the member whose suggestion the change applies.
	Credit string
}

// Version is one state of a record in its history.
type Version struct {
	Version   int
	Action    Action
	By        string // Discord user id; "" for the seed and imports
	Guild     string // the server the change was made in
	At        time.Time
	Reason    string
	Retracted bool
	Data      string // the record as export writes it
}

// AuditEntry is one row of the append-only audit log.
type AuditEntry struct {
	ID          int64
	At          time.Time
	Guild       string
	Actor       string
	Action      Action
	RecordID    string
	RecordLabel string
	Before      string // JSON, empty for an addition
	After       string // JSON, empty for nothing
	Reason      string
	Interaction string
	Credit      string
}

// AuditFilter selects audit entries.
type AuditFilter struct {
	Actor  string // Discord user id
	Record string // record id
	Limit  int
}

// Settings are a server's own configuration of OnRecord.
type Settings struct {
	Guild string
	// ModeratorRoles are role ids whose members are moderators here, as
	// well as those with Manage Messages.
	ModeratorRoles []string
	// SuggestionsOpen lets members use /suggest.
	SuggestionsOpen bool
	// AnnounceChannel, when set, gets a message for every change.
	AnnounceChannel string
}

// Suggestion is a member's proposal waiting for a moderator.
type Suggestion struct {
	ID        int64
	Guild     string
	By        string // Discord user id
	At        time.Time
	Person    string // person id (the speaker)
	Quote     string
	Source    string // http(s) URL or document id
	Date      string
	Context   string
	Claim     string // the claim it corrects, when it is a correction
	Status    string // pending, approved, rejected
	DecidedBy string
	Reason    string
	Result    string // the claim id an approval made or changed
}

// MaxSettingsRoles is how many moderator roles a server may configure.
const MaxSettingsRoles = 20

// CanWrite reports whether actor may add or change a record that belongs
// to guild ("" for global) and returns, when not, a CodeForbidden error
// naming the right that is missing. Bot owners write the global record;
// moderators write their own server's record; nobody writes another
// server's.
func CanWrite(actor Actor, guild string) error {
	switch {
	case guild == "" && actor.Rank == RankOwner:
		return nil
	case guild == "":
		return Errorf(CodeForbidden, "only the bot's owners can change the shared record. A moderator can hide a shared record in this server with `/kb retract`.")
	case actor.Rank < RankModerator:
		return Errorf(CodeForbidden, "this needs a moderator of this server: the Manage Messages permission or a moderator role set in `/kb settings`.")
	case actor.GuildID != guild:
		return Errorf(CodeNotFound, "That record is not in this server's record.")
	}
	return nil
}

// WriteScope returns the guild a new record by actor belongs to: the
// global record for a bot owner, the actor's server for a moderator.
// Members and moderators in DMs get CodeForbidden.
func WriteScope(actor Actor) (string, error) {
	switch {
	case actor.Rank == RankOwner:
		return "", nil
	case actor.Rank == RankModerator && actor.GuildID != "":
		return actor.GuildID, nil
	case actor.GuildID == "":
		return "", Errorf(CodeForbidden, "in a direct message nobody is a moderator: use this command in your server.")
	}
	return "", Errorf(CodeForbidden, "this needs a moderator of this server: the Manage Messages permission or a moderator role set in `/kb settings`.")
}

// OriginFor returns the origin of records a writer in guild makes.
func OriginFor(guild string) Origin {
	if guild == "" {
		return OriginOwner
	}
	return OriginModerator
}

// NewID returns an id for a new record of kind from words ("Jane Doe" for
// a person gives p-jane-doe), with suffix appended when given (to make it
// unique).
func NewID(kind string, words string, suffix int) string {
	slug := strings.Join(strings.Fields(Normalize(words)), "-")
	var b strings.Builder
	for _, r := range slug {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || r == '-' {
			b.WriteRune(r)
		}
	}
	slug = strings.Trim(b.String(), "-")
	for strings.Contains(slug, "--") {
		slug = strings.ReplaceAll(slug, "--", "-")
	}
	if len(slug) > 40 {
		slug = strings.TrimRight(slug[:40], "-")
	}
	if slug == "" {
		slug = "record"
	}
	id := string(kindPrefix(kind)) + "-" + slug
	if suffix > 0 {
		id += fmt.Sprintf("-%d", suffix)
	}
	return id
}

// ClaimInput is a claim as a moderator or a member gives it: who, the
// words, where they come from.
type ClaimInput struct {
	Person  string // the speaker's id
	Quote   string // the verbatim words
	Source  string // an http(s) URL, or the id of a document in the record
	Date    string // YYYY-MM-DD, YYYY-MM or YYYY, optional
	Context string // where, how, to whom, optional
	// Claim, when set, is the claim this input corrects: its words and
	// source are replaced (a new version).
	Claim       string
	SuggestedBy string
}

// EvidenceInput is an evidence link as a moderator gives it.
type EvidenceInput struct {
	Claim     string
	Relation  Relation
	Source    string // an http(s) URL, or the id of a document in the record
	Excerpt   string // the verbatim words of the source that bear on the claim
	Rationale string
}

// DocumentInput is a document as a moderator gives it.
type DocumentInput struct {
	Title      string
	Kind       DocKind
	Date       string
	URL        string
	Author     string   // person or organisation id, optional
	Recipients []string // person or organisation ids, optional
	Summary    string
	Text       string // the full text, when the moderator gives it
}

// IsURL reports whether source names a web page rather than a record.
func IsURL(source string) bool {
	return strings.HasPrefix(source, "http://") || strings.HasPrefix(source, "https://")
}

// ImportReport says what a server's import did.
type ImportReport struct {
	Added, Updated, Skipped int
	// Renamed maps ids the file used, which another server holds, to the
	// new ids their records got here.
	Renamed map[string]string
}

// Proposal is a claim the extractor read in an ingested report, waiting in
// its server's review queue: nothing of it is published before a
// moderator approves it.
type Proposal struct {
	ID       int64
	Guild    string // the server whose queue it is in ("" for a bot owner's direct messages)
	By       string // who ingested the report
	At       time.Time
	Batch    int64  // the ingest it came from
	Document string // the ingested report's document id
	// Start and End are byte offsets of Quote in the document's text.
	Start, End int
	Quote      string
	Form       ClaimForm
	// Speaker is the person's id when the record knows them; SpeakerName
	// is how the record names them, or how the text does when it does not
	// ("a Home Office source"); SpeakerText is the mention as written
	// ("she"); SpeakerDoc is set instead when a document speaks ("the memo").
	Speaker, SpeakerName, SpeakerText, SpeakerDoc string
	Cue, Medium, Venue                            string
	Attribution                                   Attribution
	Confidence                                    float64
	Reason                                        string // why the extractor thinks so
	// Duplicate is the claim already on record with the same words by the
	// same person: approving links this report to it as another appearance.
	Duplicate string
	Status    string // pending, approved, rejected
	DecidedBy string
	Result    string // the claim an approval made or linked
	// Context is the paragraph around the words, and DocumentTitle the
	// report's title, for review; filled on reading, not stored.
	Context       string
	ContextStart  int // the byte offset of Context in the document's text
	DocumentTitle string
}

// IngestInput is a news report a moderator gives, with the claims the
// extractor proposes from it.
type IngestInput struct {
	Title, URL, Date, Text string
	Proposals              []Proposal
}

// IngestReport says what an ingest did.
type IngestReport struct {
	Document string // the report's new document id
	Batch    int64
	// Queued proposals, of which Attributed name someone on record,
	// Duplicates repeat a claim on record, Unattributed name nobody.
	Queued, Attributed, Duplicates, Unattributed int
	// TooLong were not queued: words longer than one statement may be.
	TooLong int
}

// BatchDecision selects what a bulk review decides on: every pending
// proposal of a batch, or only those whose speaker is on record and
// stated by the text.
type BatchDecision struct {
	Batch   int64
	Approve bool
}
