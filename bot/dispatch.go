package bot

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/onrecord/onrecord/commands"
	"github.com/onrecord/onrecord/knowledge"
)

// DefaultTimeout bounds one interaction's handler: Discord lets an
// interaction token be used for 15 minutes, but nobody waits that long.
const DefaultTimeout = 30 * time.Second

// Dispatcher is the one entry point every transport (the console, the
// gateway, the HTTP endpoint) hands interactions to. It works out who is
// asking, puts a deadline on the handler, recovers from panics, and logs one
// line per interaction.
type Dispatcher struct {
	Router  *commands.Router
	Owners  []string // bot owners' Discord user ids
	Log     *slog.Logger
	Timeout time.Duration // per interaction; DefaultTimeout when zero
	Metrics *Metrics      // nil records nothing
}

// Outcome says how an interaction ended, for logs and metrics.
type Outcome string

// The outcomes.
const (
	OutcomeOK    Outcome = "ok"
	OutcomeError Outcome = "error" // the handler returned an error; the user saw its message
	OutcomePanic Outcome = "panic" // the handler panicked; the user saw an apology
)

// Dispatch answers interaction i. It always returns a response to send,
// never nil: a handler's error becomes its user-safe message, a panic an
// apology, and the details go to the log only.
func (d *Dispatcher) Dispatch(ctx context.Context, i *discordgo.Interaction) (resp *discordgo.InteractionResponse, outcome Outcome) {
	start := time.Now()
	timeout := d.Timeout
	if timeout == 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	actor := commands.ActorOf(i, d.Owners)
	var err error
	defer func() {
		command := commandName(i)
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
			outcome = OutcomePanic
			resp = commands.Safe(commands.Ephemeral("Sorry, something broke while answering that. It has been logged; please try again."))
			d.logger().Error("interaction panicked", append(interactionAttrs(i, actor), "outcome", outcome, "error", err, "stack", string(debug.Stack()))...)
			d.Metrics.interaction(command, i.Type.String(), outcome, string(knowledge.CodeInternal), time.Since(start))
			return
		}
		d.Metrics.interaction(command, i.Type.String(), outcome, string(knowledge.ErrorCode(err)), time.Since(start))
		attrs := append(interactionAttrs(i, actor), "outcome", outcome, "latency", time.Since(start))
		if err != nil {
			attrs = append(attrs, "code", string(knowledge.ErrorCode(err)), "error", err)
		}
		level := slog.LevelInfo
		if knowledge.ErrorCode(err) == knowledge.CodeInternal || knowledge.ErrorCode(err) == knowledge.CodeUnavailable {
			level = slog.LevelError
		}
		d.logger().Log(ctx, level, "interaction", attrs...)
	}()
	resp, err = d.Router.Handle(ctx, actor, i)
	outcome = OutcomeOK
	if err != nil {
		outcome = OutcomeError
	}
	return resp, outcome
}

func (d *Dispatcher) logger() *slog.Logger {
	if d.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return d.Log
}

// commandName returns the command an interaction belongs to: its name for
// a command or autocomplete, the command in a component's or modal's
// custom_id, "" for a ping.
func commandName(i *discordgo.Interaction) string {
	switch data := i.Data.(type) {
	case discordgo.ApplicationCommandInteractionData:
		return data.Name
	case discordgo.MessageComponentInteractionData:
		return componentCommand(data.CustomID)
	case discordgo.ModalSubmitInteractionData:
		return componentCommand(data.CustomID)
	}
	return ""
}

// componentCommand names, for logs and metrics, the command a component
// or modal belongs to, or "component" for a custom_id OnRecord did not make.
func componentCommand(id string) string {
	if cmd := commands.CustomIDCommand(id); cmd != "" {
		return cmd
	}
	return "component"
}

// interactionAttrs returns the log attributes that identify an interaction.
func interactionAttrs(i *discordgo.Interaction, a knowledge.Actor) []any {
	attrs := []any{"interaction", i.ID, "type", i.Type.String(), "guild", i.GuildID, "channel", i.ChannelID, "user", a.UserID, "rank", a.Rank.String()}
	if c := commandName(i); c != "" {
		attrs = append(attrs, "command", c)
	}
	return attrs
}
