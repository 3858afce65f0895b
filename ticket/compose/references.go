package compose

import (
	"slices"
	"strings"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

// MaxReferences bounds the References header of a mail we send. Long conversations keep the
// first id (the root, which clients thread on) and the latest ones (RFC 5322 section 3.6.4).
const MaxReferences = 20

// appendReference returns refs followed by id, without duplicates and cut to MaxReferences.
func appendReference(refs []string, id string) []string {
	out := make([]string, 0, len(refs)+1)
	for _, r := range append(slices.Clone(refs), id) {
		if r = strings.TrimSpace(r); r != "" && !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	if len(out) > MaxReferences {
		out = append(out[:1], out[len(out)-MaxReferences+1:]...)
	}
	return out
}

// mailRef is one mail of the conversation with the requester, as threading needs it.
type mailRef struct {
	id, inReplyTo string
	refs          []string
	at            time.Time
	seq           int
}

// ReplyThreading returns In-Reply-To and References for a new mail to the requester of t, so
// that it lands in the same conversation in their mail client. It answers the requester's
// latest mail; when there is none with a Message-ID (a question from the web form), our latest
// mail to them (usually the acknowledgement, which sent lists as it is not a thread message).
func ReplyThreading(t *ticket.Ticket, thread []*ticket.Message, sent []*ticket.OutboundMail) (inReplyTo string, references []string) {
	var fromThem, fromUs *mailRef
	later := func(cur *mailRef, cand mailRef) *mailRef {
		if cur == nil || cand.at.After(cur.at) || (cand.at.Equal(cur.at) && cand.seq > cur.seq) {
			return &cand
		}
		return cur
	}
	for _, m := range thread {
		if m.MessageID == "" {
			continue
		}
		r := mailRef{id: m.MessageID, inReplyTo: m.InReplyTo, refs: m.References, at: m.CreatedAt, seq: m.Seq}
		switch {
		case m.Direction == ticket.DirectionIn && m.Auto == "" && strings.EqualFold(m.From, t.Requester.Email):
			fromThem = later(fromThem, r)
		case m.Direction == ticket.DirectionOut && containsFold(m.To, t.Requester.Email):
			fromUs = later(fromUs, r)
		}
	}
	for _, m := range sent {
		if m.Seq == 0 && m.MessageID != "" && containsFold(m.To, t.Requester.Email) {
			fromUs = later(fromUs, mailRef{id: m.MessageID, inReplyTo: m.InReplyTo, refs: m.References, at: m.CreatedAt})
		}
	}
	parent := fromThem
	if parent == nil {
		parent = fromUs
	}
	if parent == nil {
		return "", nil
	}
	refs := parent.refs
	if len(refs) == 0 && parent.inReplyTo != "" {
		refs = []string{parent.inReplyTo}
	}
	return parent.id, appendReference(refs, parent.id)
}

func containsFold(list []string, s string) bool {
	if s == "" {
		return false
	}
	for _, x := range list {
		if strings.EqualFold(strings.TrimSpace(x), s) {
			return true
		}
	}
	return false
}
