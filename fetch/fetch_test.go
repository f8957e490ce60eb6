package fetch

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// testClient allows 127.0.0.1, as CITEBOT_FETCH_ALLOW=127.0.0.1 does, with
// no delay between requests.
func testClient(t *testing.T, opts Options) *Client {
	t.Helper()
	allow, err := ParseAllow("127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	opts.Allow, opts.HostDelay = allow, -1
	return New(opts)
}

var html = []string{"text/html"}

func TestGetErrorsNameTheURL(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/missing", http.NotFound)
	mux.HandleFunc("/broken", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "boom", 500) })
	mux.HandleFunc("/image", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		w.Write([]byte("\x89PNG"))
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop2", http.StatusFound) })
	mux.HandleFunc("/loop2", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop", http.StatusFound) })
	mux.HandleFunc("/tofile", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
	})
	mux.HandleFunc("/huge", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		chunk := bytes.Repeat([]byte("<p>lorem ipsum</p>\n"), 1<<16) // ~1.2 MB
		for range 42 {                                               // ~50 MB unless the client stops reading
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	mux.HandleFunc("/declared-huge", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Length", fmt.Sprint(50<<20))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	c := testClient(t, Options{})
	tests := []struct {
		path string
		want error
		msg  string
	}{
		{"/missing", nil, "HTTP 404 Not Found"},
		{"/broken", nil, "HTTP 500 Internal Server Error"},
		{"/image", ErrContentType, `"image/png"`},
		{"/loop", ErrRedirects, "redirect loop"},
		{"/tofile", ErrScheme, "only http and https"},
		{"/huge", ErrTooLarge, "more than 5242880 bytes"},
		{"/declared-huge", ErrTooLarge, "52428800 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			u := srv.URL + tt.path
			_, err := c.Get(context.Background(), Request{URL: u, Accept: html})
			if err == nil || !strings.HasPrefix(err.Error(), u+": ") || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("got %v, want an error starting with the URL and mentioning %q", err, tt.msg)
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("got %v, want %v", err, tt.want)
			}
		})
	}
}

func TestStatusErrorCode(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	_, err := testClient(t, Options{}).Get(context.Background(), Request{URL: srv.URL + "/x"})
	var se *StatusError
	if !errors.As(err, &se) || se.Code != 404 {
		t.Errorf("got %v, want a StatusError 404", err)
	}
}

// TestTimeout uses a server that never answers: the client must give up
// by itself, whatever the machine's speed.
func TestTimeout(t *testing.T) {
	stop := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		select {
		case <-r.Context().Done():
		case <-stop:
		}
	}))
	defer srv.Close()
	defer close(stop)
	_, err := testClient(t, Options{Timeout: 100 * time.Millisecond}).Get(context.Background(), Request{URL: srv.URL + "/slow"})
	if err == nil || !strings.Contains(err.Error(), "timed out") || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("got %v, want a timeout", err)
	}
}

func TestTLSError(t *testing.T) {
	srv := httptest.NewTLSServer(http.NotFoundHandler()) // its certificate is not trusted
	defer srv.Close()
	_, err := testClient(t, Options{}).Get(context.Background(), Request{URL: srv.URL + "/"})
	if err == nil || !strings.Contains(err.Error(), "TLS error") {
		t.Errorf("got %v, want a TLS error", err)
	}
}

func TestGzipCharsetAndConditional(t *testing.T) {
	var agent atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		agent.Store(r.UserAgent())
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=iso-8859-1")
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", "Tue, 12 Mar 2024 08:30:00 GMT")
		if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			t.Errorf("got Accept-Encoding %q, want gzip", r.Header.Get("Accept-Encoding"))
		}
		w.Header().Set("Content-Encoding", "gzip")
		gz := gzip.NewWriter(w)
		gz.Write([]byte("<p>\xe9t\xe9 \xe0 S\xe8te</p>")) // "été à Sète" in Latin-1
		gz.Close()
	}))
	defer srv.Close()
	c := testClient(t, Options{})
	resp, err := c.Get(context.Background(), Request{URL: srv.URL + "/a", Accept: html})
	if err != nil {
		t.Fatal(err)
	}
	if got := string(resp.Body); got != "<p>été à Sète</p>" {
		t.Errorf("got body %q, want UTF-8 text", got)
	}
	if resp.ContentType != "text/html; charset=utf-8" || resp.ETag != `"v1"` || resp.LastModified == "" {
		t.Errorf("got %+v, want UTF-8 content type, ETag and Last-Modified", resp)
	}
	if ua, _ := agent.Load().(string); !strings.HasPrefix(ua, "citebot/") {
		t.Errorf("got User-Agent %q, want citebot's", ua)
	}
	again, err := c.Get(context.Background(), Request{URL: srv.URL + "/a", ETag: resp.ETag})
	if err != nil || !again.NotModified {
		t.Errorf("got %+v, %v, want NotModified", again, err)
	}
}

