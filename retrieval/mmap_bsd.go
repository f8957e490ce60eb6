//go:build darwin || freebsd || netbsd || openbsd || dragonfly

package retrieval

const mapPopulate = 0
