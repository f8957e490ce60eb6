package bot

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// intents: guild messages and their content (questions), guilds (threads
// in the state cache) and direct messages. Message Content is privileged:
// without it enabled in the Developer Portal, Discord closes with 4014.
const intents = discordgo.IntentsGuilds | discordgo.IntentsGuildMessages |
	discordgo.IntentsMessageContent | discordgo.IntentsDirectMessages

// Run connects to Discord — every shard of this process, in the buckets
// Discord allows — registers the slash commands and serves until ctx
// ends; then it stops taking questions, lets the answers in flight finish
// within ShutdownTimeout, abandons the rest with a message, and closes the
// sessions.
func (b *Bot) Run(ctx context.Context) error {
	planner, err := b.newSession(0, 1)
	if err != nil {
		return err
	}
	plan, err := b.planShards(planner)
	if err != nil {
		return err
	}
	for _, id := range plan.ids {
		sess, err := b.newSession(id, plan.count)
		if err != nil {
			return err
		}
		b.shards = append(b.shards, sess)
	}
	b.sess, b.api = b.shards[0], newDiscordAPI(b.shards[0])
	b.replies.api = b.api
	b.work, b.abandon = context.WithCancel(context.WithoutCancel(ctx))
	defer b.abandon()
	if err := b.openShards(ctx, plan, b.shards); err != nil {
		return err
	}
	if err := b.ready.wait(ctx, b.cfg.ReadyTimeout); err != nil {
		closeSessions(b.shards)
		return err
	}
	if err := b.registerCommands(); err != nil {
		closeSessions(b.shards)
		return err
	}
	if b.cfg.OpsAddr != "" {
		addr, err := serveOps(ctx, b.cfg.OpsAddr, b.metrics, b.healthy, b.log)
		if err != nil {
			closeSessions(b.shards)
			return fmt.Errorf("operations endpoint: %w", err)
		}
		b.log.Info("serving /healthz and /metrics", "addr", addr.String())
	}
	b.log.Info("connected to Discord", "user", b.ready.me().Username, "guild", b.cfg.GuildID,
		"shards", fmt.Sprint(plan.ids), "of", plan.count)
	<-ctx.Done()
	return b.shutdown()
}

// newSession makes the session of shard id among count, its events
// routed to the bot's handlers; it is not open yet.
func (b *Bot) newSession(id, count int) (*discordgo.Session, error) {
	sess, err := discordgo.New("Bot " + b.cfg.Token)
	if err != nil {
		return nil, fmt.Errorf("discord session: %w", err)
	}
	sess.ShardID, sess.ShardCount = id, count
	sess.Identify.Intents = intents
	// discordgo's state keeps every guild, channel and thread it hears of
	// for the life of the process — a thread a question, here. The bot
	// keeps what it needs itself, bounded (channels.go, history.go).
	sess.StateEnabled = false
	sess.SyncEvents = b.cfg.syncEvents
	if b.cfg.HTTPClient != nil {
		sess.Client = b.cfg.HTTPClient
	}
	sess.AddHandler(b.ready.onReady)
	sess.AddHandler(func(s *discordgo.Session, m *discordgo.MessageCreate) {
		b.guard("message", func() { b.onMessage(m.Message) })
	})
	sess.AddHandler(func(s *discordgo.Session, i *discordgo.InteractionCreate) {
		b.guard("interaction", func() { b.onInteraction(i.Interaction) })
	})
	b.addChannelHandlers(sess)
	return sess, nil
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

// healthy is what /healthz reports: connected and not stopping, and
// whether the store is storing (if not, the bot answers all the same,
// without what the store would have remembered).
func (b *Bot) healthy() (bool, string) {
	var degraded string
	if err := b.store.Health(); err != nil {
		degraded = "store: " + err.Error()
	}
	up := len(b.shards) > 0
	for _, s := range b.shards {
		up = up && s.DataReady
	}
	return !b.adm.stopping() && up, degraded
}

// shutdown stops taking questions, waits for the answers in flight, then
// abandons what is left and closes the session.
func (b *Bot) shutdown() error {
	idle := b.adm.close()
	b.log.Info("stopping: finishing the answers in flight", "timeout", b.cfg.ShutdownTimeout)
	t := time.NewTimer(b.cfg.ShutdownTimeout)
	defer t.Stop()
	select {
	case <-idle:
	case <-t.C:
		b.log.Warn("abandoning the answers still running")
		b.abandon()
		<-idle // abandoned handlers tell their askers and return promptly
	}
	b.flushStore()
	return closeSessions(b.shards)
}

// storeFlushTimeout bounds the wait for the store's queued writes at
// shutdown.
const storeFlushTimeout = 5 * time.Second

// flushStore waits, within storeFlushTimeout, for the store to write
// what the last answers queued. Closing it is its owner's business.
func (b *Bot) flushStore() {
	ctx, cancel := context.WithTimeout(context.Background(), storeFlushTimeout)
	defer cancel()
	if err := b.store.Flush(ctx); err != nil {
		b.log.Warn("the store did not write everything before the stop", "err", err)
	}
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

// readiness is the gateway's READY as the bot needs it: who the bot is
// (to spot its mentions and its threads) and whether Discord has
// confirmed the connection, which Run waits for before registering
// commands.
type readiness struct {
	user  atomic.Pointer[discordgo.User]
	ready chan struct{}
	once  sync.Once
}

// newReadiness returns a readiness waiting for READY.
func newReadiness() *readiness { return &readiness{ready: make(chan struct{})} }

// onReady is the session's READY handler; READY comes again after each
// reconnection, and only the first closes ready.
func (r *readiness) onReady(_ *discordgo.Session, ev *discordgo.Ready) {
	r.user.Store(ev.User)
	r.once.Do(func() { close(r.ready) })
}

// me is the bot's own user, nil before READY.
func (r *readiness) me() *discordgo.User { return r.user.Load() }

// wait waits for READY, at most timeout: a gateway that never says READY
// usually means a bad token or a missing intent (errNotReady says which).
func (r *readiness) wait(ctx context.Context, timeout time.Duration) error {
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case <-r.ready:
		return nil
	case <-t.C:
		return errNotReady
	case <-ctx.Done():
		return ctx.Err()
	}
}
