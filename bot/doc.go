// Package bot is OnRecord's transports: the local console (onrecord ask
// and onrecord console) and the Discord gateway (onrecord run), with
// command registration. Every transport hands interactions to
// one entry point, Dispatcher, which works out who is asking, puts a
// deadline on the handler, recovers from panics and logs one line per
// interaction.
//
// It imports commands, knowledge (errors and the actor) and discordgo;
// never db or SQL.
package bot
