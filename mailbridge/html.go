package mailbridge

import (
	"regexp"
	"strings"
	"sync"

	"github.com/microcosm-cc/bluemonday"
)

// The HTML of a mail is kept for display only after bluemonday has sanitised it (its user
// content policy: no script, no style, no event handlers, no forms; links get rel=nofollow
// and open in a new tab; cid: links to inline images stay). Pages still show it under the
// strict CSP of the web package.
var htmlPolicy = sync.OnceValue(func() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.AllowURLSchemes("mailto", "http", "https", "cid")
	p.AddTargetBlankToFullyQualifiedLinks(true)
	p.RequireNoReferrerOnLinks(true)
	return p
})

// maxHTML bounds the sanitised HTML kept with a message; larger HTML (newsletters) is shown as
// text only. The source is kept in full either way.
const maxHTML = 512 << 10

func sanitizeHTML(s string) string {
	if len(s) > 4*maxHTML {
		return ""
	}
	out := strings.TrimSpace(htmlPolicy().Sanitize(s))
	if len(out) > maxHTML {
		return ""
	}
	return out
}

var metaCharset = regexp.MustCompile(`(?i)<meta[^>]+charset\s*=\s*["']?\s*([a-z0-9_:.-]+)`)

// htmlCharset is the charset of an HTML part: as declared in its Content-Type, else in a meta
// tag near the top, else unknown (""). A meta tag that says UTF-16 was readable as ASCII, so
// the HTML is not UTF-16: it is read as UTF-8, as browsers do.
func htmlCharset(declared string, b []byte) string {
	if declared != "" {
		return declared
	}
	if m := metaCharset.FindSubmatch(b[:min(len(b), 4096)]); m != nil {
		if isUTF16(normalizeCharset(string(m[1]))) {
			return "utf-8"
		}
		return string(m[1])
	}
	return ""
}
