package knowledge

// Format is the value of Dataset.Format for the current export format.
const Format = "onrecord/1"

// Dataset is a whole knowledge base, or a part of one, in the JSON form that
// `onrecord export` writes and `onrecord import` reads. The embedded seed is
// a Dataset. Slices are kept sorted by id so that the same knowledge base
// always serialises to the same bytes.
type Dataset struct {
	Format        string         `json:"format"`
	Organisations []Organisation `json:"organisations"`
	People        []Person       `json:"people"`
	Documents     []Document     `json:"documents"`
	Excerpts      []Excerpt      `json:"excerpts"`
	Claims        []Claim        `json:"claims"`
	Evidence      []Evidence     `json:"evidence"`
	Figures       []Figure       `json:"figures"`
	Events        []Event        `json:"events"`
}

// Origin says who owns a record: the embedded seed, a bot owner, or a
// server's moderators.
type Origin string

// The origins. Seed and owner records are global; moderator records belong
// to the server in Record.Guild.
const (
	OriginSeed      Origin = "seed"
	OriginOwner     Origin = "owner"
	OriginModerator Origin = "moderator"
)

// Record holds what every record carries besides its own fields.
type Record struct {
	// ID is the record's public, stable id: a kind prefix ("p-", "o-", "d-",
	// "x-", "c-", "l-", "f-", "e-") and lower-case letters, digits and
	// hyphens. Footers show it and commands take it.
	ID string `json:"id"`
	// Guild is the Discord server the record belongs to; empty for global
	// records (the seed and what bot owners add).
	Guild string `json:"guild,omitempty"`
	// Origin says who added the record: the seed, a bot owner, a moderator.
	Origin Origin `json:"origin,omitempty"`
	// Retracted, when set, takes the record out of answers; it is kept.
	Retracted *Retraction `json:"retracted,omitempty"`
}

// Organisation is a department, agency, party, committee, publisher, group
// of politicians, or a named government operation.
type Organisation struct {
	Record
	Name    string   `json:"name"`
	Kind    OrgKind  `json:"kind"`
	Summary string   `json:"summary,omitempty"`
	Parent  string   `json:"parent,omitempty"` // organisation id
	Aliases []string `json:"aliases,omitempty"`
	Sources []string `json:"sources"` // excerpt ids
}

// OrgKind is the kind of an organisation.
type OrgKind string

// The organisation kinds.
const (
	OrgDepartment OrgKind = "department"
	OrgAgency     OrgKind = "agency"
	OrgParty      OrgKind = "party"
	OrgCommittee  OrgKind = "committee"
	OrgPublisher  OrgKind = "publisher"
	OrgGroup      OrgKind = "group"
	OrgParliament OrgKind = "parliament"
	OrgOperation  OrgKind = "operation"
)

// Person is someone the record knows: a politician, an official, a
// commentator.
type Person struct {
	Record
	Name    string   `json:"name"`
	Summary string   `json:"summary,omitempty"`
	Aliases []Alias  `json:"aliases,omitempty"`
	Roles   []Role   `json:"roles,omitempty"`
	Sources []string `json:"sources"` // excerpt ids that name the person
}

// Alias is another form of a person's name that users type: a surname, a
// title form ("Ms Rudd"), a role form ("the home secretary"), a nickname.
type Alias struct {
	Name    string    `json:"name"`
	Kind    AliasKind `json:"kind"`
	Excerpt string    `json:"excerpt,omitempty"` // where the source uses this form
}

// AliasKind is the kind of an alias.
type AliasKind string

// The alias kinds.
const (
	AliasSurname  AliasKind = "surname"
	AliasTitle    AliasKind = "title"
	AliasRole     AliasKind = "role"
	AliasNickname AliasKind = "nickname"
	AliasOther    AliasKind = "other"
)

// Role is a position a person holds or held, as the source gives it.
type Role struct {
	Title        string `json:"title"`
	Organisation string `json:"organisation,omitempty"` // organisation id
	From         string `json:"from,omitempty"`         // partial date: 2017, 2017-06, 2017-06-15
	To           string `json:"to,omitempty"`
	Excerpt      string `json:"excerpt"`
}

// Document is a thing facts come from: a news article, a leaked memo, a
// report, a tweet, a committee session.
type Document struct {
	Record
	Title    string  `json:"title"`
	Kind     DocKind `json:"kind"`
	Summary  string  `json:"summary,omitempty"`
	Date     string  `json:"date,omitempty"`      // partial ISO date, only as precise as the source
	DateText string  `json:"date_text,omitempty"` // the source's own words ("late on Friday")
	URL      string  `json:"url,omitempty"`
	Parties  []Party `json:"parties,omitempty"`
	// Text is the document's full text when the record holds it; excerpts
	// of such a document must equal the slice at their offsets.
	Text    string   `json:"text,omitempty"`
	Sources []string `json:"sources"` // excerpt ids that describe the document
}

// DocKind is the kind of a document.
type DocKind string

// The document kinds.
const (
	DocArticle   DocKind = "article"
	DocMemo      DocKind = "memo"
	DocReport    DocKind = "report"
	DocTweet     DocKind = "tweet"
	DocStatement DocKind = "statement"
	DocHansard   DocKind = "hansard"
	DocCommittee DocKind = "committee-session"
	DocOther     DocKind = "other"
)

// Party is someone's part in a document: who wrote, sent, received,
// published or obtained it, with the source's hedge ("reportedly").
type Party struct {
	Role PartyRole `json:"role"`
	// Ref is the person or organisation id; empty when the source only
	// describes the party (Description).
	Ref         string `json:"ref,omitempty"`
	Description string `json:"description,omitempty"` // "other senior officials and civil servants"
	Hedge       string `json:"hedge,omitempty"`       // "reportedly": shown with the fact
	Excerpt     string `json:"excerpt"`
}

