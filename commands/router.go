package commands

import (
	"context"
	"fmt"
	"slices"

	"github.com/bwmarrin/discordgo"

	"github.com/onrecord/onrecord/knowledge"
)

// Store is everything the routing table's handlers need from storage.
// *db.Store satisfies it; tests use small map-backed fakes.
type Store interface {
	whoStore
	claimsStore
}

// Request is one interaction as a handler sees it: who asks, the
// interaction, and its command data already type-checked.
type Request struct {
	Actor       knowledge.Actor
	Interaction *discordgo.Interaction
	Data        discordgo.ApplicationCommandInteractionData
}

// Handler answers one application command. It returns the response to
// send, or an error whose knowledge message the router shows the user.
type Handler func(ctx context.Context, req *Request) (*discordgo.InteractionResponse, error)

// Command is a slash command: its Discord definition and its handler.
type Command struct {
	Def    *discordgo.ApplicationCommand
	Handle Handler
}

// Router is OnRecord's one routing table: every command the bot knows, by
// name, and the single place where handler errors become what a user sees.
type Router struct {
	commands []*Command
}

// NewRouter returns the routing table with every command, its handlers
// reading from store.
func NewRouter(store Store) *Router {
	return &Router{commands: []*Command{
		whoCommand(store),
		claimsCommand(store),
	}}
}

// Definitions returns the Discord definitions of every command, in the
// order they are registered.
func (rt *Router) Definitions() []*discordgo.ApplicationCommand {
	out := make([]*discordgo.ApplicationCommand, len(rt.commands))
	for i, c := range rt.commands {
		out[i] = c.Def
	}
	return out
}

// Definition returns the definition of the command called name.
func (rt *Router) Definition(name string) (*discordgo.ApplicationCommand, bool) {
	i := slices.IndexFunc(rt.commands, func(c *Command) bool { return c.Def.Name == name })
	if i < 0 {
		return nil, false
	}
	return rt.commands[i].Def, true
}

// Handle answers interaction i from actor. The response is never nil:
// when a handler fails, it is a short ephemeral message made from the
// error's user-safe text (internal detail never reaches it), and the error
// is returned as well for the caller to log. Every message response allows
// no mentions.
func (rt *Router) Handle(ctx context.Context, actor knowledge.Actor, i *discordgo.Interaction) (*discordgo.InteractionResponse, error) {
	resp, err := rt.route(ctx, actor, i)
	if err != nil {
		resp = ErrorResponse(err)
	}
	return Safe(resp), err
}

func (rt *Router) route(ctx context.Context, actor knowledge.Actor, i *discordgo.Interaction) (*discordgo.InteractionResponse, error) {
	switch i.Type {
	case discordgo.InteractionPing:
		return &discordgo.InteractionResponse{Type: discordgo.InteractionResponsePong}, nil
	case discordgo.InteractionApplicationCommand:
		data, ok := i.Data.(discordgo.ApplicationCommandInteractionData)
		if !ok {
			return nil, fmt.Errorf("application command without command data (%T)", i.Data)
		}
		for _, c := range rt.commands {
			if c.Def.Name == data.Name {
				return c.Handle(ctx, &Request{Actor: actor, Interaction: i, Data: data})
			}
		}
		return nil, knowledge.Errorf(knowledge.CodeNotFound, "OnRecord does not know /%s any more. Type / to see its commands.", Escape(clipRunes(data.Name, 32)))
	case discordgo.InteractionApplicationCommandAutocomplete:
		// No option autocompletes yet: answer with no choices rather than
		// leave the client waiting.
		return &discordgo.InteractionResponse{
			Type: discordgo.InteractionApplicationCommandAutocompleteResult,
			Data: &discordgo.InteractionResponseData{Choices: []*discordgo.ApplicationCommandOptionChoice{}},
		}, nil
	case discordgo.InteractionMessageComponent, discordgo.InteractionModalSubmit:
		return nil, knowledge.Errorf(knowledge.CodeNotFound, "That button or form is no longer in use. Run the command again.")
	}
	return nil, fmt.Errorf("unknown interaction type %d", i.Type)
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
	return Ephemeral(Fit(prefix+knowledge.ErrorMessage(err), 2000))
}

// Ephemeral returns a message only the asker sees.
func Ephemeral(content string) *discordgo.InteractionResponse {
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: content, Flags: discordgo.MessageFlagsEphemeral},
	}
}

// Message returns a message everyone in the channel sees.
func Message(content string, embeds ...*discordgo.MessageEmbed) *discordgo.InteractionResponse {
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: content, Embeds: embeds},
	}
}

// Safe makes resp safe to send: every response that carries a message
// gets allowed_mentions with an empty parse list, so that nothing stored
// can ping anyone.
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
