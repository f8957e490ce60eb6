package answer

import (
	"regexp"
	"sync"
)

// lazyRegexp compiles expr on first use. The reader's patterns, with their
// case folding and Unicode classes, took 4–5 ms and most of a megabyte to
// compile at every start of citebot, "citebot --help" included, and a
// question needs only some of them.
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}
