package bot

import (
	"cmp"
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/bwmarrin/discordgo"
)

// UsageError is a mistake in a typed command line: an unknown command,
// subcommand or option, a missing required option, or a malformed value.
// The console shows its message and `onrecord ask` exits with status 2.
type UsageError struct {
	Msg string
}

func (e *UsageError) Error() string { return e.Msg }

func usagef(format string, args ...any) error {
	return &UsageError{Msg: fmt.Sprintf(format, args...)}
}

// ParseCommand parses a command line typed the way Discord's client takes
// it into the command data Discord would deliver, using defs for names and
// option types:
//
//   - the command name, with or without its slash, then the words naming a
//     subcommand group and subcommand when the command has them;
//   - options as name:value; a value runs until the next word that starts
//     with the name of one of the command's options and a colon, or the end,
//     so unquoted values may hold spaces;
//   - text before the first option fills the command's first option;
//   - a value in double quotes is taken literally, \" being a quote and \\
//     a backslash inside it.
//
// Errors are *UsageError.
func ParseCommand(defs []*discordgo.ApplicationCommand, line string) (discordgo.ApplicationCommandInteractionData, error) {
	return parse(defs, line, false, false)
}

// ParseWithAttachment is ParseCommand for a line whose file option is
// given apart (`ask --attach`): a missing required file option is not an
// error.
func ParseWithAttachment(defs []*discordgo.ApplicationCommand, line string) (discordgo.ApplicationCommandInteractionData, error) {
	return parse(defs, line, false, true)
}

// ParseAutocomplete parses a line being typed, as Discord sends it for
// autocomplete: the last option given (or the bare text) is the focused
// one, and options still missing are not an error.
func ParseAutocomplete(defs []*discordgo.ApplicationCommand, line string) (discordgo.ApplicationCommandInteractionData, error) {
	return parse(defs, line, true, false)
}

func parse(defs []*discordgo.ApplicationCommand, line string, autocomplete, fileApart bool) (discordgo.ApplicationCommandInteractionData, error) {
	var data discordgo.ApplicationCommandInteractionData
	rest := strings.TrimSpace(line)
	rest = strings.TrimPrefix(rest, "/")
	name, rest := nextWord(rest)
	if name == "" {
		return data, usagef("type a command, for example /who Hugh Ind")
	}
	var def *discordgo.ApplicationCommand
	for _, d := range defs {
		if strings.EqualFold(d.Name, name) {
			def = d
		}
	}
	if def == nil {
		return data, usagef("unknown command /%s; the commands are %s", name, commandNames(defs))
	}
	data = discordgo.ApplicationCommandInteractionData{ID: commandID(def.Name), Name: def.Name, CommandType: discordgo.ChatApplicationCommand}

	// Walk down subcommand groups and subcommands.
	opts := def.Options
	path := "/" + def.Name
	var holder *[]*discordgo.ApplicationCommandInteractionDataOption = &data.Options
	for hasSubcommands(opts) {
		word, after := nextWord(rest)
		var sub *discordgo.ApplicationCommandOption
		for _, o := range opts {
			if (o.Type == discordgo.ApplicationCommandOptionSubCommand || o.Type == discordgo.ApplicationCommandOptionSubCommandGroup) && strings.EqualFold(o.Name, word) {
				sub = o
			}
		}
		if sub == nil {
			if word == "" {
				return data, usagef("%s needs a subcommand: %s", path, subcommandNames(opts))
			}
			return data, usagef("unknown subcommand %q for %s; try %s", word, path, subcommandNames(opts))
		}
		path += " " + sub.Name
		node := &discordgo.ApplicationCommandInteractionDataOption{Name: sub.Name, Type: sub.Type}
		*holder = append(*holder, node)
		holder = &node.Options
		opts = sub.Options
		rest = after
	}

	values, last, err := splitOptions(opts, rest, path)
	if err != nil {
		return data, err
	}
	if autocomplete && last == "" && len(opts) > 0 {
		last = opts[0].Name // nothing typed yet: the first option is focused
		values[last] = ""
	}
	for _, o := range opts {
		raw, ok := values[o.Name]
		if !ok {
			if o.Required && !autocomplete && !(fileApart && o.Type == discordgo.ApplicationCommandOptionAttachment) {
				return data, usagef("%s needs the option %s: (%s)", path, o.Name, o.Description)
			}
			continue
		}
		if autocomplete && o.Name == last {
			if !o.Autocomplete {
				return data, usagef("option %s of %s does not autocomplete", o.Name, path)
			}
			*holder = append(*holder, &discordgo.ApplicationCommandInteractionDataOption{Name: o.Name, Type: o.Type, Value: raw, Focused: true})
			continue
		}
		v, err := convert(o, raw)
		if err != nil {
			return data, err
		}
		*holder = append(*holder, &discordgo.ApplicationCommandInteractionDataOption{Name: o.Name, Type: o.Type, Value: v})
	}
	return data, nil
}

