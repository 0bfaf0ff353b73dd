package commands

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/bwmarrin/discordgo"

	"github.com/onrecord/onrecord/knowledge"
)

// Store is everything the routing table's handlers need from storage.
// *db.Store satisfies it; tests use small map-backed fakes.
type Store interface {
	PersonFinder
	Texter
	// PersonProfile returns what the record holds about person id.
	PersonProfile(ctx context.Context, scope knowledge.Scope, id string) (*knowledge.PersonProfile, error)
	// Claims returns one page of the claims q selects.
	Claims(ctx context.Context, scope knowledge.Scope, q knowledge.ClaimQuery) (knowledge.ClaimPage, error)
	// Claim returns one claim in full.
	Claim(ctx context.Context, scope knowledge.Scope, id string) (*knowledge.ClaimView, error)
	// FindDocument resolves what a user calls a document.
	FindDocument(ctx context.Context, scope knowledge.Scope, query string) (knowledge.DocResolution, error)
	// DocumentProfile returns what the record holds about document id.
	DocumentProfile(ctx context.Context, scope knowledge.Scope, id string) (*knowledge.DocumentProfile, error)
	// Search returns one page of full-text hits.
	Search(ctx context.Context, scope knowledge.Scope, query string, offset, limit int) (knowledge.SearchPage, error)
	// Timeline returns one page of dated items.
	Timeline(ctx context.Context, scope knowledge.Scope, q knowledge.TimelineQuery) (knowledge.TimelinePage, error)
	// Sources returns one page of the documents the record draws on.
	Sources(ctx context.Context, scope knowledge.Scope, offset, limit int) (knowledge.SourcePage, error)
	// Stats counts the visible records by kind.
	Stats(ctx context.Context, scope knowledge.Scope) (map[string]int, error)
	// Suggest returns autocomplete choices for a person, claim or document.
	Suggest(ctx context.Context, scope knowledge.Scope, kind, typed string) ([]knowledge.Choice, error)
	// Generation returns a number that changes whenever the record may
	// have changed; answers computed under one generation stay true while
	// it lasts.
	Generation(ctx context.Context) uint64
	ModStore
}

// ModStore is what the moderators' commands change and read. Every write
// takes a knowledge.Change (who, why, which interaction) and commits with
// its history and audit row.
type ModStore interface {
	Add(ctx context.Context, ch knowledge.Change, e knowledge.Entry) (string, error)
	Edit(ctx context.Context, ch knowledge.Change, id string, version int, edit func(knowledge.Entry) error) error
	Retract(ctx context.Context, ch knowledge.Change, id string) (hidden bool, err error)
	Restore(ctx context.Context, ch knowledge.Change, id string) (unhidden bool, err error)
	Revert(ctx context.Context, ch knowledge.Change, id string, version int) error
	History(ctx context.Context, actor knowledge.Actor, id string) ([]knowledge.Version, string, error)
	Audit(ctx context.Context, actor knowledge.Actor, f knowledge.AuditFilter) ([]knowledge.AuditEntry, error)
	Entry(ctx context.Context, actor knowledge.Actor, id string) (knowledge.Entry, int, error)
	AddClaim(ctx context.Context, ch knowledge.Change, in knowledge.ClaimInput) (string, error)
	AddEvidence(ctx context.Context, ch knowledge.Change, in knowledge.EvidenceInput) (string, error)
	AddDocument(ctx context.Context, ch knowledge.Change, in knowledge.DocumentInput) (string, error)
	SetVerdict(ctx context.Context, ch knowledge.Change, id string, v knowledge.Verdict) error
	Settings(ctx context.Context, guild string) (knowledge.Settings, error)
	SaveSettings(ctx context.Context, ch knowledge.Change, st knowledge.Settings) error
	QueueSuggestion(ctx context.Context, ch knowledge.Change, sg knowledge.Suggestion) (int64, error)
	NextSuggestion(ctx context.Context, actor knowledge.Actor) (*knowledge.Suggestion, int, error)
	Decide(ctx context.Context, ch knowledge.Change, id int64, approve bool) (string, error)
	Export(ctx context.Context, scope *knowledge.Scope) (*knowledge.Dataset, error)
	ImportInto(ctx context.Context, ch knowledge.Change, ds *knowledge.Dataset) (knowledge.ImportReport, error)
	SuggestRecords(ctx context.Context, actor knowledge.Actor, typed string) ([]knowledge.Choice, error)
	// PeopleNamed returns the people one of whose names is name exactly:
	// what the extractor resolves a mention with.
	PeopleNamed(ctx context.Context, scope knowledge.Scope, name string) ([]knowledge.Candidate, error)
	// Ingest adds a report and queues the claims proposed from it.
	Ingest(ctx context.Context, ch knowledge.Change, in knowledge.IngestInput) (knowledge.IngestReport, error)
	// NextProposal returns the oldest proposal waiting in the actor's
	// server, how many wait there, and how many from its report.
	NextProposal(ctx context.Context, actor knowledge.Actor) (*knowledge.Proposal, int, int, error)
	// DecideProposal approves (as said by speaker, when given) or rejects one proposal.
	DecideProposal(ctx context.Context, ch knowledge.Change, id int64, approve bool, speaker string) (string, error)
	// DecideBatch approves a report's stated proposals, or rejects all it has left.
	DecideBatch(ctx context.Context, ch knowledge.Change, batch int64, approve bool) (int, error)
}

