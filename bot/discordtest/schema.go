// Package discordtest holds test support for what OnRecord sends to
// Discord: validation against Discord's own OpenAPI description of its API
// (testdata/openapi.json, discord/discord-api-spec, MIT licence in
// testdata/openapi.LICENSE) with a JSON Schema 2020-12 validator, and the
// documented limits that the schema does not state.
//
// It is imported by tests only.
package discordtest

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"unicode/utf16"

	"github.com/bwmarrin/discordgo"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

//go:embed testdata/openapi.json
var openapiJSON []byte

const specURL = "https://discord.com/developers/openapi.json"

// Schema validates request bodies against Discord's OpenAPI description.
type Schema struct {
	callback *jsonschema.Schema // POST /interactions/{id}/{token}/callback
	commands *jsonschema.Schema // PUT /applications/{app}/commands (an array of commands)
	edit     *jsonschema.Schema // PATCH /webhooks/{app}/{token}/messages/@original
	followup *jsonschema.Schema // POST /webhooks/{app}/{token}
	message  *jsonschema.Schema // POST /channels/{channel}/messages
}

// LoadSchema compiles the request-body schemas OnRecord's tests need.
func LoadSchema() (*Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(openapiJSON))
	if err != nil {
		return nil, fmt.Errorf("read openapi.json: %w", err)
	}
	acceptStringIntegers(doc, "")
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	if err := c.AddResource(specURL, doc); err != nil {
		return nil, fmt.Errorf("add openapi.json: %w", err)
	}
	s := &Schema{}
	body := func(path, method string) string {
		esc := strings.NewReplacer("~", "~0", "/", "~1").Replace(path)
		return specURL + "#/paths/" + esc + "/" + method + "/requestBody/content/application~1json/schema"
	}
	if s.callback, err = c.Compile(body("/interactions/{interaction_id}/{interaction_token}/callback", "post")); err != nil {
		return nil, fmt.Errorf("compile callback schema: %w", err)
	}
	if s.commands, err = c.Compile(body("/applications/{application_id}/commands", "put")); err != nil {
		return nil, fmt.Errorf("compile commands schema: %w", err)
	}
	if s.edit, err = c.Compile(body("/webhooks/{webhook_id}/{webhook_token}/messages/@original", "patch")); err != nil {
		return nil, fmt.Errorf("compile edit schema: %w", err)
	}
	if s.followup, err = c.Compile(body("/webhooks/{webhook_id}/{webhook_token}", "post")); err != nil {
		return nil, fmt.Errorf("compile follow-up schema: %w", err)
	}
	if s.message, err = c.Compile(body("/channels/{channel_id}/messages", "post")); err != nil {
		return nil, fmt.Errorf("compile message schema: %w", err)
	}
	return s, nil
}

// acceptStringIntegers rewrites, in the decoded spec, every integer schema
// that Discord's API also takes as a string of digits (permission bitsets,
// and integers too large for a JSON number: maximum at least 2^53) to
// accept both forms, as the API does.
func acceptStringIntegers(v any, key string) {
	switch n := v.(type) {
	case map[string]any:
		for k, child := range n {
			acceptStringIntegers(child, k)
		}
		if !isIntegerSchema(n) {
			return
		}
		big := false
		if m, ok := n["maximum"].(json.Number); ok {
			f, _ := m.Float64()
			big = f >= 1<<53
		}
		switch key {
		case "permissions", "allow", "deny", "default_member_permissions":
			big = true
		}
		if big {
			orig := map[string]any{}
			for k, child := range n {
				orig[k] = child
				delete(n, k)
			}
			n["anyOf"] = []any{orig, map[string]any{"type": "string", "pattern": "^[0-9]+$"}}
		}
	case []any:
		for _, child := range n {
			acceptStringIntegers(child, key)
		}
	}
}

func isIntegerSchema(n map[string]any) bool {
	switch t := n["type"].(type) {
	case string:
		return t == "integer"
	case []any:
		for _, x := range t {
			if x == "integer" {
				return true
			}
		}
	}
	return false
}

// sharedSchema compiles the schema once per test binary: it takes a while.
var sharedSchema = sync.OnceValues(LoadSchema)

// Shared returns the schema compiled once for the whole test binary.
func Shared() (*Schema, error) { return sharedSchema() }

