//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package retrieval

import (
	"io"
	"os"
)

// mapFile reads the first size bytes of f where files cannot be mapped.
func mapFile(f *os.File, size int) ([]byte, func(), error) {
	b := make([]byte, size)
	if _, err := io.ReadFull(f, b); err != nil {
		return nil, nil, err
	}
	return b, func() {}, nil
}
