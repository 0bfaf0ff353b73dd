// Package commands is what OnRecord can be asked: every slash command's
// Discord definition and its handler, the one routing table, and the
// rendering of answers into Discord messages within Discord's limits.
//
// A handler takes the interaction and the actor and returns a
// *discordgo.InteractionResponse; it reads through small interfaces this
// package declares (Store and the per-command ones), so it can be tested
// with a map-backed fake. Router.Handle is the one place where errors become
// what a user sees.
//
// It imports knowledge and discordgo's types only: never db, SQL, or a
// *discordgo.Session.
package commands
