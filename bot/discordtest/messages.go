package discordtest

import (
	"cmp"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
)

// SetChannel makes GET /channels/{id} serve ch, for bots that look up a
// channel's type, parent or guild before answering. Unknown channels are
// served as a text channel of GuildID.
func (s *Server) SetChannel(ch *discordgo.Channel) {
	cp := *ch
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.rest.channels[ch.ID]; !ok {
		keepLocked(s.rest.channels, &s.rest.order.channels, ch.ID, s.rest.retain)
	}
	s.rest.channels[ch.ID] = &cp
}

// SetMessages makes GET /channels/{id}/messages serve msgs (in the order
// given; Discord's is newest first) and GET .../messages/{mid} each one,
// for bots that read history or the message replied to.
func (s *Server) SetMessages(channelID string, msgs []*discordgo.Message) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rest.history[channelID] = append([]*discordgo.Message(nil), msgs...)
	for _, m := range msgs {
		cp := *m
		s.rest.messages[m.ID] = &cp
	}
}

func (s *Server) channel(id string) *discordgo.Channel {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ch, ok := s.rest.channels[id]; ok {
		cp := *ch
		return &cp
	}
	return &discordgo.Channel{ID: id, GuildID: guildID, Name: "general", Type: discordgo.ChannelTypeGuildText}
}

func (s *Server) getChannel(r Request) (int, any, http.Header) {
	return 200, s.channel(r.Segment("/channels/{id}", "id")), nil
}

func (s *Server) getHistory(r Request) (int, any, http.Header) {
	s.mu.Lock()
	msgs := append([]*discordgo.Message{}, s.rest.history[r.Segment("/channels/{id}/messages", "id")]...)
	s.mu.Unlock()
	if limit, err := strconv.Atoi(r.Query.Get("limit")); err == nil && limit > 0 && limit < len(msgs) {
		msgs = msgs[:limit]
	}
	return 200, msgs, nil
}

// newMessage builds and stores the message Discord would create from the
// request's payload: content, embeds, components, flags and
// message_reference echoed, with a new ID and the bot as author.
func (s *Server) newMessage(r Request, channelID string) (*discordgo.Message, error) {
	m := &discordgo.Message{}
	if len(r.Body) > 0 {
		if err := r.JSON(m); err != nil {
			return nil, err
		}
	}
	m.ID = s.NewID()
	m.ChannelID = channelID
	if channelID != "" {
		m.GuildID = s.channel(channelID).GuildID
	}
	m.Author = s.BotUser()
	m.Timestamp = time.Now().UTC()
	m.Type = discordgo.MessageTypeDefault
	if m.MessageReference != nil {
		m.Type = discordgo.MessageTypeReply
	}
	s.storeMessage(m)
	return m, nil
}

func (s *Server) storeMessage(m *discordgo.Message) {
	cp := *m
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.rest.messages[m.ID]; !ok {
		keepLocked(s.rest.messages, &s.rest.order.messages, m.ID, s.rest.retain)
	}
	s.rest.messages[m.ID] = &cp
}

func (s *Server) createMessage(r Request) (int, any, http.Header) {
	m, err := s.newMessage(r, r.Segment("/channels/{id}/messages", "id"))
	if err != nil {
		return badRequest(err)
	}
	return 200, m, nil
}

