package bot

import (
	"sync"

	"github.com/bwmarrin/discordgo"
)

// discordAPI makes the bot's REST calls to Discord. It exists because
// discordgo's RateLimiter keeps a bucket for every URL it has ever called
// and never forgets one, and the bot's URLs name a new thread, message or
// interaction for nearly every question: through discordgo's helpers,
// memory grew by a few hundred bytes a question for the life of the
// process (see the soak in BENCHMARKS.md). The calls here are discordgo's
// own — Session.RequestWithLockedBucket, the same URLs and bodies — with
// buckets from restBuckets, which are bounded.
type discordAPI struct {
	sess    *discordgo.Session
	buckets *restBuckets
}

// newDiscordAPI makes calls on sess with a fresh set of buckets.
func newDiscordAPI(sess *discordgo.Session) *discordAPI {
	return &discordAPI{sess: sess, buckets: newRestBuckets(256, 1024)}
}

// call sends data (JSON; nil for no body) to url with the bucket named
// bucket, and decodes the answer into out unless out is nil.
func (d *discordAPI) call(method, url, bucket string, data, out any) error {
	var body []byte
	if data != nil {
		var err error
		if body, err = discordgo.Marshal(data); err != nil {
			return err
		}
	}
	resp, err := d.sess.RequestWithLockedBucket(method, url, "application/json", body, d.buckets.lock(bucket), 0)
	if err != nil || out == nil {
		return err
	}
	return discordgo.Unmarshal(resp, out)
}

// send posts a message in a channel (ChannelMessageSendComplex, without
// files).
func (d *discordAPI) send(channelID string, m *discordgo.MessageSend) (*discordgo.Message, error) {
	richEmbeds(m.Embeds)
	url := discordgo.EndpointChannelMessages(channelID)
	var out *discordgo.Message
	return out, d.call("POST", url, url, m, &out)
}

// edit edits a message (ChannelMessageEditComplex), in the channel's
// bucket as discordgo does.
func (d *discordAPI) edit(m *discordgo.MessageEdit) (*discordgo.Message, error) {
	if m.Embeds != nil {
		richEmbeds(*m.Embeds)
	}
	var out *discordgo.Message
	return out, d.call("PATCH", discordgo.EndpointChannelMessage(m.Channel, m.ID), discordgo.EndpointChannelMessage(m.Channel, ""), m, &out)
}

// typing shows the typing indicator in a channel.
func (d *discordAPI) typing(channelID string) error {
	url := discordgo.EndpointChannelTyping(channelID)
	return d.call("POST", url, url, nil, nil)
}

// startThread opens a thread on a message. Its bucket is the channel's,
// as on Discord, rather than the message's.
func (d *discordAPI) startThread(channelID, messageID string, start *discordgo.ThreadStart) (*discordgo.Channel, error) {
	var out *discordgo.Channel
	return out, d.call("POST", discordgo.EndpointChannelMessageThread(channelID, messageID),
		discordgo.EndpointChannelMessageThread(channelID, ""), start, &out)
}

// channel fetches a channel (its type tells a thread).
func (d *discordAPI) channel(id string) (*discordgo.Channel, error) {
	url := discordgo.EndpointChannel(id)
	var out *discordgo.Channel
	return out, d.call("GET", url, url, nil, &out)
}

// respond answers an interaction (InteractionRespond, without files).
func (d *discordAPI) respond(i *discordgo.Interaction, resp *discordgo.InteractionResponse) error {
	if resp.Data != nil {
		richEmbeds(resp.Data.Embeds)
	}
	url := discordgo.EndpointInteractionResponse(i.ID, i.Token)
	return d.call("POST", url, url, resp, nil)
}

// editResponse edits an interaction's response (InteractionResponseEdit),
// in the one bucket discordgo gives every webhook message edit.
func (d *discordAPI) editResponse(i *discordgo.Interaction, e *discordgo.WebhookEdit) (*discordgo.Message, error) {
	if e.Embeds != nil {
		richEmbeds(*e.Embeds)
	}
	var out *discordgo.Message
	return out, d.call("PATCH", discordgo.EndpointWebhookMessage(i.AppID, i.Token, "@original"),
		discordgo.EndpointWebhookToken("", ""), e, &out)
}

// editResponseFiles edits an interaction's response and attaches files
// to it, as a multipart body (InteractionResponseEdit with Files).
func (d *discordAPI) editResponseFiles(i *discordgo.Interaction, e *discordgo.WebhookEdit, files []*discordgo.File) error {
	ctype, body, err := discordgo.MultipartBodyWithJSON(e, files)
	if err != nil {
		return err
	}
	_, err = d.sess.RequestWithLockedBucket("PATCH", discordgo.EndpointWebhookMessage(i.AppID, i.Token, "@original"), ctype, body,
		d.buckets.lock(discordgo.EndpointWebhookToken("", "")), 0)
	return err
}

// followup posts a follow-up message of an interaction and waits for it
// (FollowupMessageCreate with wait).
func (d *discordAPI) followup(i *discordgo.Interaction, p *discordgo.WebhookParams) (*discordgo.Message, error) {
	richEmbeds(p.Embeds)
	url := discordgo.EndpointWebhookToken(i.AppID, i.Token)
	var out *discordgo.Message
	return out, d.call("POST", url+"?wait=true", url, p, &out)
}

// richEmbeds sets the type discordgo's helpers set on embeds without one.
func richEmbeds(embeds []*discordgo.MessageEmbed) {
	for _, e := range embeds {
		if e != nil && e.Type == "" {
			e.Type = discordgo.EmbedTypeRich
		}
	}
}

// restBuckets hands out discordgo rate-limit buckets by key, keeping the
// last size in use, so that a busy channel keeps what its bucket learnt
// of Discord's limits, and forgetting the rest. Buckets come from a
// discordgo.RateLimiter (only it can make one whose global limit works),
// which itself never forgets: it is replaced after perLimiter buckets.
type restBuckets struct {
	mu         sync.Mutex
	used       *lruMap[limitedBucket]
	limiter    *discordgo.RateLimiter
	made       int
	perLimiter int
}

// limitedBucket is a bucket and the limiter that made it, whose global
// limit it reports to and waits on.
type limitedBucket struct {
	b  *discordgo.Bucket
	rl *discordgo.RateLimiter
}

// newRestBuckets keeps size buckets in use and makes perLimiter from
// each limiter.
func newRestBuckets(size, perLimiter int) *restBuckets {
	return &restBuckets{used: newLRUMap[limitedBucket](size), limiter: discordgo.NewRatelimiter(), perLimiter: perLimiter}
}

// lock returns key's bucket locked for one request, waiting as discordgo
// does if its limit (or the global one) is exhausted; the request's
// response releases it (RequestWithLockedBucket does).
func (r *restBuckets) lock(key string) *discordgo.Bucket {
	r.mu.Lock()
	lb, ok := r.used.get(key)
	if !ok {
		if r.made >= r.perLimiter {
			r.limiter, r.made = discordgo.NewRatelimiter(), 0
		}
		lb = limitedBucket{r.limiter.GetBucket(key), r.limiter}
		r.made++
		r.used.put(key, lb)
	}
	r.mu.Unlock()
	return lb.rl.LockBucketObject(lb.b)
}
