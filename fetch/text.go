package fetch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/url"
	"strings"
	"time"

	"golang.org/x/net/html/charset"
)

// mediaType is the lowercased type/subtype of a Content-Type header.
func mediaType(contentType string) string {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		mt, _, _ = strings.Cut(contentType, ";")
	}
	return strings.ToLower(strings.TrimSpace(mt))
}

// accepted reports whether contentType is one of accept (all when empty).
// A missing Content-Type is accepted: the caller sniffs the body.
func accepted(contentType string, accept []string) bool {
	mt := mediaType(contentType)
	if len(accept) == 0 || mt == "" {
		return true
	}
	for _, a := range accept {
		if a == mt {
			return true
		}
	}
	return false
}

// toUTF8 converts text/html and text/plain bodies to UTF-8 (from the
// header's charset, a BOM, or the page's meta charset) and says so in the
// returned content type. Other types are returned as they are: XML carries
// its own encoding declaration, and PDFs are binary.
func toUTF8(body []byte, contentType string) ([]byte, string) {
	mt := mediaType(contentType)
	if mt != "text/html" && mt != "text/plain" && mt != "application/xhtml+xml" && mt != "text/markdown" {
		return body, contentType
	}
	r, err := charset.NewReader(bytes.NewReader(body), contentType)
	if err != nil {
		return body, contentType // unknown charset: leave it to the reader
	}
	out, err := io.ReadAll(r)
	if err != nil {
		return body, contentType
	}
	return out, mt + "; charset=utf-8"
}

// explain turns transport errors into messages a user can act on.
func explain(err error, timeout time.Duration) error {
	var netErr net.Error
	switch {
	case errors.Is(err, ErrBlocked), errors.Is(err, ErrDisallowed), errors.Is(err, ErrRedirects), errors.Is(err, ErrScheme):
		return unwrapURLError(err)
	case errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &netErr) && netErr.Timeout()):
		return fmt.Errorf("timed out (limit %s): %w", timeout, context.DeadlineExceeded)
	case strings.Contains(err.Error(), "tls:") || strings.Contains(err.Error(), "x509:"):
		return fmt.Errorf("TLS error: %w", unwrapURLError(err))
	}
	return unwrapURLError(err)
}

// unwrapURLError drops net/http's `Get "URL":` prefix: Get adds the URL once.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
