package main

import (
	"context"

	slackchat "newsbot/internal/chat/slack"
	"newsbot/internal/notify"
)

// slackAdapters returns the Slack adapter when the configuration enables
// it (slack.bot_token set), else nothing. A Slack set-up that cannot be
// built comes back as an adapter whose Run fails with the reason, so that
// run stops and says why.
func slackAdapters(d chatDeps) []chatAdapter {
	if !d.Config.SlackEnabled() {
		return nil
	}
	s := d.Config.Slack
	a, err := slackchat.New(slackchat.Options{
		BotToken: s.BotToken, AppToken: s.AppToken, SigningSecret: s.SigningSecret,
		Mode: s.Mode, Listen: s.Listen, APIURL: s.APIURL, Commands: s.Commands,
		AlertChannels: s.AlertChannels, ReplyVisibility: s.ReplyVisibility,
		Admins: d.Config.Admins.Users, AlertUsers: s.AlertUsers,
		MaxFileBytes: d.Config.Ingest.MaxBytes,
		Dispatcher:   d.Dispatcher, Store: d.Store, Logger: d.Log,
	})
	if err != nil {
		return []chatAdapter{brokenAdapter{name: "slack", err: err}}
	}
	return []chatAdapter{a}
}

// brokenAdapter is a platform that could not be set up.
type brokenAdapter struct {
	name string
	err  error
}

func (b brokenAdapter) Name() string              { return b.name }
func (b brokenAdapter) Run(context.Context) error { return b.err }
func (b brokenAdapter) Notifier() notify.Notifier { return notify.Multi{} }
