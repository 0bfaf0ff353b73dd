package bot

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
)

// Defaults for the interactions the console makes up: a fixed server,
// channel and user, so that what a moderator adds from the console is seen
// the next time it is asked.
const (
	ConsoleGuildID       = "900000000000000001"
	ConsoleChannelID     = "900000000000000002"
	ConsoleUserID        = "900000000000000003"
	ConsoleApplicationID = "900000000000000004"
)

// Asker says who the console's made-up interaction comes from.
type Asker struct {
	Rank    string // "member" (default), "moderator" or "owner"
	GuildID string // ConsoleGuildID when empty
	UserID  string // ConsoleUserID when empty
	DM      bool   // from a direct message instead of a server
}

// memberPermissions are what an ordinary member of a server has;
// moderators add Manage Messages.
const memberPermissions = discordgo.PermissionViewChannel | discordgo.PermissionSendMessages |
	discordgo.PermissionReadMessageHistory | discordgo.PermissionUseApplicationCommands | discordgo.PermissionEmbedLinks

// Interaction returns the interaction Discord would deliver for data, sent
// by a. The result round-trips through Discord's JSON form, so it is what a
// transport would decode.
func (a Asker) Interaction(data any, typ discordgo.InteractionType) (*discordgo.Interaction, error) {
	switch a.Rank {
	case "", "member", "moderator", "owner":
	default:
		return nil, usagef("--as must be member, moderator or owner, not %q", a.Rank)
	}
	user := &discordgo.User{ID: a.UserID, Username: "console", GlobalName: "Console user"}
	if user.ID == "" {
		user.ID = ConsoleUserID
	}
	if _, err := strconv.ParseUint(user.ID, 10, 64); err != nil {
		return nil, usagef("--user must be a Discord user id (digits), not %q", user.ID)
	}
	guild := a.GuildID
	if guild == "" {
		guild = ConsoleGuildID
	}
	if _, err := strconv.ParseUint(guild, 10, 64); err != nil {
		return nil, usagef("--guild must be a Discord server id (digits), not %q", guild)
	}
	now := time.Now().UnixMilli()
	i := map[string]any{
		"id":             snowflakeAt(now),
		"application_id": ConsoleApplicationID,
		"type":           int(typ),
		"data":           data,
		"channel_id":     ConsoleChannelID,
		"token":          "console-" + snowflakeAt(now),
		"version":        1,
		"locale":         "en-GB",
	}
	if typ == discordgo.InteractionMessageComponent {
		// The message whose component was used: a reply of the bot's.
		i["message"] = map[string]any{"id": snowflakeAt(now - 1000), "channel_id": ConsoleChannelID, "type": 20, "content": "",
			"timestamp": time.UnixMilli(now - 1000).UTC().Format(time.RFC3339), "author": map[string]any{"id": ConsoleApplicationID, "username": "OnRecord", "bot": true}}
	}
	if a.DM {
		i["user"] = user
		i["context"] = int(discordgo.InteractionContextBotDM)
	} else {
		perms := int64(memberPermissions)
		if a.Rank == "moderator" {
			perms |= discordgo.PermissionManageMessages
		}
		i["guild_id"] = guild
		i["guild_locale"] = "en-GB"
		i["context"] = int(discordgo.InteractionContextGuild)
		i["member"] = map[string]any{
			"user":        user,
			"roles":       []string{},
			"permissions": strconv.FormatInt(perms, 10),
			"joined_at":   "2024-01-01T00:00:00Z",
			"nick":        nil,
			"deaf":        false,
			"mute":        false,
		}
	}
	b, err := json.Marshal(i)
	if err != nil {
		return nil, fmt.Errorf("encode interaction: %w", err)
	}
	var out discordgo.Interaction
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, fmt.Errorf("decode interaction: %w", err)
	}
	return &out, nil
}

// snowflakeAt returns a Discord-shaped id for a time in Unix milliseconds.
func snowflakeAt(ms int64) string {
	const discordEpoch = 1420070400000
	return strconv.FormatInt((ms-discordEpoch)<<22, 10)
}

// AskOptions says what kind of interaction Ask makes and how it prints.
type AskOptions struct {
	JSON bool // print the exact InteractionResponse JSON instead of text
	// Autocomplete sends the line as it is being typed: an autocomplete
	// interaction for its last option.
	Autocomplete bool
	// Component presses the button (or, with Values, chooses in the menu)
	// whose custom_id it is, instead of running a command line.
	Component string
	Values    []string
	// Modal submits the form whose custom_id it is, with Fields as its
	// text inputs' values by custom_id.
	Modal  string
	Fields map[string]string
	// Attach is a local file given as the command's attachment option.
	Attach string
	// Out is where files the bot attaches to its reply are written.
	Out string
}

