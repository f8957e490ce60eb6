package bot

import (
	"fmt"
	"testing"
	"time"
)

var rateEpoch = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func TestRateLimiterBurstThenWait(t *testing.T) {
	tests := []struct {
		name             string
		perMinute, burst int
		wantBurst        int
		wantWait         time.Duration
	}{
		{"6 a minute, burst 3", 6, 3, 3, 10 * time.Second},
		{"1 a minute, burst 1", 1, 1, 1, time.Minute},
		{"7 a minute rounds the wait up", 7, 2, 2, 8572 * time.Millisecond},
		{"burst 0 counts as 1", 60, 0, 1, time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRateLimiter(tt.perMinute, tt.burst)
			now := rateEpoch
			for i := range tt.wantBurst {
				if ok, wait := r.allow("u", now); !ok {
					t.Fatalf("question %d: got refused (wait %v), want allowed", i+1, wait)
				}
			}
			ok, wait := r.allow("u", now)
			if ok || wait != tt.wantWait {
				t.Fatalf("after the burst: got %v, %v, want false, %v", ok, wait, tt.wantWait)
			}
			if ok, _ := r.allow("u", now.Add(wait-time.Millisecond)); ok {
				t.Errorf("1ms before the wait ends: got allowed, want refused")
			}
			if ok, w := r.allow("u", now.Add(wait)); !ok {
				t.Errorf("once the wait ends: got refused (wait %v), want allowed", w)
			}
			if ok, w := r.allow("u", now.Add(wait)); ok || w <= 0 {
				t.Errorf("right after: got %v, %v, want false and a positive wait", ok, w)
			}
		})
	}
}

func TestRateLimiterUsersIndependent(t *testing.T) {
	r := newRateLimiter(6, 2)
	for i := range 2 {
		if ok, _ := r.allow("alice", rateEpoch); !ok {
			t.Fatalf("alice question %d: got refused, want allowed", i+1)
		}
	}
	if ok, _ := r.allow("alice", rateEpoch); ok {
		t.Fatalf("alice after her burst: got allowed, want refused")
	}
	for i := range 2 {
		if ok, wait := r.allow("bob", rateEpoch); !ok {
			t.Errorf("bob question %d: got refused (wait %v), want allowed", i+1, wait)
		}
	}
}

func TestRateLimiterDisabled(t *testing.T) {
	for _, perMinute := range []int{0, -5} {
		t.Run(fmt.Sprint(perMinute), func(t *testing.T) {
			r := newRateLimiter(perMinute, 1)
			for i := range 1000 {
				if ok, wait := r.allow("u", rateEpoch); !ok || wait != 0 {
					t.Fatalf("question %d: got %v, %v, want true, 0", i+1, ok, wait)
				}
			}
			if r.users != nil {
				t.Errorf("got %d users tracked, want none", r.users.len())
			}
		})
	}
}

func TestRateLimiterMemoryBounded(t *testing.T) {
	r := newRateLimiter(1, 1)
	for i := range 11_000 {
		if ok, _ := r.allow(fmt.Sprint("user", i), rateEpoch); !ok {
			t.Fatalf("user%d first question: got refused, want allowed", i)
		}
	}
	if n := r.users.len(); n > rateMaxUsers {
		t.Errorf("got %d users tracked, want at most %d", n, rateMaxUsers)
	}
	if ok, _ := r.allow("user10999", rateEpoch); ok {
		t.Errorf("newest user asking again: got allowed, want refused (still tracked)")
	}
	if ok, _ := r.allow("user0", rateEpoch); !ok {
		t.Errorf("oldest user asking again: got refused, want allowed (forgotten)")
	}
}

func TestRateLimiterForgetsIdleUsers(t *testing.T) {
	tests := []struct {
		name  string
		later time.Duration
		want  int
	}{
		{"still remembered", rateIdleAfter - time.Second, 2},
		{"forgotten", rateIdleAfter, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRateLimiter(1, 1)
			r.allow("idle", rateEpoch)
			r.allow("other", rateEpoch.Add(tt.later))
			if n := r.users.len(); n != tt.want {
				t.Errorf("got %d users tracked, want %d", n, tt.want)
			}
		})
	}
}
