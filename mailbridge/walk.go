package mailbridge

import (
	"bytes"
	"regexp"
	"strings"

	"github.com/ks-no/digihjelpen/ticket"
)

// Limits of the walk, so a crafted mail cannot recurse or fan out without end. Parts beyond
// them are kept as attachments, never dropped.
const (
	maxDepth = 16
	maxParts = 500
)

// walker collects what a mail holds, part by part: its text in order, its HTML, its files, and
// what a report (bounce, read receipt) says about the mail it reports on.
type walker struct {
	plain      []string
	html       []string
	atts       []ticket.Attachment
	bounced    []string // Message-IDs of reported mails
	dsn        []string // per-recipient delivery status, for staff
	dsnOK      int      // recipients whose status is no failure (delayed, delivered ...)
	reportType string   // delivery-status, disposition-notification
	encrypted  bool
	parts      *int
}

func newWalker() *walker { return &walker{parts: new(int)} }

// sub is a walker for a branch whose text may or may not be used (alternatives).
func (w *walker) sub() *walker { return &walker{parts: w.parts} }

// merge takes over what a branch found besides its text.
func (w *walker) merge(s *walker) {
	w.atts = append(w.atts, s.atts...)
	w.bounced = append(w.bounced, s.bounced...)
	w.dsn = append(w.dsn, s.dsn...)
	w.dsnOK += s.dsnOK
	w.encrypted = w.encrypted || s.encrypted
	if w.reportType == "" {
		w.reportType = s.reportType
	}
}

func (w *walker) walk(p *part, depth int) {
	*w.parts++
	if depth > maxDepth || *w.parts > maxParts {
		w.attach(p, false)
		return
	}
	switch mt := p.mediaType; {
	case strings.HasPrefix(mt, "multipart/"):
		w.multipart(p, depth)
	case mt == "message/rfc822" || mt == "message/global":
		w.nested(p, depth)
	case mt == "message/delivery-status" || mt == "message/global-delivery-status":
		w.deliveryStatus(p)
	case mt == "message/disposition-notification":
		w.dispositionNotification(p)
	case mt == "text/rfc822-headers" || mt == "text/global-headers":
		w.originalHeader(p.decoded())
		w.attach(p, false)
	default:
		w.leaf(p, depth)
	}
}

// multipart walks the parts of p by the kind of multipart. When the parts hold no text but the
// preamble does (a mailer that put the body before the first boundary), the preamble is it.
func (w *walker) multipart(p *part, depth int) {
	children, preamble := w.children(p)
	if children == nil { // no parts to be found: read it as text
		p.mediaType = "text/plain"
		w.leaf(p, depth)
		return
	}
	texts := len(w.plain) + len(w.html)
	defer func() {
		if len(w.plain)+len(w.html) == texts && isRealPreamble(preamble) {
			w.plain = append(w.plain, toUTF8(preamble, p.params["charset"]))
		}
	}()
	switch p.mediaType {
	case "multipart/alternative":
		w.alternative(children, depth)
	case "multipart/related":
		w.related(children, p.params["start"], depth)
	case "multipart/report":
		w.reportType = strings.ToLower(p.params["report-type"])
		for _, c := range children {
			w.walk(c, depth+1)
		}
	case "multipart/signed":
		w.walk(children[0], depth+1)
		for _, c := range children[1:] {
			w.attach(c, false)
		}
	case "multipart/encrypted":
		w.encrypted = true
		for _, c := range children {
			w.attach(c, false)
		}
	default: // mixed, digest, parallel and unknown kinds
		w.mixed(children, depth)
	}
}

// children splits p into its parts and the preamble; nil when no part can be found.
func (w *walker) children(p *part) ([]*part, []byte) {
	bodies, preamble, ok := splitMultipart(p.body, p.params["boundary"])
	if !ok {
		if b := guessBoundary(p.body); b != "" {
			bodies, preamble, ok = splitMultipart(p.body, b)
		}
	}
	if !ok || len(bodies) == 0 {
		return nil, nil
	}
	var out []*part
	for _, b := range bodies {
		h, body := splitMessage(b, false)
		c := newPart(h, body)
		if p.mediaType == "multipart/digest" && len(h.values("Content-Type")) == 0 {
			c.mediaType = "message/rfc822" // RFC 2046: the default type in a digest
		}
		out = append(out, c)
	}
	return out, preamble
}

var mimeNotice = regexp.MustCompile(`(?i)(multi-?part message in mime format|mime-encapsulated|mime[- ]formatted|in mime format|flerdelt melding|mime-format)`)

// isRealPreamble reports whether a preamble holds text of its own, not the usual notice for
// mail programs that do not read MIME.
func isRealPreamble(b []byte) bool {
	t := bytes.TrimSpace(b)
	return len(t) > 0 && !mimeNotice.Match(t[:min(len(t), 200)])
}

// mixed walks parts in order; text parts are joined, and an image between texts leaves a
// marker where it was (iPhone mail puts pictures between paragraphs).
func (w *walker) mixed(children []*part, depth int) {
	for _, c := range children {
		before := len(w.atts)
		w.walk(c, depth+1)
		if len(w.plain) > 0 && strings.HasPrefix(c.mediaType, "image/") && len(w.atts) == before+1 && w.atts[before].Inline {
			w.plain = append(w.plain, "[Bilde: "+w.atts[before].Name+"]")
		}
	}
}

// alternative keeps the first plain text and the last (richest) HTML of the alternatives; files
// in any of them (inline images, calendar invitations) are kept.
func (w *walker) alternative(children []*part, depth int) {
	var plain, html *walker
	for _, c := range children {
		s := w.sub()
		s.walk(c, depth+1)
		if plain == nil && strings.TrimSpace(strings.Join(s.plain, "")) != "" {
			plain = s
		}
		if len(s.html) > 0 {
			html = s
		}
		w.merge(s)
	}
	if plain != nil {
		w.plain = append(w.plain, plain.plain...)
	}
	if html != nil {
		w.html = append(w.html, html.html...)
	}
}

// related walks the root part (the start parameter names it, else the first) and keeps the
// others as inline files, referred to by Content-ID.
func (w *walker) related(children []*part, start string, depth int) {
	root := 0
	if start = strings.Trim(start, "<> "); start != "" {
		for i, c := range children {
			if c.contentID() == start {
				root = i
			}
		}
	}
	for i, c := range children {
		if i == root {
			w.walk(c, depth+1)
		} else {
			w.attach(c, c.disposition() != "attachment")
		}
	}
}