// Ask runs one interaction as Discord would deliver it from asker (the
// slash command line, what autocomplete sends while it is typed, or a
// button press or menu choice) and writes the reply to w: readable text,
// or the exact InteractionResponse JSON that would be sent to Discord.
// Usage mistakes are *UsageError and write nothing.
func Ask(ctx context.Context, d *Dispatcher, asker Asker, line string, opts AskOptions, w io.Writer) error {
	var data any
	typ := discordgo.InteractionApplicationCommand
	var err error
	switch {
	case opts.Modal != "":
		var inputs []any
		for name, v := range opts.Fields {
			inputs = append(inputs, map[string]any{"type": 1, "components": []any{map[string]any{"type": 4, "custom_id": name, "value": v}}})
		}
		data = map[string]any{"custom_id": opts.Modal, "components": inputs}
		typ = discordgo.InteractionModalSubmit
	case opts.Component != "":
		if len(opts.Component) > 100 {
			return usagef("--component: a custom_id has at most 100 characters")
		}
		ct := discordgo.ButtonComponent
		if len(opts.Values) > 0 {
			ct = discordgo.SelectMenuComponent
		}
		data = discordgo.MessageComponentInteractionData{CustomID: opts.Component, ComponentType: ct, Values: opts.Values}
		typ = discordgo.InteractionMessageComponent
	case opts.Autocomplete:
		data, err = ParseAutocomplete(d.Router.Definitions(), line)
		typ = discordgo.InteractionApplicationCommandAutocomplete
	default:
		var cmd discordgo.ApplicationCommandInteractionData
		if opts.Attach != "" {
			cmd, err = ParseWithAttachment(d.Router.Definitions(), line)
			if err == nil {
				err = attach(d.Router.Definitions(), &cmd, opts.Attach)
			}
		} else {
			cmd, err = ParseCommand(d.Router.Definitions(), line)
		}
		data = cmd
	}
	if err != nil {
		return err
	}
	i, err := asker.Interaction(data, typ)
	if err != nil {
		return err
	}
	resp, _ := d.Dispatch(ctx, i)
	files, err := writeFiles(resp, opts.Out)
	if err != nil {
		return err
	}
	if opts.JSON {
		return WriteJSON(w, resp)
	}
	out := RenderText(resp)
	for _, f := range files {
		out += "(attached file: " + f + ")\n"
	}
	_, err = io.WriteString(w, out)
	return err
}

// attach gives the command's attachment option the local file path, as
// Discord would deliver an uploaded file: its id as the option's value,
// the file in the resolved attachments.
func attach(defs []*discordgo.ApplicationCommand, data *discordgo.ApplicationCommandInteractionData, path string) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return usagef("--attach: %v", err)
	}
	st, err := os.Stat(abs)
	if err != nil {
		return usagef("--attach: %v", err)
	}
	var def *discordgo.ApplicationCommand
	for _, c := range defs {
		if c.Name == data.Name {
			def = c
		}
	}
	// Walk down to the subcommand the line chose, then find its attachment option.
	opts, holder := def.Options, &data.Options
	for len(*holder) > 0 && ((*holder)[0].Type == discordgo.ApplicationCommandOptionSubCommand || (*holder)[0].Type == discordgo.ApplicationCommandOptionSubCommandGroup) {
		chosen := (*holder)[0]
		for _, o := range opts {
			if o.Name == chosen.Name {
				opts = o.Options
			}
		}
		holder = &chosen.Options
	}
	for _, o := range opts {
		if o.Type == discordgo.ApplicationCommandOptionAttachment {
			const id = "1000000000000000001"
			*holder = append(*holder, &discordgo.ApplicationCommandInteractionDataOption{Name: o.Name, Type: o.Type, Value: id})
			data.Resolved = &discordgo.ApplicationCommandInteractionDataResolved{Attachments: map[string]*discordgo.MessageAttachment{
				id: {ID: id, Filename: filepath.Base(abs), URL: "file://" + abs, Size: int(st.Size())},
			}}
			return nil
		}
	}
	return usagef("/%s takes no file: --attach goes with a command that has a file option", data.Name)
}

