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
