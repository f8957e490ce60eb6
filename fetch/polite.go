package fetch

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/temoto/robotstxt"
)

// politeTransport makes every request, redirects included, wait for its
// host's turn and ask robots.txt first. The host stays busy until the
// response body is closed, so one host never serves two of our requests
// at once.
type politeTransport struct {
	c    *Client
	next http.RoundTripper
}

func (t *politeTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Path != "/robots.txt" {
		if err := t.c.robots.check(req.Context(), req.URL.Scheme, req.URL.Host, req.URL.RequestURI()); err != nil {
			return nil, err
		}
	}
	release, err := t.c.gates.acquire(req.Context(), req.URL.Host)
	if err != nil {
		return nil, err
	}
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		release()
		return nil, err
	}
	resp.Body = &releasingBody{ReadCloser: resp.Body, release: release}
	return resp, nil
}

// releasingBody frees the host when the body is closed, once.
type releasingBody struct {
	io.ReadCloser
	once    sync.Once
	release func()
}

func (b *releasingBody) Close() error {
	err := b.ReadCloser.Close()
	b.once.Do(b.release)
	return err
}

// gates holds one turn per host: a request takes the host's token, and
// the next may start delay after the previous ended.
type gates struct {
	delay time.Duration
	mu    sync.Mutex
	hosts map[string]*gate
}

type gate struct {
	token chan struct{} // capacity 1: holding it is having the turn
	last  time.Time     // when the previous request ended; guarded by token
}

func newGates(delay time.Duration) *gates {
	return &gates{delay: delay, hosts: map[string]*gate{}}
}

// acquire waits for host's turn and returns the function that ends it.
func (g *gates) acquire(ctx context.Context, host string) (func(), error) {
	g.mu.Lock()
	gt, ok := g.hosts[host]
	if !ok {
		gt = &gate{token: make(chan struct{}, 1)}
		g.hosts[host] = gt
	}
	g.mu.Unlock()
	select {
	case gt.token <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if wait := time.Until(gt.last.Add(g.delay)); g.delay > 0 && wait > 0 {
		timer := time.NewTimer(wait)
		select {
		case <-timer.C:
		case <-ctx.Done():
			timer.Stop()
			<-gt.token
			return nil, ctx.Err()
		}
	}
	return func() {
		gt.last = time.Now()
		<-gt.token
	}, nil
}

// robotsCache fetches each host's robots.txt once per Client.
type robotsCache struct {
	c     *Client
	mu    sync.Mutex
	hosts map[string]*robotsEntry
}

type robotsEntry struct {
	once sync.Once
	data *robotstxt.RobotsData
	err  error
}

func newRobotsCache(c *Client) *robotsCache {
	return &robotsCache{c: c, hosts: map[string]*robotsEntry{}}
}

// check returns ErrDisallowed when the host's robots.txt forbids path.
func (r *robotsCache) check(ctx context.Context, scheme, host, path string) error {
	key := scheme + "://" + host
	r.mu.Lock()
	e, ok := r.hosts[key]
	if !ok {
		e = &robotsEntry{}
		r.hosts[key] = e
	}
	r.mu.Unlock()
	e.once.Do(func() { e.data, e.err = r.fetch(ctx, key+"/robots.txt") })
	if e.err != nil {
		return e.err
	}
	if !e.data.TestAgent(path, robotsAgent) {
		return ErrDisallowed
	}
	return nil
}

// fetch reads one robots.txt. A missing file (4xx) allows everything; a
// server error (5xx) disallows everything, as the robots exclusion
// protocol asks, until the next run.
func (r *robotsCache) fetch(ctx context.Context, u string) (*robotstxt.RobotsData, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", UserAgent)
	resp, err := r.c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 512<<10))
	if err != nil {
		return nil, err
	}
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode == http.StatusOK && strings.Contains(ct, "html") {
		body = nil // a soft 404: an HTML page served for every path
	}
	return robotstxt.FromStatusAndBytes(resp.StatusCode, body)
}
