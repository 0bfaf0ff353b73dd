package knowledge

// The views below are what a store returns to the commands: a record with
// the records it refers to already resolved, so that a handler renders an
// answer without asking again.

// DocRef is what an answer shows of a document when citing it.
type DocRef struct {
	ID       string
	Title    string
	Kind     DocKind
	URL      string
	Date     string
	DateText string
}

// Ref returns the DocRef of d.
func (d *Document) Ref() DocRef {
	return DocRef{ID: d.ID, Title: d.Title, Kind: d.Kind, URL: d.URL, Date: d.Date, DateText: d.DateText}
}

// ExcerptView is an excerpt with the document it is a span of and, when it
// quotes another document, that document.
type ExcerptView struct {
	Excerpt
	Document   DocRef
	QuotedFrom *DocRef
}

// Source returns the document the excerpt's words come from: the quoted
// document when there is one, otherwise the document it is a span of.
func (x ExcerptView) Source() DocRef {
	if x.QuotedFrom != nil {
		return *x.QuotedFrom
	}
	return x.Document
}

// Named is a record shown by name: a person, an organisation or a document.
type Named struct {
	ID   string
	Name string
}

// RoleView is a role with its organisation resolved.
type RoleView struct {
	Role
	Org    *Organisation // nil when the role names none
	Parent *Organisation // the organisation's parent, when it has one
	Source *ExcerptView
}

// PartyView is a person's part in a document, with every party of that
// document named, so that an answer can say "sent it to Ms Rudd and
// Brandon Lewis among other senior officials".
type PartyView struct {
	Party
	Document DocRef
	Parties  []PartyName // every visible party of the document, in document order
	Source   *ExcerptView
}

// PartyName is a party of a document by name.
type PartyName struct {
	Role  PartyRole
	Name  string // the person's or organisation's name, or the description
	Hedge string
	Self  bool // the person the view is about
}

// EventView is an event with its participants named and its excerpt.
type EventView struct {
	Event
	Actors   []Named
	Subjects []Named
	Source   *ExcerptView
}

// PersonProfile is what the record holds about one person: the answer to /who.
type PersonProfile struct {
	Person  Person
	Roles   []RoleView
	Parties []PartyView // documents they wrote, sent, received
	Events  []EventView // things they did, or that were done about them
	// ClaimsBy counts the claims attributed to them, stated or inferred;
	// InferredBy counts the inferred ones among them.
	ClaimsBy   int
	InferredBy int
	// ClaimsAbout counts the claims whose subjects include them.
	ClaimsAbout int
	// Statuses counts the person's own claims by status.
	Statuses map[Status]int
	// TopClaims are the person's first three claims in the order /claims
	// lists them; only Claim, Status and Source are filled.
	TopClaims []ClaimView
	Sources   []ExcerptView
}

// EvidenceView is an evidence link with what it points at resolved.
type EvidenceView struct {
	Evidence
	Excerpt  *ExcerptView
	Document *DocRef // the linked document, or the excerpt's source
	Figures  []Figure
}

// ClaimView is a claim with its speaker, source and evidence resolved: the
// unit /claims lists.
type ClaimView struct {
	Claim
	Speaker   *Named // nil when unattributed
	SpeakerIs string // "person" or "document"
	// SpeakerRole is the speaker's first current role title, for the
	// author line ("Amber Rudd · Home Secretary").
	SpeakerRole string
	Subjects    []Named
	Source      *ExcerptView // the excerpt that reports the claim
	AppearsIn   *DocRef
	Evidence    []EvidenceView
	Status      Status
}

// ClaimQuery selects claims for /claims and /contradictions.
type ClaimQuery struct {
	Speaker string // person id; empty for any speaker
	// Status keeps only claims with this status (as derived in the
	// asker's scope); empty keeps all.
	Status Status
	// Contradicted keeps claims that any evidence contradicts (the
	// contradicted and the disputed), ordered strongest first: most
	// contradicting links, primary sources first.
	Contradicted bool
	// About keeps claims whose words, context or evidence (rationale or
	// excerpt) hold every word of this text.
	About  string
	Offset int
	Limit  int // 0 means the store's default
}

// ClaimPage is one page of claims and how many there are in all.
type ClaimPage struct {
	Items []ClaimView
	Total int
}

// Choice is an autocomplete suggestion: what the user sees and the value
// the command receives.
type Choice struct {
	Name  string // "Amber Rudd: Home Secretary", at most 100 characters
	Value string // the record id
}

// DocMatch is a document a query may name.
type DocMatch struct {
	Ref   DocRef
	Score int
}

// DocResolution is the answer to "which document is this?": one Best means
// found, several ambiguous, none not on record.
type DocResolution struct {
	Query string
	Best  []DocRef
}

// DocumentProfile is what the record holds about one document: /document.
type DocumentProfile struct {
	Document Document      // without its text
	Parties  []PartyName   // who wrote, sent, received, published or saw it
	Sources  []ExcerptView // excerpts that describe the document
	// Excerpts are the spans held from the document (quoting it, or cut
	// from its held text), first ones only; ExcerptCount counts them all.
	Excerpts     []ExcerptView
	ExcerptCount int
	Figures      []Figure
	// Claims are the claims it bears on (as evidence), the claims it makes
	// (as speaker) and the claims it reports (as source), with status.
	Claims []DocClaim
}

// DocClaim is a claim a document bears on, and how.
type DocClaim struct {
	Claim    ClaimView // Claim, Speaker and Status filled
	Relation string    // "contradicts", "supports", "context", "shows-knowledge", "says" or "reports"
}

// SearchHit is one full-text match.
type SearchHit struct {
	ID      string
	Kind    string // person, claim, excerpt, document, ...
	Label   string // the record's name or words
	Snippet string // the matching text, matches between \x02 and \x03
	// Context names what the hit belongs to: a claim's speaker, an
	// excerpt's document.
	Context string
}

// SearchPage is one page of search hits and how many there are in all (or
// a lower bound, when Capped).
type SearchPage struct {
	Items  []SearchHit
	Total  int
	Capped bool
	// Newest, when not 0, says that so many records matched that only the
	// newest Newest of them were ranked.
	Newest int
	// Unranked says that a word of the query is so common that the hits
	// come newest first instead of best first.
	Unranked bool
}

// TimelineItem is one dated thing: a document written or sent, a claim
// made, an event.
type TimelineItem struct {
	Date     string // partial ISO date; empty when undated
	DateText string // the source's own words
	Kind     string // "document", "claim" or "event"
	ID       string
	Text     string // what happened, in a line
	Who      string // who did it, when known
	Source   *ExcerptView
}

// TimelineQuery selects timeline items.
type TimelineQuery struct {
	Person string // person id; empty for everyone
	About  string
	Offset int
	Limit  int
}

// TimelinePage is one page of the timeline, dated items first.
type TimelinePage struct {
	Items []TimelineItem
	Total int
	// Capped says that Total is a lower bound: the store stopped counting.
	Capped bool
}

// SourcePage is one page of /sources and how many documents there are.
type SourcePage struct {
	Items []SourceDoc
	Total int
}

// SourceDoc is a document /sources lists, with how much the record draws
// on it.
type SourceDoc struct {
	Ref      DocRef
	Summary  string
	Excerpts int // excerpts the record holds from it
	Claims   int // claims it reports or bears on
}
