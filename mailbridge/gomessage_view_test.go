package mailbridge

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

// mimeView is what a MIME parser makes of one mail, in a form two parsers can be compared in:
// the decoded header fields we store, and every leaf part in order (an attached mail counts as
// a leaf and is read as well). The walk above the MIME layer (which alternative, which part is
// text, what a bounce says) is ours either way, so it is left out.
type mimeView struct {
	NoMail    bool   // not read as a mail at all
	Subject   string // decoded
	FromName  string
	FromAddr  string
	To, Cc    string // bare addresses, lower case, comma-separated
	Date      string // RFC 3339 in UTC; "" when there is none or it cannot be read
	MessageID string // in angle brackets, as given
	Leaves    []leafView
	Problems  []string // errors the parser reported on the way
}

// leafView is one part; a multipart is listed too (its type and the parameters the walk reads),
// before its children.
type leafView struct {
	Path   string // 1.2.1: the place in the tree, as IMAP numbers parts
	Type   string // media type, lower case
	Params string // of a multipart: start and report-type
	Disp   string // "attachment", "inline" or "", as the walk reads Content-Disposition
	CID    string // Content-ID without brackets
	Name   string // file name, decoded
	Size   int    // bytes after the transfer encoding is undone
	SHA    string // of those bytes, 12 hex digits
	Text   string // text/plain and text/html: the text in UTF-8, line ends as LF
}

func (l leafView) String() string {
	if strings.HasPrefix(l.Type, "multipart/") {
		return fmt.Sprintf("%s %s %s", l.Path, l.Type, l.Params)
	}
	s := fmt.Sprintf("%s %s disp=%s cid=%q name=%q size=%d sha=%s", l.Path, l.Type, l.Disp, l.CID, l.Name, l.Size, l.SHA)
	if l.Text != "" {
		s += fmt.Sprintf(" text=%q", abbreviate(l.Text, 80))
	}
	return s
}

func abbreviate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n/2]) + "…" + string(r[len(r)-n/2:])
	}
	return s
}

func shortSHA(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:6])
}

// isBodyText reports whether a leaf is read as text (the rest is kept as bytes).
func isBodyText(mediaType string) bool { return mediaType == "text/plain" || mediaType == "text/html" }

// normalizeText makes two parsers' texts comparable: line ends as LF and the control characters
// we strip from every text either way (cleanText), without any charset decision.
func normalizeText(s string) string { return cleanText(strings.ReplaceAll(s, "\r\n", "\n")) }

// multipartParams are the parameters of a multipart the walk reads.
func multipartParams(params map[string]string) string {
	var out []string
	for _, k := range []string{"start", "report-type"} {
		if v := params[k]; v != "" {
			out = append(out, k+"="+strings.ToLower(strings.Trim(v, "<> ")))
		}
	}
	return strings.Join(out, " ")
}

// dispositionOf reads a disposition token as the walk does: attachment, inline, or "" when
// there is none; anything else is an attachment (RFC 2183).
func dispositionOf(token string) string {
	switch token = strings.ToLower(strings.TrimSpace(token)); token {
	case "", "attachment", "inline":
		return token
	}
	return "attachment"
}

func joinPath(path string, n int) string {
	if path == "" {
		return strconv.Itoa(n)
	}
	return path + "." + strconv.Itoa(n)
}

// ourView reads a mail with our parser: the same header split, part tree, transfer decoding and
// charset decisions Parse uses.
func ourView(raw []byte) mimeView {
	h, body := splitMessage(raw, true)
	if !isMailHeader(h) {
		return mimeView{NoMail: true}
	}
	v := mimeView{Subject: h.get("Subject"), To: strings.Join(addrs(parseAddresses(h.raw("To"))), ","),
		Cc: strings.Join(addrs(parseAddresses(h.raw("Cc"))), ","), MessageID: ticket.NormalizeMessageID(string(firstID(h.raw("Message-ID"))))}
	if from := parseAddresses(h.raw("From")); len(from) > 0 {
		v.FromAddr, v.FromName = from[0].Addr, from[0].Name
	}
	if t, unreadable := dateOf(h); !t.IsZero() && !unreadable {
		v.Date = t.UTC().Format(time.RFC3339)
	}
	w := newWalker()
	var visit func(p *part, path string, depth int)
	visit = func(p *part, path string, depth int) {
		if depth > maxDepth {
			return
		}
		if strings.HasPrefix(p.mediaType, "multipart/") {
			if children, _ := w.children(p); children != nil {
				v.Leaves = append(v.Leaves, leafView{Path: path, Type: p.mediaType, Params: multipartParams(p.params)})
				for i, c := range children {
					visit(c, joinPath(path, i+1), depth+1)
				}
				return
			}
			p.mediaType = "text/plain" // as the walker reads a multipart without parts
		}
		data := p.decoded()
		leaf := leafView{Path: path, Type: p.mediaType, Disp: p.disposition(), CID: p.contentID(), Name: p.filename(), Size: len(data), SHA: shortSHA(data)}
		switch {
		case isBodyText(p.mediaType):
			charset := p.params["charset"]
			if p.mediaType == "text/html" {
				charset = htmlCharset(charset, data)
			}
			leaf.Text = normalizeText(toUTF8(data, charset))
		case p.mediaType == "message/rfc822" || p.mediaType == "message/global":
			v.Leaves = append(v.Leaves, leaf)
			nh, nb := splitMessage(data, true)
			visit(newPart(nh, nb), joinPath(path, 1), depth+1)
			return
		}
		v.Leaves = append(v.Leaves, leaf)
	}
	visit(newPart(h, body), "", 0)
	return v
}
