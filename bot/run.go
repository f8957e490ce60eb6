package bot

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// intents: guild messages and their content (questions), guilds (threads
// in the state cache) and direct messages. Message Content is privileged:
// without it enabled in the Developer Portal, Discord closes with 4014.
const intents = discordgo.IntentsGuilds | discordgo.IntentsGuildMessages |
	discordgo.IntentsMessageContent | discordgo.IntentsDirectMessages

// Run connects to Discord, registers the slash commands and serves until
// ctx ends; then it stops taking questions, lets the answers in flight
// finish within ShutdownTimeout, abandons the rest with a message, and
// closes the session.
func (b *Bot) Run(ctx context.Context) error {
	sess, err := discordgo.New("Bot " + b.cfg.Token)
	if err != nil {
		return fmt.Errorf("discord session: %w", err)
	}
	sess.Identify.Intents = intents
	if b.cfg.HTTPClient != nil {
		sess.Client = b.cfg.HTTPClient
	}
	b.sess = sess
	b.work, b.abandon = context.WithCancel(context.WithoutCancel(ctx))
	defer b.abandon()
	sess.AddHandler(b.onReady)
	sess.AddHandler(func(s *discordgo.Session, m *discordgo.MessageCreate) {
		b.guard("message", func() { b.onMessage(m.Message) })
	})
	sess.AddHandler(func(s *discordgo.Session, i *discordgo.InteractionCreate) {
		b.guard("interaction", func() { b.onInteraction(i.Interaction) })
	})
	if err := sess.Open(); err != nil {
		return connectError(err)
	}
	if err := b.waitReady(ctx); err != nil {
		sess.Close()
		return err
	}
	if err := b.registerCommands(); err != nil {
		sess.Close()
		return err
	}
	if b.cfg.OpsAddr != "" {
		addr, err := serveOps(ctx, b.cfg.OpsAddr, b.metrics, b.healthy, b.log)
		if err != nil {
			sess.Close()
			return fmt.Errorf("operations endpoint: %w", err)
		}
		b.log.Info("serving /healthz and /metrics", "addr", addr.String())
	}
	b.log.Info("connected to Discord", "user", b.me.Load().Username, "guild", b.cfg.GuildID)
	<-ctx.Done()
	return b.shutdown()
}

func (b *Bot) waitReady(ctx context.Context) error {
	t := time.NewTimer(b.cfg.ReadyTimeout)
	defer t.Stop()
	select {
	case <-b.ready:
		return nil
	case <-t.C:
		return errNotReady
	case <-ctx.Done():
		return ctx.Err()
	}
}

// connectError turns gateway close codes into what the operator must fix.
func connectError(err error) error {
	var ce *websocket.CloseError
	if errors.As(err, &ce) {
		switch ce.Code {
		case 4004:
			return errors.New("Discord rejected the token: check DISCORD_TOKEN")
		case 4014:
			return errors.New("Discord refused the Message Content intent: enable it in the Developer Portal (Bot → Privileged Gateway Intents)")
		}
	}
	return fmt.Errorf("connect to Discord: %w", err)
}

func (b *Bot) onReady(_ *discordgo.Session, r *discordgo.Ready) {
	b.me.Store(r.User)
	b.readyMu.Do(func() { close(b.ready) })
}

func (b *Bot) healthy() bool {
	return !b.closing.Load() && b.sess != nil && b.sess.DataReady
}

// shutdown stops taking questions, waits for the answers in flight, then
// abandons what is left and closes the session.
func (b *Bot) shutdown() error {
	b.trackMu.Lock()
	b.closing.Store(true)
	b.trackMu.Unlock()
	b.gate.close()
	b.log.Info("stopping: finishing the answers in flight", "timeout", b.cfg.ShutdownTimeout)
	done := make(chan struct{})
	go func() {
		b.running.Wait()
		close(done)
	}()
	t := time.NewTimer(b.cfg.ShutdownTimeout)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
		b.log.Warn("abandoning the answers still running")
		b.abandon()
		<-done // abandoned handlers tell their askers and return promptly
	}
	if b.feedback != nil {
		b.feedback.close()
	}
	return b.sess.Close()
}

// guard runs a handler, recovering a panic so that one bad event cannot
// take the bot down; discordgo runs handlers without a recover.
func (b *Bot) guard(what string, f func()) {
	defer func() {
		if r := recover(); r != nil {
			b.log.Error("handler panicked", "handler", what, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
		}
	}()
	f()
}

// track registers work in flight; it returns false while shutting down.
func (b *Bot) track() bool {
	b.trackMu.Lock()
	defer b.trackMu.Unlock()
	if b.closing.Load() {
		return false
	}
	b.running.Add(1)
	return true
}
