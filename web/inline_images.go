package web

import (
	"context"
	"encoding/base64"
	"html"
	"net/http"
	"regexp"
	"strings"

	"github.com/ks-no/digihjelpen/ticket"
)

// maxInlineImages bounds the bytes of inline images put into one mail's HTML frame; larger
// images stay downloads under the message.
const maxInlineImages = 8 << 20

var cidSrc = regexp.MustCompile(`(?i)\ssrc="cid:([^"]*)"`)

// embedInlineImages puts the images a mail's HTML refers to by cid: into the HTML as data:
// URLs. The frame is sandboxed without our origin, so it cannot fetch them from us with the
// session cookie; data: keeps its CSP closed to everything else. A cid: with no stored image
// of a shown type, or beyond the size bound, loses its src and shows its alt text.
func (s *Server) embedInlineImages(ctx context.Context, ticketID uint64, m *ticket.Message, sanitized string) (string, error) {
	if !strings.Contains(sanitized, "cid:") {
		return sanitized, nil
	}
	byCID := map[string]int{}
	for i, a := range m.Attachments {
		if a.ContentID != "" {
			byCID[a.ContentID] = i
		}
	}
	data := map[string]string{}
	budget := maxInlineImages
	var err error
	out := cidSrc.ReplaceAllStringFunc(sanitized, func(match string) string {
		cid := html.UnescapeString(cidSrc.FindStringSubmatch(match)[1])
		if url, ok := data[cid]; ok {
			return ` src="` + url + `"`
		}
		n, ok := byCID[cid]
		if !ok || err != nil || m.Attachments[n].Size > int64(budget) {
			return ""
		}
		a, findErr := s.Tickets.FindAttachment(ctx, ticketID, m.Seq, n)
		if findErr != nil {
			err = findErr
			return ""
		}
		// the type is read from the bytes, never from the mail's label, and must be an image
		// downloads serve as it is (so never SVG, a document that can carry script)
		kind := http.DetectContentType(a.Data)
		if !strings.HasPrefix(kind, "image/") || !safeTypes[kind] || len(a.Data) > budget {
			return ""
		}
		budget -= len(a.Data)
		data[cid] = "data:" + kind + ";base64," + base64.StdEncoding.EncodeToString(a.Data)
		return ` src="` + data[cid] + `"`
	})
	return out, err
}