// PartyRole is the part a person or organisation plays in a document.
type PartyRole string

// The party roles.
const (
	PartyAuthor    PartyRole = "author"
	PartySender    PartyRole = "sender"
	PartyRecipient PartyRole = "recipient"
	PartyPublisher PartyRole = "publisher"
	PartySeenBy    PartyRole = "seen-by"
)

// Excerpt is a verbatim span of a document's text. Start and End are byte
// offsets into the UTF-8 text of Document when the record holds that text;
// they are both zero when it does not.
type Excerpt struct {
	Record
	Document string `json:"document"`
	Start    int    `json:"start"`
	End      int    `json:"end"`
	Text     string `json:"text"`
	// QuotedFrom is the document whose words the excerpt quotes, when that
	// is not Document itself (the article quoting the memo).
	QuotedFrom string `json:"quoted_from,omitempty"`
}

// Attribution says how sure the record is of who spoke.
type Attribution string

// The attribution certainties.
const (
	// AttrStated: the source names the speaker.
	AttrStated Attribution = "stated"
	// AttrInferred: the source only implies the speaker; Claim.AttributionReason says why.
	AttrInferred Attribution = "inferred"
	// AttrUnattributed: the source gives no plausible speaker.
	AttrUnattributed Attribution = "unattributed"
)

// ClaimForm says whether a claim's words are quoted or reported.
type ClaimForm string

// The claim forms.
const (
	FormDirect   ClaimForm = "direct"   // the speaker's own words, in quotation marks
	FormReported ClaimForm = "reported" // the source's paraphrase ("she denied seeing...")
)

// Claim is something a person (or a document) said, on the record.
type Claim struct {
	Record
	// Speaker is a person or document id; empty when unattributed.
	Speaker           string      `json:"speaker,omitempty"`
	Attribution       Attribution `json:"attribution"`
	AttributionReason string      `json:"attribution_reason,omitempty"`
	Words             string      `json:"words"` // verbatim for direct claims
	Form              ClaimForm   `json:"form"`
	Date              string      `json:"date,omitempty"`
	DateText          string      `json:"date_text,omitempty"`
	Venue             string      `json:"venue,omitempty"`  // where: "the committee", "Twitter"
	Medium            string      `json:"medium,omitempty"` // how: "told the committee", "tweeted"
	Context           string      `json:"context,omitempty"`
	Subjects          []string    `json:"subjects,omitempty"`     // ids of people the claim is about
	AppearsIn         string      `json:"appears_in,omitempty"`   // document id where the claim was made (the tweet)
	Excerpt           string      `json:"excerpt,omitempty"`      // the excerpt that reports the claim
	SourceURL         string      `json:"source_url,omitempty"`   // for claims sourced outside the record
	SourceQuote       string      `json:"source_quote,omitempty"` // the quoted words at SourceURL
	Verdict           *Verdict    `json:"verdict,omitempty"`
	SuggestedBy       string      `json:"suggested_by,omitempty"` // Discord user id of the member whose suggestion it was
}

// Relation is how an excerpt or a document bears on a claim.
type Relation string

// The evidence relations.
const (
	RelContradicts    Relation = "contradicts"
	RelSupports       Relation = "supports"
	RelContext        Relation = "context"
	RelShowsKnowledge Relation = "shows-knowledge"
	// RelReports: the excerpt reports the claim's words again (another
	// appearance of the same statement, in another report).
	RelReports Relation = "reports"
)

// Evidence links a claim to an excerpt (or a whole document) that bears on it.
type Evidence struct {
	Record
	Claim     string   `json:"claim"`
	Relation  Relation `json:"relation"`
	Excerpt   string   `json:"excerpt,omitempty"`
	Document  string   `json:"document,omitempty"` // when no excerpt: the document as a whole
	Rationale string   `json:"rationale"`
}

// Figure is a number the record holds, with what it counts and where it is stated.
type Figure struct {
	Record
	Label   string `json:"label"` // "Enforced returns planned, 2017-18"
	Value   string `json:"value"` // as written: "12,800"
	Period  string `json:"period,omitempty"`
	Claim   string `json:"claim,omitempty"` // the claim that states it: its speaker and attribution apply
	Excerpt string `json:"excerpt"`
}

// Event is something people or organisations did that the source reports:
// rallied behind a minister, were contacted for comment.
type Event struct {
	Record
	Summary  string   `json:"summary"`
	Date     string   `json:"date,omitempty"`
	DateText string   `json:"date_text,omitempty"`
	Actors   []string `json:"actors"`             // person or organisation ids
	Subjects []string `json:"subjects,omitempty"` // person or organisation ids
	Excerpt  string   `json:"excerpt"`
}

// Status is a claim's standing, derived from its evidence.
type Status string

// The claim statuses.
const (
	StatusContradicted Status = "contradicted"
	StatusSupported    Status = "supported"
	StatusDisputed     Status = "disputed"
	StatusUnverified   Status = "unverified"
)

// DeriveStatus returns a claim's status from the relations of its evidence:
// contradicted when only contradicting evidence exists, supported when only
// supporting evidence exists, disputed when both do, unverified when neither
// does. Context and shows-knowledge links do not change the status.
func DeriveStatus(relations []Relation) Status {
	var con, sup bool
	for _, r := range relations {
		switch r {
		case RelContradicts:
			con = true
		case RelSupports:
			sup = true
		}
	}
	switch {
	case con && sup:
		return StatusDisputed
	case con:
		return StatusContradicted
	case sup:
		return StatusSupported
	}
	return StatusUnverified
}