// Fetcher downloads a file a user attached to a command.
type Fetcher interface {
	// Fetch returns the attachment's bytes; CodeInvalid when it cannot be read.
	Fetch(ctx context.Context, a *discordgo.MessageAttachment) ([]byte, error)
}

// Announcer posts a message in a channel: the notice of a change a
// server asked for in /kb settings.
type Announcer interface {
	Announce(ctx context.Context, channelID string, msg *discordgo.MessageSend) error
}

// Deps are what the commands need from the transport besides storage.
type Deps struct {
	Fetch    Fetcher   // nil: attachments cannot be read
	Announce Announcer // nil: changes are not announced
}

// Request is one interaction as a handler sees it.
type Request struct {
	Actor       knowledge.Actor
	Interaction *discordgo.Interaction
	// Resolved holds what a command's user, role, channel and attachment
	// options refer to.
	Resolved *discordgo.ApplicationCommandInteractionDataResolved
}

// change returns the Change a write in this request makes.
func (r *Request) change(action knowledge.Action, reason string) knowledge.Change {
	return knowledge.Change{Actor: r.Actor, Action: action, Reason: reason, Interaction: r.Interaction.ID}
}

// Runner answers a command for its parameters (the option values by name,
// and paging parameters when a button asks for another page). It returns
// the message to show; the router decides whether it is a new message or
// replaces the one whose button was pressed.
type Runner func(ctx context.Context, req *Request, p Params) (*discordgo.InteractionResponseData, error)

// Completer returns autocomplete choices for option, given what the user
// has typed so far.
type Completer func(ctx context.Context, req *Request, option, typed string) ([]*discordgo.ApplicationCommandOptionChoice, error)

// ActionHandler answers a button or a modal that does more than page or
// pick: approve, reject, save an edit. It returns the whole response (a
// modal may answer a button).
type ActionHandler func(ctx context.Context, req *Request, p Params, values []string, fields map[string]string) (*discordgo.InteractionResponse, error)

// Command is a slash command: its Discord definition, its handlers, and
// how /help shows it.
type Command struct {
	Def      *discordgo.ApplicationCommand
	Run      Runner
	Complete Completer // nil when no option autocompletes
	// Act answers the command's action buttons (PrefixAction) and modals
	// (PrefixModal); nil when it has none.
	Act     ActionHandler
	Example string // a one-line example for /help
	// Moderators marks commands shown in /help only to moderators.
	Moderators bool
	// Shared marks a command whose answers (to the command, its
	// autocomplete, its paging buttons and name menus) depend only on the
	// server it is asked in, the question and the record, never on who
	// asks: the Router may keep them and give the same answer to the same
	// question until the record changes.
	Shared bool
}

// Router is OnRecord's one routing table: every command by name, every
// component by custom_id prefix (PrefixPage, PrefixPick), and the single
// place where handler errors become what a user sees.
type Router struct {
	store    Store
	deps     Deps
	commands []*Command
	cache    *answerCache // nil when answers are not kept
}

