package main

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/citebot/citebot/scale"
)

// publishFlags adds index's --publish: upload the index to NATS for the
// workers (see README: Scaling out).
func (e *env) publishFlags(fs *flag.FlagSet) *bool {
	return fs.Bool("publish", false, "then upload the index to NATS, where workers load it and switch to it [CITEBOT_NATS_URL]")
}

// natsReplicas reads CITEBOT_NATS_REPLICAS: how many servers of a NATS
// cluster keep each stream and bucket the first citebot process creates.
func (e *env) natsReplicas() (int, error) {
	v := strings.TrimSpace(e.getenv("CITEBOT_NATS_REPLICAS"))
	if v == "" {
		return 1, nil
	}
	n := envInt(e.getenv, "CITEBOT_NATS_REPLICAS", 0)
	if n < 1 || n > 5 {
		return 0, usagef("CITEBOT_NATS_REPLICAS must be a number of servers from 1 to 5, got %q", v)
	}
	return n, nil
}

// publishIndex uploads the index in e.indexDir() as the current version
// and says so.
func (e *env) publishIndex(ctx context.Context) (string, error) {
	url := strings.TrimSpace(e.getenv("CITEBOT_NATS_URL"))
	if url == "" {
		return "", usagef("--publish needs CITEBOT_NATS_URL: the NATS servers the workers use")
	}
	replicas, err := e.natsReplicas()
	if err != nil {
		return "", err
	}
	c, err := scale.Connect(ctx, url, scale.Options{Name: "citebot index", Replicas: replicas, Logger: e.log})
	if err != nil {
		return "", err
	}
	defer c.Close()
	version, err := c.PublishIndex(ctx, e.indexDir())
	if err != nil {
		return "", fmt.Errorf("publish the index: %w", err)
	}
	return version, nil
}
