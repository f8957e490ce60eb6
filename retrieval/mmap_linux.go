package retrieval

import "syscall"

// mapPopulate asks Linux to map every page at once rather than fault them
// in one by one as the checksum reads them.
const mapPopulate = syscall.MAP_POPULATE