// NewRouter returns the routing table with every command, its handlers
// reading from and writing to store, with deps from the transport. It
// keeps up to DefaultAnswerCache answers of Shared commands (see
// SetAnswerCache).
func NewRouter(store Store, deps Deps) *Router {
	rt := &Router{store: store, deps: deps, cache: newAnswerCache(DefaultAnswerCache)}
	rt.commands = []*Command{
		whoCommand(store),
		claimsCommand(store),
		claimCommand(store),
		documentCommand(store),
		contradictionsCommand(store),
		searchCommand(store),
		timelineCommand(store),
		sourcesCommand(store),
		aboutCommand(store),
		helpCommand(rt),
		suggestCommand(store, deps),
		kbCommand(store, deps),
	}
	return rt
}

// SetAnswerCache sets how many answers of Shared commands the Router keeps
// (0 keeps none, so every answer is computed afresh). An answer is kept
// for as long as store.Generation says the record has not changed. Call it
// before the Router answers anything.
func (rt *Router) SetAnswerCache(entries int) { rt.cache = newAnswerCache(entries) }

// Definitions returns the Discord definitions of every command, in the
// order they are registered.
func (rt *Router) Definitions() []*discordgo.ApplicationCommand {
	out := make([]*discordgo.ApplicationCommand, len(rt.commands))
	for i, c := range rt.commands {
		out[i] = c.Def
	}
	return out
}

func (rt *Router) command(name string) *Command {
	i := slices.IndexFunc(rt.commands, func(c *Command) bool { return c.Def.Name == name })
	if i < 0 {
		return nil
	}
	return rt.commands[i]
}

// Handle answers interaction i from actor. The response is never nil:
// when a handler fails, it is a short ephemeral message made from the
// error's user-safe text (internal detail never reaches it), and the error
// is returned as well for the caller to log. Every message response allows
// no mentions.
func (rt *Router) Handle(ctx context.Context, actor knowledge.Actor, i *discordgo.Interaction) (*discordgo.InteractionResponse, error) {
	var key string
	var gen uint64
	shared := false
	if rt.cache != nil && rt.store != nil {
		if key, shared = rt.cacheKey(actor, i); shared {
			gen = rt.store.Generation(ctx)
			if resp, ok := rt.cache.get(key, gen); ok {
				return resp, nil
			}
		}
	}
	if !shared {
		// A shared answer does not depend on the asker's rank, so only
		// the others need the server's moderator roles looked up.
		var err error
		if actor, err = rt.withRoles(ctx, actor, i); err != nil {
			return Safe(ErrorResponse(err)), err
		}
	}
	resp, err := rt.route(ctx, actor, i)
	if err != nil {
		return Safe(ErrorResponse(err)), err
	}
	resp = Safe(resp)
	if shared && (resp.Data == nil || len(resp.Data.Files) == 0) {
		rt.cache.put(key, gen, resp)
	}
	return resp, nil
}

// withRoles makes a member a moderator when one of their roles is a
// moderator role their server configured: the bot checks rights itself on
// every use, from the interaction's member permissions and roles.
func (rt *Router) withRoles(ctx context.Context, actor knowledge.Actor, i *discordgo.Interaction) (knowledge.Actor, error) {
	if actor.Rank != knowledge.RankMember || actor.GuildID == "" || i.Member == nil || len(i.Member.Roles) == 0 || rt.store == nil {
		return actor, nil
	}
	st, err := rt.store.Settings(ctx, actor.GuildID)
	if err != nil {
		return actor, err
	}
	for _, r := range i.Member.Roles {
		if slices.Contains(st.ModeratorRoles, r) {
			actor.Rank = knowledge.RankModerator
			break
		}
	}
	return actor, nil
}