// editMessage applies the fields present in the payload to the stored
// message (or a new one with the given ID), as PATCH does on Discord.
func (s *Server) editMessage(r Request) (int, any, http.Header) {
	channelID := r.Segment("/channels/{id}/messages/{mid}", "id")
	id := r.Segment("/channels/{id}/messages/{mid}", "mid")
	if channelID == "" {
		token := r.Segment("/webhooks/{app}/{token}/messages/{mid}", "token")
		channelID = s.tokenChannel(token)
		if id = r.Segment("/webhooks/{app}/{token}/messages/{mid}", "mid"); id == "@original" {
			id = s.originalID(token)
		}
	}
	var present map[string]json.RawMessage
	var edit discordgo.Message
	if err := r.JSON(&present); err != nil {
		return badRequest(err)
	}
	if err := r.JSON(&edit); err != nil {
		return badRequest(err)
	}
	m, ok := s.lookupMessage(id)
	if !ok {
		m = &discordgo.Message{ID: id, ChannelID: channelID, Author: s.BotUser(), Timestamp: time.Now().UTC()}
	}
	if _, ok := present["content"]; ok {
		m.Content = edit.Content
	}
	if _, ok := present["embeds"]; ok {
		m.Embeds = edit.Embeds
	}
	if _, ok := present["components"]; ok {
		m.Components = edit.Components
	}
	if _, ok := present["flags"]; ok {
		m.Flags = edit.Flags
	}
	now := time.Now().UTC()
	m.EditedTimestamp = &now
	s.storeMessage(m)
	return 200, m, nil
}

// startThread creates a thread owned by the bot under the channel and
// remembers it, so GET /channels/{thread} serves it. A thread started from
// a message takes the message's ID, as on Discord.
func (s *Server) startThread(r Request) (int, any, http.Header) {
	var start discordgo.ThreadStart
	if len(r.Body) > 0 {
		if err := r.JSON(&start); err != nil {
			return badRequest(err)
		}
	}
	parentID := r.Segment("/channels/{id}/threads", "id")
	id := s.NewID()
	if parentID == "" {
		parentID = r.Segment("/channels/{id}/messages/{mid}/threads", "id")
		id = r.Segment("/channels/{id}/messages/{mid}/threads", "mid")
	}
	parent := s.channel(parentID)
	if parent.IsThread() {
		// Discord has no threads in threads.
		return http.StatusBadRequest, apiError{"Cannot execute action on this channel type", discordgo.ErrCodeCannotExecuteActionOnThisChannelType}, nil
	}
	typ := start.Type
	if typ == 0 {
		typ = discordgo.ChannelTypeGuildPublicThread
	}
	archive := start.AutoArchiveDuration
	if archive == 0 {
		archive = 1440
	}
	th := &discordgo.Channel{
		ID: id, GuildID: parent.GuildID, ParentID: parentID, OwnerID: botID,
		Name: start.Name, Type: typ, MemberCount: 1, RateLimitPerUser: start.RateLimitPerUser,
		ThreadMetadata: &discordgo.ThreadMetadata{AutoArchiveDuration: archive, ArchiveTimestamp: time.Now().UTC()},
	}
	s.SetChannel(th)
	// Discord also announces the thread on the gateway; a session that is
	// not connected simply misses it, as it would on Discord.
	_ = s.Dispatch("THREAD_CREATE", discordgo.ThreadCreate{Channel: th, NewlyCreated: true})
	return http.StatusCreated, th, nil
}

// deleteMessage forgets a stored message, as DELETE does on Discord, and
// answers 404 Unknown Message for one it does not know.
func (s *Server) deleteMessage(r Request) (int, any, http.Header) {
	id := r.Segment("/channels/{id}/messages/{mid}", "mid")
	s.mu.Lock()
	_, ok := s.rest.messages[id]
	delete(s.rest.messages, id)
	s.mu.Unlock()
	if !ok {
		return notFound("Unknown Message", discordgo.ErrCodeUnknownMessage)
	}
	return noContent(r)
}

// ChannelMessages returns the messages a channel shows now, oldest first:
// those the bot created there (through the channel or a webhook) or
// SetMessages stored, as last edited, without the deleted ones. Tests
// read a conversation's end state from it rather than replaying requests.
func (s *Server) ChannelMessages(channelID string) []*discordgo.Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*discordgo.Message
	for _, m := range s.rest.messages {
		if m.ChannelID == channelID {
			cp := *m
			out = append(out, &cp)
		}
	}
	slices.SortFunc(out, func(a, b *discordgo.Message) int {
		return cmp.Or(cmp.Compare(len(a.ID), len(b.ID)), strings.Compare(a.ID, b.ID))
	})
	return out
}
