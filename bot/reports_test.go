package bot

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime"
	"mime/multipart"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/citebot/citebot/bot/discordtest"
)

// fakeReports serves fixed gaps and stats, and records what it was asked.
type fakeReports struct {
	gaps []Gap
	png  []byte
	mu   sync.Mutex
	asks []string // "gaps guild days" or "stats guild days"
}

func (f *fakeReports) Gaps(_ context.Context, guild string, days int) ([]Gap, error) {
	f.note("gaps", guild, days)
	return f.gaps, nil
}

func (f *fakeReports) Stats(_ context.Context, guild string, days int) (string, []byte, error) {
	f.note("stats", guild, days)
	return fmt.Sprintf("12 questions in %d days", days), f.png, nil
}

func (f *fakeReports) note(what, guild string, days int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.asks = append(f.asks, fmt.Sprint(what, " ", guild, " ", days))
}

// chartPNG is a small real PNG.
func chartPNG(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 40, 20))
	img.Set(3, 4, color.RGBA{R: 200, A: 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestStatsAttachesTheChart checks /stats replies privately with the
// figures and the chart as a PNG file in a multipart edit, and refuses
// members without Manage Server and days out of range.
func TestStatsAttachesTheChart(t *testing.T) {
	rep := &fakeReports{png: chartPNG(t)}
	h := start(t, func(_ *Config, d *Deps) { d.Reports = rep })
	i := h.fake.SlashCommand("stats", map[string]any{"days": 7}, asker, h.fake.GuildID(), channel, manager)
	h.dispatch(t, "INTERACTION_CREATE", i)
	if b := decode(t, h.wait(t, discordtest.MatchRoute("POST", "/interactions/"+i.ID+"/{token}/callback"))); b.Type != 5 || b.Data.Flags&64 == 0 {
		t.Errorf("got %+v, want a private deferral", b)
	}
	r := h.wait(t, discordtest.MatchRoute("PATCH", "/webhooks/{app}/"+i.Token+"/messages/@original"))
	if b := decode(t, r); b.Content != "12 questions in 7 days" {
		t.Errorf("got content %q, want the figures", b.Content)
	}
	mediaType, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mediaType != "multipart/form-data" {
		t.Fatalf("got Content-Type %q, want multipart/form-data", r.Header.Get("Content-Type"))
	}
	var files int
	mr := multipart.NewReader(bytes.NewReader(r.Body), params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if p.FileName() == "" {
			continue
		}
		files++
		img, format, err := image.Decode(p)
		if err != nil || format != "png" || img.Bounds().Dx() != 40 {
			t.Errorf("file %s: got %v, %q, %v; want the 40-pixel-wide PNG", p.FileName(), err, format, img)
		}
	}
	if files != 1 {
		t.Errorf("got %d files attached, want the chart", files)
	}
	if want := "stats " + h.fake.GuildID() + " 7"; len(rep.asks) != 1 || rep.asks[0] != want {
		t.Errorf("got reports asked %q, want %q", rep.asks, want)
	}

	for _, c := range []struct {
		opts  map[string]any
		perms int64
		want  string
	}{{nil, 0, say("en", "noPermReports")}, {map[string]any{"days": 0}, manager, say("en", "badDays", "0", maxDays)}} {
		i := h.fake.SlashCommand("stats", c.opts, asker, h.fake.GuildID(), channel, c.perms)
		h.dispatch(t, "INTERACTION_CREATE", i)
		b := decode(t, h.wait(t, discordtest.MatchRoute("POST", "/interactions/"+i.ID+"/{token}/callback")))
		if b.Data == nil || b.Data.Content != c.want || b.Data.Flags&64 == 0 {
			t.Errorf("got %+v, want %q privately", b.Data, c.want)
		}
	}
}

// TestGapsArePaginated shows 1,000 groups: pages of ten within Discord's
// 2,000 characters, turned with the buttons, up to the last.
func TestGapsArePaginated(t *testing.T) {
	rep := &fakeReports{}
	for n := range 1000 {
		rep.gaps = append(rep.gaps, Gap{Example: fmt.Sprintf("Question %d ", n+1) + strings.Repeat("très longue ", 40),
			Count: 1000 - n, Last: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)})
	}
	h := start(t, func(_ *Config, d *Deps) { d.Reports = rep })
	i := h.fake.SlashCommand("gaps", nil, asker, h.fake.GuildID(), channel, manager)
	h.dispatch(t, "INTERACTION_CREATE", i)
	first := decode(t, h.wait(t, discordtest.MatchRoute("PATCH", "/webhooks/{app}/"+i.Token+"/messages/@original")))
	checkPage(t, first, "page 1/100", "1. **1000×** « Question 1 ", "10. **991×**", "gaps:30:1")

	for _, c := range []struct {
		button string
		want   []string
	}{{"gaps:30:1", []string{"page 2/100", "11. **990×** « Question 11 "}}, {"gaps:30:99", []string{"page 100/100", "1000. **1×**"}}} {
		click := h.fake.ButtonClick(c.button, nil, asker, h.fake.GuildID(), channel)
		click.Member.Permissions = manager
		h.dispatch(t, "INTERACTION_CREATE", click)
		if b := decode(t, h.wait(t, discordtest.MatchRoute("POST", "/interactions/"+click.ID+"/{token}/callback"))); b.Type != 6 {
			t.Errorf("%s: got callback type %d, want 6 (deferred update)", c.button, b.Type)
		}
		page := decode(t, h.wait(t, discordtest.MatchRoute("PATCH", "/webhooks/{app}/"+click.Token+"/messages/@original")))
		checkPage(t, page, c.want...)
	}
}

// checkPage checks a page of /gaps fits a message and says each of want.
func checkPage(t *testing.T, b body, want ...string) {
	t.Helper()
	if n := utf8.RuneCountInString(b.Content); n > maxContent {
		t.Errorf("got a page of %d characters, want at most %d", n, maxContent)
	}
	all := b.Content + string(bytes.Join(rawComponents(b), nil))
	for _, w := range want {
		if !strings.Contains(all, w) {
			t.Errorf("got page %.300q…, want it to contain %q", b.Content, w)
		}
	}
}

// rawComponents are a body's components as JSON.
func rawComponents(b body) [][]byte {
	var out [][]byte
	for _, c := range b.Components {
		out = append(out, c)
	}
	return out
}

// TestForgetMe deletes what is stored about the member, with a count,
// and says so when nothing is left.
func TestForgetMe(t *testing.T) {
	h := start(t, func(c *Config, _ *Deps) { c.syncEvents = true })
	ask := h.fake.SlashCommand("ask", map[string]any{"question": question}, asker, h.fake.GuildID(), channel, 0)
	h.dispatch(t, "INTERACTION_CREATE", ask)
	h.dispatch(t, "INTERACTION_CREATE", h.fake.ButtonClick(voteUpPrefix+ask.ID, nil, asker, h.fake.GuildID(), channel))
	for _, want := range []string{say("en", "forgot", 3), say("en", "forgotNothing")} { // the question, its answer, the vote
		i := h.fake.SlashCommand("forget-me", nil, asker, h.fake.GuildID(), channel, 0)
		h.dispatch(t, "INTERACTION_CREATE", i)
		if b := decode(t, h.wait(t, discordtest.MatchRoute("PATCH", "/webhooks/{app}/"+i.Token+"/messages/@original"))); b.Content != want {
			t.Errorf("got %q, want %q", b.Content, want)
		}
	}
	if d, _ := h.bot.store.Export(t.Context(), asker); len(d.Questions)+len(d.Votes)+len(d.Answers) != 0 {
		t.Errorf("got %+v stored, want nothing", d)
	}
	if _, ok := h.bot.answers.get(t.Context(), ask.ID); ok {
		t.Error("the bot still caches the member's answer")
	}
}