func TestRobots(t *testing.T) {
	var robots atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			robots.Add(1)
			fmt.Fprint(w, "User-agent: *\nDisallow: /private/\n\nUser-agent: citebot\nDisallow: /no-bots/\n")
			return
		}
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<p>ok</p>")
	}))
	defer srv.Close()
	c := testClient(t, Options{})
	for _, tt := range []struct {
		path string
		ok   bool
	}{{"/public", true}, {"/no-bots/x", false}, {"/private/x", true}, {"/public2", true}} {
		_, err := c.Get(context.Background(), Request{URL: srv.URL + tt.path})
		if tt.ok && err != nil || !tt.ok && !errors.Is(err, ErrDisallowed) {
			t.Errorf("%s: got %v, want allowed=%v", tt.path, err, tt.ok)
		}
	}
	if n := robots.Load(); n != 1 {
		t.Errorf("got robots.txt fetched %d times, want once", n)
	}
}

// TestOneRequestAtATimePerHost runs requests to one host concurrently and
// checks that the server never saw two at once.
func TestOneRequestAtATimePerHost(t *testing.T) {
	var active, most atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := active.Add(1)
		defer active.Add(-1)
		for {
			m := most.Load()
			if n <= m || most.CompareAndSwap(m, n) {
				break
			}
		}
		w.Write(bytes.Repeat([]byte("x"), 64<<10))
	}))
	defer srv.Close()
	c := testClient(t, Options{})
	errs := make(chan error)
	for i := range 8 {
		go func() {
			_, err := c.Get(context.Background(), Request{URL: fmt.Sprintf("%s/p%d", srv.URL, i)})
			errs <- err
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	if m := most.Load(); m != 1 {
		t.Errorf("got %d concurrent requests to one host, want 1", m)
	}
}

func TestGatesWaitForTurnAndDelay(t *testing.T) {
	g := newGates(time.Hour)
	release, err := g.acquire(context.Background(), "a.example")
	if err != nil {
		t.Fatal(err)
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := g.acquire(cancelled, "a.example"); !errors.Is(err, context.Canceled) {
		t.Errorf("busy host: got %v, want to wait until cancelled", err)
	}
	other, err := g.acquire(context.Background(), "b.example")
	if err != nil {
		t.Errorf("other host: got %v, want its own turn", err)
	} else {
		other()
	}
	release()
	if _, err := g.acquire(cancelled, "a.example"); !errors.Is(err, context.Canceled) {
		t.Errorf("within the delay: got %v, want to wait until cancelled", err)
	}
}

// listen opens a test server on addr (any 127.0.0.0/8 address works on
// Linux), so that two loopback servers can be told apart by address.
func listen(t *testing.T, addr string, h http.Handler) *httptest.Server {
	t.Helper()
	l, err := net.Listen("tcp", addr)
	if err != nil {
		t.Skipf("cannot listen on %s: %v", addr, err)
	}
	srv := &httptest.Server{Listener: l, Config: &http.Server{Handler: h}}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv
}

func TestSSRFGuard(t *testing.T) {
	private := listen(t, "127.0.0.2:0", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("the private server was reached: %s", r.URL)
	}))
	public := listen(t, "127.0.0.1:0", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, private.URL+"/secret", http.StatusFound)
	}))
	strict := New(Options{HostDelay: -1})
	allowed := testClient(t, Options{})
	tests := []struct {
		name string
		c    *Client
		url  string
		want error
	}{
		{"loopback", strict, public.URL + "/", ErrBlocked},
		{"localhost name", strict, strings.Replace(public.URL, "127.0.0.1", "localhost", 1) + "/", ErrBlocked},
		{"metadata", strict, "http://169.254.169.254/latest/meta-data/", ErrBlocked},
		{"private range", strict, "http://10.0.0.1/", ErrBlocked},
		{"mapped IPv6 loopback", strict, "http://[::ffff:127.0.0.1]:1/", ErrBlocked},
		{"unspecified", strict, "http://0.0.0.0:1/", ErrBlocked},
		{"redirect to a non-allowed address", allowed, public.URL + "/go", ErrBlocked},
		{"file scheme", allowed, "file:///etc/passwd", ErrScheme},
		{"gopher scheme", allowed, "gopher://127.0.0.1/", ErrScheme},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.c.Get(context.Background(), Request{URL: tt.url})
			if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.url) {
				t.Errorf("got %v, want %v naming the URL", err, tt.want)
			}
		})
	}
}

func TestParseAllow(t *testing.T) {
	a, err := ParseAllow(" 127.0.0.1, 10.1.0.0/16 ,Intranet.Example., ::1")
	if err != nil {
		t.Fatal(err)
	}
	if !a.hosts["intranet.example"] || len(a.prefixes) != 3 {
		t.Errorf("got %+v, want one host and three ranges", a)
	}
	if _, err := ParseAllow("http://x/"); err == nil {
		t.Error("got no error for a URL in the allow list")
	}
}
