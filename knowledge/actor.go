package knowledge

// Rank is a user's tier of rights. Each rank has the rights of those below it.
type Rank int

// The ranks, lowest first.
const (
	// RankMember may read and suggest.
	RankMember Rank = iota
	// RankModerator may edit the record of their own server.
	RankModerator
	// RankOwner (a bot owner, listed in ONRECORD_OWNER_IDS) may edit the global record.
	RankOwner
)

// String returns "member", "moderator" or "owner".
func (r Rank) String() string {
	switch r {
	case RankModerator:
		return "moderator"
	case RankOwner:
		return "owner"
	}
	return "member"
}

// Actor is who is asking: a Discord user, in a server or a direct message,
// with the rank the bot has worked out for them there.
type Actor struct {
	UserID    string
	GuildID   string // empty in a direct message
	ChannelID string
	Rank      Rank
}

// Scope returns what the actor may see: the global record plus their
// server's own.
func (a Actor) Scope() Scope { return Scope{Guild: a.GuildID} }

// Scope selects the records a query may see: every global record, plus the
// records of Guild when it is set.
type Scope struct {
	Guild string
}

// Sees reports whether a record belonging to guild ("" for global) is
// visible in the scope.
func (s Scope) Sees(guild string) bool { return guild == "" || guild == s.Guild }
