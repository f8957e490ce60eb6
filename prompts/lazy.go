package prompts

import (
	"regexp"
	"sync"
)

// lazyRegexp compiles expr on first use. A regexp with Unicode classes
// takes a fraction of a millisecond to compile, and every start of
// citebot paid for all of them, "citebot --help" included.
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}