// splitOptions splits the option part of a line into raw values by name,
// and returns the name of the last option given.
func splitOptions(opts []*discordgo.ApplicationCommandOption, s, path string) (map[string]string, string, error) {
	s = strings.TrimSpace(s)
	type segment struct {
		name   string // "" for the bare text before the first option
		text   string
		quoted bool
	}
	// optionAt reports whether an option name and a colon start at s[i].
	optionAt := func(i int) (string, int, bool) {
		k := strings.IndexByte(s[i:], ':')
		if k <= 0 {
			return "", 0, false
		}
		for _, o := range opts {
			if strings.EqualFold(o.Name, s[i:i+k]) {
				return o.Name, i + k + 1, true
			}
		}
		return "", 0, false
	}
	var segs []segment
	cur := segment{}
	start := 0
	for i := 0; i < len(s); {
		if cur.quoted {
			if !isSpace(s[i]) {
				return nil, "", usagef("unexpected text after the closing quote: %q", s[i:])
			}
		} else if s[i] == '"' && strings.TrimSpace(s[start:i]) == "" {
			v, n, err := unquote(s[i:])
			if err != nil {
				return nil, "", usagef("%s: %v", cmp.Or(cur.name, "value"), err)
			}
			cur.text, cur.quoted = v, true
			i += n
			continue
		}
		if i == 0 || isSpace(s[i-1]) {
			if name, after, ok := optionAt(i); ok {
				if !cur.quoted {
					cur.text = strings.TrimSpace(s[start:i])
				}
				segs = append(segs, cur)
				cur = segment{name: name}
				i, start = after, after
				continue
			}
		}
		i++
	}
	if !cur.quoted {
		cur.text = strings.TrimSpace(s[start:])
	}
	segs = append(segs, cur)

	values := map[string]string{}
	last := ""
	for k, seg := range segs {
		if k == 0 {
			if seg.text == "" && !seg.quoted {
				continue
			}
			if w, _ := nextWord(seg.text); !seg.quoted && looksLikeOption(w) {
				return nil, "", usagef("%s has no option %q; its options are %s", path, w[:strings.IndexByte(w, ':')], optionNames(opts))
			}
			if len(opts) == 0 {
				return nil, "", usagef("%s takes no options, but got %q", path, seg.text)
			}
			seg.name = opts[0].Name
		}
		if _, dup := values[seg.name]; dup {
			return nil, "", usagef("option %s: is given twice", seg.name)
		}
		values[seg.name] = seg.text
		last = seg.name
	}
	return values, last, nil
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// looksLikeOption reports whether word is shaped like name:value with a
// name Discord would allow and a value right after the colon.
func looksLikeOption(word string) bool {
	i := strings.IndexByte(word, ':')
	if i <= 0 || i == len(word)-1 || i > 32 {
		return false
	}
	for _, r := range word[:i] {
		if !(r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return false
		}
	}
	return true
}

// unquote reads a double-quoted value at the start of s and returns it and
// the number of bytes consumed.
func unquote(s string) (string, int, error) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			if i+1 < len(s) && (s[i+1] == '"' || s[i+1] == '\\') {
				b.WriteByte(s[i+1])
				i++
				continue
			}
			b.WriteByte('\\')
		case '"':
			return b.String(), i + 1, nil
		default:
			b.WriteByte(s[i])
		}
	}
	return "", 0, fmt.Errorf("the quote is not closed")
}

