// Package knowledge is OnRecord's domain: the vocabulary of the record and
// the rules it keeps, with no I/O at all.
//
// It owns the record types (people with aliases and roles, organisations,
// documents, excerpts as verbatim spans of a document's text, claims with
// their attribution certainty, evidence links, figures, events), their
// validation and limits, the derived claim status, the actor and scope that
// decide what a user may see and do, name normalisation and matching, the
// error model (a code plus a message safe to show a user), and the embedded
// seed dataset in the export format.
//
// It imports only the standard library and golang.org/x/text: never
// database/sql, discordgo, or any other OnRecord package.
package knowledge
