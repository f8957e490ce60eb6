// Package fetch downloads web pages, feeds and files politely and safely
// for citebot's sources: it names itself, honours robots.txt, sends one
// request at a time to a host with a delay between them, bounds time,
// redirects and size, checks content types, converts text to UTF-8, and
// refuses to reach private or loopback addresses (see guard.go).
//
// Errors name the URL and say what went wrong in words a user can act on.
package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// UserAgent names citebot to the sites it reads, as robots.txt expects.
const UserAgent = "citebot/1.0 (+https://github.com/citebot/citebot; reads articles on a user's request)"

// robotsAgent is the name citebot looks for in robots.txt.
const robotsAgent = "citebot"

// Reasons a fetch fails, for errors.Is.
var (
	ErrDisallowed  = errors.New("robots.txt disallows citebot from fetching it")
	ErrTooLarge    = errors.New("response too large")
	ErrContentType = errors.New("unexpected content type")
	ErrRedirects   = errors.New("too many redirects (a redirect loop?)")
	ErrScheme      = errors.New("only http and https URLs can be fetched")
)

// StatusError is an HTTP status other than 200 and 304.
type StatusError struct{ Code int }

func (e *StatusError) Error() string {
	return fmt.Sprintf("HTTP %d %s", e.Code, http.StatusText(e.Code))
}

// Options configure a Client. The zero value of each field means its default.
type Options struct {
	Allow        Allow         // non-public addresses that may be fetched
	HostDelay    time.Duration // least time between two requests to one host; default 1s, negative means none
	Timeout      time.Duration // whole request, body included; default 30s
	MaxBytes     int64         // largest body; default 5 MB
	MaxRedirects int           // default 5
	Logger       *slog.Logger
	// Transport replaces the network for tests that must not dial; nil
	// means the guarded dialer. The guard is then the caller's business.
	Transport http.RoundTripper
}

func (o *Options) defaults() {
	switch {
	case o.HostDelay == 0:
		o.HostDelay = time.Second
	case o.HostDelay < 0:
		o.HostDelay = 0
	}
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = 5 << 20
	}
	if o.MaxRedirects <= 0 {
		o.MaxRedirects = 5
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
}

// Client fetches URLs. It is safe for concurrent use; requests to the same
// host wait for each other.
type Client struct {
	opts   Options
	http   *http.Client
	gates  *gates
	robots *robotsCache
}

// New returns a Client with opts.
func New(opts Options) *Client {
	opts.defaults()
	c := &Client{opts: opts, gates: newGates(opts.HostDelay)}
	base := opts.Transport
	if base == nil {
		dialer := newGuardedDialer(opts.Allow, 10*time.Second)
		base = &http.Transport{
			Proxy:                 nil, // a proxy would be dialled instead of the checked address
			DialContext:           dialer.DialContext,
			TLSHandshakeTimeout:   10 * time.Second,
			ResponseHeaderTimeout: opts.Timeout,
			MaxIdleConnsPerHost:   2,
			IdleConnTimeout:       30 * time.Second,
			ForceAttemptHTTP2:     true,
		}
	}
	c.robots = newRobotsCache(c)
	c.http = &http.Client{
		Transport:     &politeTransport{c: c, next: base},
		CheckRedirect: c.checkRedirect,
		Timeout:       opts.Timeout,
	}
	return c
}

// Request is one fetch. ETag and LastModified, from an earlier Response,
// make it conditional. Accept lists the media types the caller can read
// ("text/html", "application/pdf"); empty accepts any.
type Request struct {
	URL          string
	ETag         string
	LastModified string
	Accept       []string
}

// Response is a fetched resource. Body is UTF-8 when ContentType is text.
type Response struct {
	URL          string // after redirects
	NotModified  bool   // 304: Body is empty, keep what you have
	ContentType  string
	Body         []byte
	ETag         string
	LastModified string
}

// Get fetches req.URL. The error names the URL.
func (c *Client) Get(ctx context.Context, req Request) (*Response, error) {
	resp, err := c.get(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", req.URL, explain(err, c.opts.Timeout))
	}
	return resp, nil
}

func (c *Client) get(ctx context.Context, req Request) (*Response, error) {
	u, err := CheckURL(req.URL)
	if err != nil {
		return nil, err
	}
	hr, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	hr.Header.Set("User-Agent", UserAgent)
	if len(req.Accept) > 0 {
		hr.Header.Set("Accept", strings.Join(req.Accept, ", ")+", */*;q=0.1")
	}
	if req.ETag != "" {
		hr.Header.Set("If-None-Match", req.ETag)
	}
	if req.LastModified != "" {
		hr.Header.Set("If-Modified-Since", req.LastModified)
	}
	resp, err := c.http.Do(hr)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return c.read(resp, req.Accept)
}

// read checks the status, type and size of resp and reads its body.
func (c *Client) read(resp *http.Response, accept []string) (*Response, error) {
	out := &Response{URL: resp.Request.URL.String(), ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified")}
	switch {
	case resp.StatusCode == http.StatusNotModified:
		out.NotModified = true
		return out, nil
	case resp.StatusCode != http.StatusOK:
		return nil, &StatusError{Code: resp.StatusCode}
	}
	out.ContentType = resp.Header.Get("Content-Type")
	if !accepted(out.ContentType, accept) {
		return nil, fmt.Errorf("%w %q (want %s)", ErrContentType, mediaType(out.ContentType), strings.Join(accept, ", "))
	}
	if resp.ContentLength > c.opts.MaxBytes {
		return nil, fmt.Errorf("%w: %d bytes, the limit is %d", ErrTooLarge, resp.ContentLength, c.opts.MaxBytes)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, c.opts.MaxBytes+1))
	if err != nil {
		return nil, err
	}
	if int64(len(body)) > c.opts.MaxBytes {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, c.opts.MaxBytes)
	}
	out.Body, out.ContentType = toUTF8(body, out.ContentType)
	return out, nil
}

// CheckURL parses a user-supplied URL and refuses what is not http(s).
func CheckURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, fmt.Errorf("not a valid URL: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, ErrScheme
	}
	if u.Host == "" {
		return nil, fmt.Errorf("not a valid URL: no host")
	}
	return u, nil
}

// checkRedirect bounds redirects and re-checks each target's scheme; the
// dialer checks each target's address.
func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > c.opts.MaxRedirects {
		return ErrRedirects
	}
	if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
		return ErrScheme
	}
	return nil
}
