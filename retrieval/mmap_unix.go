//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package retrieval

import (
	"os"
	"syscall"
)

// mapFile maps the first size bytes of f read-only. The vectors of a
// loaded index are then the page cache's own pages: nothing is copied or
// zeroed, processes that load the same index share them, and a load of
// 100k chunks no longer waits for 300 MB of fresh memory. A data file is
// never changed in place (a save writes a new one), and unlinking it
// leaves the mapping valid.
func mapFile(f *os.File, size int) ([]byte, func(), error) {
	if size == 0 {
		return nil, func() {}, nil
	}
	b, err := syscall.Mmap(int(f.Fd()), 0, size, syscall.PROT_READ, syscall.MAP_PRIVATE|mapPopulate)
	if err != nil {
		return nil, nil, &os.PathError{Op: "mmap", Path: f.Name(), Err: err}
	}
	return b, func() { syscall.Munmap(b) }, nil
}