// ValidateCallback checks an interaction callback body (an
// InteractionResponse as JSON) against Discord's schema and against the
// documented limits the schema does not state.
func (s *Schema) ValidateCallback(body []byte) error {
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("callback body is not JSON: %w", err)
	}
	if err := s.callback.Validate(inst); err != nil {
		return fmt.Errorf("callback body breaks Discord's schema: %w", err)
	}
	return checkLimitsJSON(body)
}

// ValidateEdit checks a body editing an interaction's original response.
func (s *Schema) ValidateEdit(body []byte) error {
	return s.validateMessage(s.edit, "edit", body)
}

// ValidateMessage checks a body posting a message in a channel.
func (s *Schema) ValidateMessage(body []byte) error {
	return s.validateMessage(s.message, "channel message", body)
}

// ValidateFollowup checks a follow-up message body.
func (s *Schema) ValidateFollowup(body []byte) error {
	return s.validateMessage(s.followup, "follow-up", body)
}

func (s *Schema) validateMessage(sch *jsonschema.Schema, what string, body []byte) error {
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("%s body is not JSON: %w", what, err)
	}
	if err := sch.Validate(inst); err != nil {
		return fmt.Errorf("%s body breaks Discord's schema: %w", what, err)
	}
	var d wireMessage
	if err := json.Unmarshal(body, &d); err != nil {
		return fmt.Errorf("%s body: %w", what, err)
	}
	var errs []error
	checkMessage(&d, true, func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) })
	return errors.Join(errs...)
}

// ValidateCommands checks a bulk-overwrite body (a JSON array of
// application commands) against Discord's schema and the naming rules.
func (s *Schema) ValidateCommands(body []byte) error {
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("commands body is not JSON: %w", err)
	}
	if err := s.commands.Validate(inst); err != nil {
		return fmt.Errorf("commands body breaks Discord's schema: %w", err)
	}
	var cmds []*discordgo.ApplicationCommand
	if err := json.Unmarshal(body, &cmds); err != nil {
		return fmt.Errorf("commands body: %w", err)
	}
	return CheckCommands(cmds)
}

// units counts text the way Discord's clients count it: UTF-16 code units.
func units(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// The wire shapes of what the limits below concern; discordgo's own types
// cannot decode components inside an interaction response.
type wireResponse struct {
	Type int          `json:"type"`
	Data *wireMessage `json:"data"`
}

type wireMessage struct {
	Content         string          `json:"content"`
	Embeds          []wireEmbed     `json:"embeds"`
	Components      []wireComponent `json:"components"`
	Attachments     []any           `json:"attachments"`
	AllowedMentions *struct {
		Parse []string `json:"parse"`
	} `json:"allowed_mentions"`
	Choices []struct {
		Name  string `json:"name"`
		Value any    `json:"value"`
	} `json:"choices"`
	Title    string `json:"title"`
	CustomID string `json:"custom_id"`
}

type wireEmbed struct {
	Title       string `json:"title"`
	Description string `json:"description"`
	Fields      []struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	} `json:"fields"`
	Footer *struct {
		Text string `json:"text"`
	} `json:"footer"`
	Author *struct {
		Name string `json:"name"`
	} `json:"author"`
	Image     any `json:"image"`
	Thumbnail any `json:"thumbnail"`
}

type wireComponent struct {
	Type       int             `json:"type"`
	CustomID   string          `json:"custom_id"`
	Label      string          `json:"label"`
	Style      int             `json:"style"`
	URL        string          `json:"url"`
	Options    []any           `json:"options"`
	Components []wireComponent `json:"components"`
	Value      string          `json:"value"`
}

// CheckLimits checks a response against the limits in Discord's
// documentation that its schema does not state: the 6000-character total
// across embeds, non-empty field names and values, component rules, and
// the rest listed in design/DISCORD.md. It also checks OnRecord's own rule
// that every message parses no mentions.
func CheckLimits(resp *discordgo.InteractionResponse) error {
	b, err := json.Marshal(resp)
	if err != nil {
		return fmt.Errorf("encode response: %w", err)
	}
	return checkLimitsJSON(b)
}