// writeFiles writes the files attached to resp into dir (when dir is set)
// and returns their names.
func writeFiles(resp *discordgo.InteractionResponse, dir string) ([]string, error) {
	if resp == nil || resp.Data == nil {
		return nil, nil
	}
	var names []string
	for _, f := range resp.Data.Files {
		name := filepath.Base(f.Name)
		names = append(names, name)
		if dir == "" {
			continue
		}
		b, err := io.ReadAll(f.Reader)
		if err != nil {
			return nil, fmt.Errorf("read attached file: %w", err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return nil, fmt.Errorf("write %s: %w", name, err)
		}
	}
	return names, nil
}

// WriteJSON writes resp exactly as discordgo sends it, indented.
func WriteJSON(w io.Writer, resp *discordgo.InteractionResponse) error {
	b, err := json.Marshal(resp)
	if err != nil {
		return fmt.Errorf("encode response: %w", err)
	}
	var out bytes.Buffer
	if err := json.Indent(&out, b, "", "  "); err != nil {
		return fmt.Errorf("indent response: %w", err)
	}
	out.WriteByte('\n')
	_, err = w.Write(out.Bytes())
	return err
}

// RenderText renders a response as readable text: the message content,
// then each embed as its author, title, description, fields and footer,
// then any autocomplete choices.
func RenderText(resp *discordgo.InteractionResponse) string {
	var b strings.Builder
	if resp == nil {
		return ""
	}
	d := resp.Data
	if d == nil {
		fmt.Fprintf(&b, "(%s)\n", responseTypeName(resp.Type))
		return b.String()
	}
	if d.Flags&discordgo.MessageFlagsEphemeral != 0 {
		b.WriteString("(only you can see this)\n")
	}
	if d.Content != "" {
		b.WriteString(d.Content + "\n")
	}
	for _, e := range d.Embeds {
		b.WriteString("\n")
		if e.Author != nil {
			b.WriteString(e.Author.Name + "\n")
		}
		if e.Title != "" {
			b.WriteString("== " + e.Title + " ==\n")
		}
		if e.Description != "" {
			b.WriteString(e.Description + "\n")
		}
		for _, f := range e.Fields {
			b.WriteString("\n" + f.Name + "\n")
			for _, l := range strings.Split(f.Value, "\n") {
				b.WriteString("  " + l + "\n")
			}
		}
		if e.Footer != nil {
			b.WriteString("\n-- " + e.Footer.Text + "\n")
		}
	}
	for _, c := range d.Choices {
		fmt.Fprintf(&b, "%s  →  %v\n", c.Name, c.Value)
	}
	if resp.Type == discordgo.InteractionApplicationCommandAutocompleteResult && len(d.Choices) == 0 {
		b.WriteString("(no choices)\n")
	}
	renderComponents(&b, d.Components)
	return b.String()
}

// renderComponents lists buttons and menus with the custom_id that
// `onrecord ask --component` presses.
func renderComponents(b *strings.Builder, rows []discordgo.MessageComponent) {
	for _, c := range rows {
		row, ok := c.(discordgo.ActionsRow)
		if !ok {
			if p, ok := c.(*discordgo.ActionsRow); ok {
				row = *p
			} else {
				continue
			}
		}
		for _, c := range row.Components {
			switch v := c.(type) {
			case discordgo.Button:
				state := ""
				if v.Disabled {
					state = " (disabled)"
				}
				fmt.Fprintf(b, "[%s]%s  --component '%s'\n", v.Label, state, v.CustomID)
			case discordgo.SelectMenu:
				fmt.Fprintf(b, "[menu: %s]  --component '%s' --values ID\n", v.Placeholder, v.CustomID)
				for _, o := range v.Options {
					fmt.Fprintf(b, "  %s (%s)  →  %s\n", o.Label, o.Description, o.Value)
				}
			}
		}
	}
}

func responseTypeName(t discordgo.InteractionResponseType) string {
	switch t {
	case discordgo.InteractionResponsePong:
		return "pong"
	case discordgo.InteractionResponseDeferredChannelMessageWithSource:
		return "deferred: thinking…"
	case discordgo.InteractionResponseDeferredMessageUpdate:
		return "deferred update"
	}
	return fmt.Sprintf("response type %d", t)
}

// Console reads command lines from in and answers each on out until in
// ends or the user types quit. Usage mistakes are shown and the loop goes
// on.
func Console(ctx context.Context, d *Dispatcher, asker Asker, in io.Reader, out io.Writer) error {
	fmt.Fprintln(out, "OnRecord console: type a command as in Discord (/who Hugh Ind, /claims Rudd), help, or quit.")
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for {
		fmt.Fprint(out, "onrecord> ")
		if !sc.Scan() {
			fmt.Fprintln(out)
			return sc.Err()
		}
		line := strings.TrimSpace(sc.Text())
		switch line {
		case "":
			continue
		case "quit", "exit", `\q`:
			return nil
		case "help", "?":
			for _, def := range d.Router.Definitions() {
				fmt.Fprintf(out, "  /%s — %s\n", def.Name, def.Description)
			}
			continue
		}
		if err := Ask(ctx, d, asker, line, AskOptions{}, out); err != nil {
			var ue *UsageError
			if !errors.As(err, &ue) {
				return err
			}
			fmt.Fprintln(out, "usage: "+err.Error())
		}
		if ctx.Err() != nil {
			return nil
		}
	}
}