// convert turns a raw value into the JSON value Discord sends for the
// option's type, checking choices.
func convert(o *discordgo.ApplicationCommandOption, raw string) (any, error) {
	var v any
	switch o.Type {
	case discordgo.ApplicationCommandOptionString:
		v = raw
	case discordgo.ApplicationCommandOptionInteger:
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			return nil, usagef("option %s: %q is not a whole number", o.Name, raw)
		}
		v = float64(n) // Discord's JSON numbers decode as float64
	case discordgo.ApplicationCommandOptionNumber:
		n, err := strconv.ParseFloat(raw, 64)
		if err != nil {
			return nil, usagef("option %s: %q is not a number", o.Name, raw)
		}
		v = n
	case discordgo.ApplicationCommandOptionBoolean:
		switch strings.ToLower(raw) {
		case "true", "yes", "on":
			v = true
		case "false", "no", "off":
			v = false
		default:
			return nil, usagef("option %s: %q is not true or false", o.Name, raw)
		}
	case discordgo.ApplicationCommandOptionUser, discordgo.ApplicationCommandOptionChannel, discordgo.ApplicationCommandOptionRole, discordgo.ApplicationCommandOptionMentionable:
		id := strings.Trim(raw, "<@#&!>")
		if _, err := strconv.ParseUint(id, 10, 64); err != nil {
			return nil, usagef("option %s: %q is not a Discord id", o.Name, raw)
		}
		v = id
	default:
		return nil, usagef("option %s cannot be given on the command line", o.Name)
	}
	if len(o.Choices) > 0 {
		var names []string
		for _, c := range o.Choices {
			if fmt.Sprint(c.Value) == fmt.Sprint(v) || strings.EqualFold(c.Name, raw) {
				return c.Value, nil
			}
			names = append(names, fmt.Sprint(c.Value))
		}
		return nil, usagef("option %s: %q is not one of %s", o.Name, raw, strings.Join(names, ", "))
	}
	return v, nil
}

func nextWord(s string) (word, rest string) {
	s = strings.TrimLeft(s, " \t")
	i := strings.IndexAny(s, " \t")
	if i < 0 {
		return s, ""
	}
	return s[:i], s[i+1:]
}

func hasSubcommands(opts []*discordgo.ApplicationCommandOption) bool {
	for _, o := range opts {
		if o.Type == discordgo.ApplicationCommandOptionSubCommand || o.Type == discordgo.ApplicationCommandOptionSubCommandGroup {
			return true
		}
	}
	return false
}

func commandNames(defs []*discordgo.ApplicationCommand) string {
	var names []string
	for _, d := range defs {
		names = append(names, "/"+d.Name)
	}
	return strings.Join(names, ", ")
}

func subcommandNames(opts []*discordgo.ApplicationCommandOption) string {
	var names []string
	for _, o := range opts {
		names = append(names, o.Name)
	}
	return strings.Join(names, ", ")
}

func optionNames(opts []*discordgo.ApplicationCommandOption) string {
	if len(opts) == 0 {
		return "none"
	}
	var names []string
	for _, o := range opts {
		names = append(names, o.Name+":")
	}
	return strings.Join(names, ", ")
}

// commandID returns a stable fake snowflake for a command name, as Discord
// gives each registered command an id.
func commandID(name string) string {
	var h uint64 = 1469598103934665603
	for i := 0; i < len(name); i++ {
		h = (h ^ uint64(name[i])) * 1099511628211
	}
	return strconv.FormatUint(1<<60|h>>4, 10)
}