func (rt *Router) route(ctx context.Context, actor knowledge.Actor, i *discordgo.Interaction) (*discordgo.InteractionResponse, error) {
	req := &Request{Actor: actor, Interaction: i}
	switch i.Type {
	case discordgo.InteractionPing:
		return &discordgo.InteractionResponse{Type: discordgo.InteractionResponsePong}, nil

	case discordgo.InteractionApplicationCommand:
		data, ok := i.Data.(discordgo.ApplicationCommandInteractionData)
		if !ok {
			return nil, fmt.Errorf("application command without command data (%T)", i.Data)
		}
		cmd := rt.command(data.Name)
		if cmd == nil {
			return nil, knowledge.Errorf(knowledge.CodeNotFound, "OnRecord does not know /%s any more. Type / to see its commands.", Escape(clipRunes(data.Name, 32)))
		}
		p := Params{}
		flattenOptions(data.Options, p)
		req.Resolved = data.Resolved
		msg, err := cmd.Run(ctx, req, p)
		if err != nil {
			return nil, err
		}
		if msg.CustomID != "" && msg.Title != "" {
			// A Runner answering with a titled form opens it as a modal.
			return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseModal, Data: msg}, nil
		}
		return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: msg}, nil

	case discordgo.InteractionApplicationCommandAutocomplete:
		data, ok := i.Data.(discordgo.ApplicationCommandInteractionData)
		if !ok {
			return nil, fmt.Errorf("autocomplete without command data (%T)", i.Data)
		}
		var choices []*discordgo.ApplicationCommandOptionChoice
		if cmd := rt.command(data.Name); cmd != nil && cmd.Complete != nil {
			if name, typed, ok := focused(data.Options); ok {
				var err error
				if choices, err = cmd.Complete(ctx, req, name, typed); err != nil {
					return nil, err
				}
			}
		}
		if choices == nil {
			choices = []*discordgo.ApplicationCommandOptionChoice{}
		}
		return &discordgo.InteractionResponse{Type: discordgo.InteractionApplicationCommandAutocompleteResult,
			Data: &discordgo.InteractionResponseData{Choices: choices}}, nil

	case discordgo.InteractionMessageComponent:
		data, ok := i.Data.(discordgo.MessageComponentInteractionData)
		if !ok {
			return nil, fmt.Errorf("component without component data (%T)", i.Data)
		}
		st, err := DecodeState(ctx, rt.store, data.CustomID)
		if err != nil {
			return nil, err
		}
		cmd := rt.command(st.Command)
		if cmd == nil {
			return nil, knowledge.Errorf(knowledge.CodeNotFound, "That button belongs to a command OnRecord no longer has. Type / to see its commands.")
		}
		if st.Prefix == PrefixAction {
			if cmd.Act == nil {
				return nil, knowledge.Errorf(knowledge.CodeNotFound, "That button is no longer in use. Run the command again.")
			}
			return cmd.Act(ctx, req, st.Params, data.Values, nil)
		}
		if st.Prefix == PrefixPick {
			field := st.Params["f"]
			if field == "" || len(data.Values) != 1 {
				return nil, knowledge.Errorf(knowledge.CodeInvalid, "Choose one name from the list.")
			}
			delete(st.Params, "f")
			st.Params[field] = data.Values[0]
		}
		msg, err := cmd.Run(ctx, req, st.Params)
		if err != nil {
			return nil, err
		}
		return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseUpdateMessage, Data: msg}, nil

	case discordgo.InteractionModalSubmit:
		data, ok := i.Data.(discordgo.ModalSubmitInteractionData)
		if !ok {
			return nil, fmt.Errorf("modal submit without modal data (%T)", i.Data)
		}
		st, err := DecodeState(ctx, rt.store, data.CustomID)
		if err != nil {
			return nil, err
		}
		cmd := rt.command(st.Command)
		if st.Prefix != PrefixModal || cmd == nil || cmd.Act == nil {
			return nil, knowledge.Errorf(knowledge.CodeNotFound, "That form is no longer in use. Run the command again.")
		}
		return cmd.Act(ctx, req, st.Params, nil, modalFields(data.Components))
	}
	return nil, fmt.Errorf("unknown interaction type %d", i.Type)
}

// modalFields returns a submitted modal's text inputs by custom_id.
func modalFields(rows []discordgo.MessageComponent) map[string]string {
	out := map[string]string{}
	var walk func(cs []discordgo.MessageComponent)
	walk = func(cs []discordgo.MessageComponent) {
		for _, c := range cs {
			switch v := c.(type) {
			case *discordgo.ActionsRow:
				walk(v.Components)
			case discordgo.ActionsRow:
				walk(v.Components)
			case *discordgo.TextInput:
				out[v.CustomID] = v.Value
			case discordgo.TextInput:
				out[v.CustomID] = v.Value
			}
		}
	}
	walk(rows)
	return out
}