func checkLimitsJSON(body []byte) error {
	var resp wireResponse
	if err := json.Unmarshal(body, &resp); err != nil {
		return fmt.Errorf("response: %w", err)
	}
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	d := resp.Data
	switch resp.Type {
	case int(discordgo.InteractionResponseChannelMessageWithSource), int(discordgo.InteractionResponseUpdateMessage):
		if d == nil {
			return errors.New("message response without data")
		}
		checkMessage(d, resp.Type == int(discordgo.InteractionResponseUpdateMessage), bad)
	case int(discordgo.InteractionApplicationCommandAutocompleteResult):
		if d == nil {
			return errors.New("autocomplete response without data")
		}
		if len(d.Choices) > 25 {
			bad("%d autocomplete choices; the limit is 25", len(d.Choices))
		}
		for i, c := range d.Choices {
			if n := units(c.Name); n < 1 || n > 100 {
				bad("choice %d name is %d characters; it must be 1 to 100", i, n)
			}
			if s, ok := c.Value.(string); ok && units(s) > 100 {
				bad("choice %d value is %d characters; the limit is 100", i, units(s))
			}
		}
	case int(discordgo.InteractionResponseModal):
		if d == nil {
			return errors.New("modal response without data")
		}
		if n := units(d.Title); n < 1 || n > 45 {
			bad("modal title is %d characters; it must be 1 to 45", n)
		}
		if n := units(d.CustomID); n < 1 || n > 100 {
			bad("modal custom_id is %d characters; it must be 1 to 100", n)
		}
		if len(d.Components) < 1 || len(d.Components) > 5 {
			bad("a modal holds 1 to 5 text inputs, not %d", len(d.Components))
		}
	}
	return errors.Join(errs...)
}

// checkMessage checks a message's content, embeds and components.
func checkMessage(d *wireMessage, update bool, bad func(string, ...any)) {
	if d.AllowedMentions == nil || d.AllowedMentions.Parse == nil || len(d.AllowedMentions.Parse) != 0 {
		bad("allowed_mentions must be present with an empty parse list")
	}
	if !update && d.Content == "" && len(d.Embeds) == 0 && len(d.Components) == 0 && len(d.Attachments) == 0 {
		bad("message has no content, embeds, components or files: Discord refuses an empty message")
	}
	if n := units(d.Content); n > 2000 {
		bad("content is %d characters; the limit is 2000", n)
	}
	if len(d.Embeds) > 10 {
		bad("%d embeds; the limit is 10", len(d.Embeds))
	}
	total := 0
	for i, e := range d.Embeds {
		total += checkEmbed(i, e, bad)
	}
	if total > 6000 {
		bad("embeds hold %d characters together; the limit is 6000", total)
	}
	checkComponents(d.Components, bad)
}

// checkEmbed checks one embed's limits and returns its characters.
func checkEmbed(i int, e wireEmbed, bad func(string, ...any)) int {
	limit := func(what, s string, max int) int {
		n := units(s)
		if n > max {
			bad("embed %d %s is %d characters; the limit is %d", i, what, n, max)
		}
		return n
	}
	total := limit("title", e.Title, 256) + limit("description", e.Description, 4096)
	if len(e.Fields) > 25 {
		bad("embed %d has %d fields; the limit is 25", i, len(e.Fields))
	}
	for j, f := range e.Fields {
		if strings.TrimSpace(f.Name) == "" || strings.TrimSpace(f.Value) == "" {
			bad("embed %d field %d has an empty name or value", i, j)
		}
		total += limit(fmt.Sprintf("field %d name", j), f.Name, 256) + limit(fmt.Sprintf("field %d value", j), f.Value, 1024)
	}
	if e.Footer != nil {
		total += limit("footer", e.Footer.Text, 2048)
	}
	if e.Author != nil {
		total += limit("author name", e.Author.Name, 256)
	}
	if e.Title == "" && e.Description == "" && len(e.Fields) == 0 && e.Author == nil && e.Footer == nil && e.Image == nil && e.Thumbnail == nil {
		bad("embed %d is empty", i)
	}
	return total
}

