package natstest

import (
	"io"
	"net"
	"strings"
	"sync"
	"testing"
)

// Proxy is a TCP proxy in front of a server that a test can cut: every
// connection through it closes at once and new ones are refused, as when
// a process is killed or its machine drops off the network. A client
// connected through it sees its server vanish, with no goodbye — no
// acknowledgement, negative or not, reaches JetStream.
type Proxy struct {
	l      net.Listener
	target string

	mu    sync.Mutex
	conns []net.Conn
	cut   bool
	wg    sync.WaitGroup
}

// NewProxy forwards a loopback port to the server at url (nats://host:port)
// until the test ends or Cut.
func NewProxy(t testing.TB, url string) *Proxy {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("proxy: %v", err)
	}
	p := &Proxy{l: l, target: strings.TrimPrefix(url, "nats://")}
	p.wg.Go(p.accept)
	t.Cleanup(p.Cut)
	return p
}

// URL is where clients connect to reach the server through the proxy.
func (p *Proxy) URL() string { return "nats://" + p.l.Addr().String() }

func (p *Proxy) accept() {
	for {
		in, err := p.l.Accept()
		if err != nil {
			return // cut
		}
		out, err := net.Dial("tcp", p.target)
		if err != nil {
			in.Close()
			continue
		}
		if !p.track(in, out) {
			return
		}
		p.wg.Go(func() { io.Copy(out, in); out.Close() })
		p.wg.Go(func() { io.Copy(in, out); in.Close() })
	}
}

// track records a connection pair, or closes it if the proxy is cut.
func (p *Proxy) track(conns ...net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cut {
		for _, c := range conns {
			c.Close()
		}
		return false
	}
	p.conns = append(p.conns, conns...)
	return true
}

// Cut closes every connection through the proxy and refuses new ones; it
// returns once nothing is copied any more.
func (p *Proxy) Cut() {
	p.mu.Lock()
	p.cut = true
	conns := p.conns
	p.conns = nil
	p.mu.Unlock()
	p.l.Close()
	for _, c := range conns {
		c.Close()
	}
	p.wg.Wait()
}