// flattenOptions puts option values into p by name, and the subcommand
// group and subcommand names under "group" and "sub".
func flattenOptions(opts []*discordgo.ApplicationCommandInteractionDataOption, p Params) {
	for _, o := range opts {
		switch o.Type {
		case discordgo.ApplicationCommandOptionSubCommandGroup:
			p["group"] = o.Name
			flattenOptions(o.Options, p)
		case discordgo.ApplicationCommandOptionSubCommand:
			p["sub"] = o.Name
			flattenOptions(o.Options, p)
		default:
			p[o.Name] = optionString(o.Value)
		}
	}
}

// optionString renders an option's JSON value as text.
func optionString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}

// focused returns the option being typed in an autocomplete interaction.
func focused(opts []*discordgo.ApplicationCommandInteractionDataOption) (string, string, bool) {
	for _, o := range opts {
		if o.Focused {
			return o.Name, optionString(o.Value), true
		}
		if name, v, ok := focused(o.Options); ok {
			return name, v, true
		}
	}
	return "", "", false
}

// ErrorResponse returns the ephemeral message a user sees for err: its
// knowledge message, or a generic apology for internal errors.
func ErrorResponse(err error) *discordgo.InteractionResponse {
	prefix := ""
	switch knowledge.ErrorCode(err) {
	case knowledge.CodeForbidden:
		prefix = "Not allowed: "
	case knowledge.CodeInvalid:
		prefix = "Please check your input: "
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return Ephemeral("That took too long to answer. Please try again, or narrow the question.")
	}
	return Ephemeral(Fit(prefix+knowledge.ErrorMessage(err), LimitContent))
}

// Ephemeral returns a message only the asker sees.
func Ephemeral(content string) *discordgo.InteractionResponse {
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: content, Flags: discordgo.MessageFlagsEphemeral},
	}
}

// message returns message data with content and embeds.
func message(content string, embeds ...*discordgo.MessageEmbed) *discordgo.InteractionResponseData {
	return &discordgo.InteractionResponseData{Content: content, Embeds: embeds}
}

// Safe makes resp safe to send: every response that carries a message
// gets allowed_mentions with an empty parse list, so that nothing stored
// can ping anyone, and a message replacing another clears components it
// does not set.
func Safe(resp *discordgo.InteractionResponse) *discordgo.InteractionResponse {
	if resp == nil {
		return nil
	}
	switch resp.Type {
	case discordgo.InteractionResponseChannelMessageWithSource, discordgo.InteractionResponseUpdateMessage:
		if resp.Data == nil {
			resp.Data = &discordgo.InteractionResponseData{}
		}
		resp.Data.AllowedMentions = NoMentions()
		if resp.Type == discordgo.InteractionResponseUpdateMessage {
			if resp.Data.Components == nil {
				resp.Data.Components = []discordgo.MessageComponent{}
			}
			if resp.Data.Embeds == nil {
				resp.Data.Embeds = []*discordgo.MessageEmbed{}
			}
		}
	}
	return resp
}

// NoMentions returns allowed_mentions that parse nothing.
func NoMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// ActorOf works out who sent interaction i and with which rights: a bot
// owner when their user id is in owners; a moderator when the interaction
// comes from a server and their permissions there include Manage Messages
// (or Administrator); otherwise a member. In a direct message nobody is a
// moderator.
func ActorOf(i *discordgo.Interaction, owners []string) knowledge.Actor {
	a := knowledge.Actor{GuildID: i.GuildID, ChannelID: i.ChannelID}
	switch {
	case i.Member != nil && i.Member.User != nil:
		a.UserID = i.Member.User.ID
	case i.User != nil:
		a.UserID = i.User.ID
	}
	if i.GuildID != "" && i.Member != nil {
		const rights = discordgo.PermissionManageMessages | discordgo.PermissionAdministrator
		if i.Member.Permissions&rights != 0 {
			a.Rank = knowledge.RankModerator
		}
	} else {
		a.GuildID = "" // a DM sees only the global record
	}
	if a.UserID != "" && slices.Contains(owners, a.UserID) {
		a.Rank = knowledge.RankOwner
	}
	return a
}

func clipRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}