// checkComponents checks action rows, buttons and selects: at most 5 rows,
// each with up to 5 buttons or one select, custom_ids of 1 to 100
// characters and unique in the message, labels of at most 80.
func checkComponents(rows []wireComponent, bad func(string, ...any)) {
	if len(rows) > 5 {
		bad("%d action rows; the limit is 5", len(rows))
	}
	ids := map[string]bool{}
	for i, row := range rows {
		if row.Type != int(discordgo.ActionsRowComponent) {
			bad("top-level component %d is type %d, not an action row", i, row.Type)
			continue
		}
		buttons, selects := 0, 0
		for _, c := range row.Components {
			switch c.Type {
			case int(discordgo.ButtonComponent):
				buttons++
				if units(c.Label) > 80 {
					bad("button label %q is over 80 characters", c.Label)
				}
				if c.Style == int(discordgo.LinkButton) {
					if c.URL == "" || c.CustomID != "" {
						bad("a link button needs a url and no custom_id")
					}
					continue
				}
			case int(discordgo.SelectMenuComponent), int(discordgo.UserSelectMenuComponent), int(discordgo.RoleSelectMenuComponent),
				int(discordgo.MentionableSelectMenuComponent), int(discordgo.ChannelSelectMenuComponent):
				selects++
				if n := len(c.Options); c.Type == int(discordgo.SelectMenuComponent) && (n < 1 || n > 25) {
					bad("a select menu has 1 to 25 options, not %d", n)
				}
			default:
				bad("component type %d inside an action row", c.Type)
				continue
			}
			if n := units(c.CustomID); n < 1 || n > 100 {
				bad("custom_id %q is %d characters; it must be 1 to 100", c.CustomID, n)
			}
			if ids[c.CustomID] {
				bad("custom_id %q is used twice in one message", c.CustomID)
			}
			ids[c.CustomID] = true
		}
		if buttons > 5 || (selects > 0 && (selects > 1 || buttons > 0)) || buttons+selects == 0 {
			bad("action row %d holds %d buttons and %d selects: 1 to 5 buttons or 1 select", i, buttons, selects)
		}
	}
}

// CheckCommands checks command definitions against the rules Discord
// documents for names, descriptions and options.
func CheckCommands(cmds []*discordgo.ApplicationCommand) error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if len(cmds) > 100 {
		bad("%d commands; the limit is 100", len(cmds))
	}
	seen := map[string]bool{}
	for _, c := range cmds {
		checkName("command", c.Name, bad)
		if seen[c.Name] {
			bad("command %q is defined twice", c.Name)
		}
		seen[c.Name] = true
		if n := units(c.Description); n < 1 || n > 100 {
			bad("command %q description is %d characters; it must be 1 to 100", c.Name, n)
		}
		checkOptions(c.Name, c.Options, 0, bad)
	}
	return errors.Join(errs...)
}

func checkName(what, name string, bad func(string, ...any)) {
	n := 0
	for _, r := range name {
		n++
		ok := r == '-' || r == '_' || r == '\'' || (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || (r > 127 && strings.ToLower(string(r)) == string(r))
		if !ok {
			bad("%s name %q breaks ^[-_'\\p{L}\\p{N}]{1,32}$ or is not lower case", what, name)
			return
		}
	}
	if n < 1 || n > 32 {
		bad("%s name %q is %d characters; it must be 1 to 32", what, name, n)
	}
}

func checkOptions(path string, opts []*discordgo.ApplicationCommandOption, depth int, bad func(string, ...any)) {
	if len(opts) > 25 {
		bad("%s has %d options; the limit is 25", path, len(opts))
	}
	seenOptional := false
	for _, o := range opts {
		p := path + " " + o.Name
		checkName("option", o.Name, bad)
		if n := units(o.Description); n < 1 || n > 100 {
			bad("%s description is %d characters; it must be 1 to 100", p, n)
		}
		isSub := o.Type == discordgo.ApplicationCommandOptionSubCommand || o.Type == discordgo.ApplicationCommandOptionSubCommandGroup
		if isSub {
			if depth >= 2 || (o.Type == discordgo.ApplicationCommandOptionSubCommandGroup && depth >= 1) {
				bad("%s nests subcommands too deep", p)
			}
			checkOptions(p, o.Options, depth+1, bad)
			continue
		}
		if o.Required && seenOptional {
			bad("%s is required but follows an optional option", p)
		}
		if !o.Required {
			seenOptional = true
		}
		if o.Autocomplete && len(o.Choices) > 0 {
			bad("%s has both autocomplete and choices", p)
		}
		if len(o.Choices) > 25 {
			bad("%s has %d choices; the limit is 25", p, len(o.Choices))
		}
	}
}
