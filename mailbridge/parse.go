package mailbridge

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/ticket/quote"
)

// The parser is our own, on the standard library (mime, net/mail), golang.org/x/text for
// charsets, golang.org/x/net/html and bluemonday. Both libraries DESIGN.md names were tried on
// the real mails of the test corpus: enmime 2.3 refused two of them outright, left raw 8-bit
// headers as invalid UTF-8 and could not join the text around an iPhone's inline picture, and
// go-message reads 20 of the 84 test mails worse (5 not at all, 6 with parts lost or cut, 9
// with charsets it leaves as invalid UTF-8 or senders it loses); the measurement and its numbers
// are in docs/ARCHITECTURE.md ("Why the MIME parser is our own"), kept true by
// TestGoMessageReadsNoBetter. Mail to a helpdesk must be read whatever its sender's program
// did, and a declared, valid UTF-8 part must stay exactly as it is.

// errNoHeader is the error for input that has no mail header at all.
var errNoHeader = errors.New("fant ingen e-posthoder")

// maxReferences bounds the References kept (the newest ones count for threading).
const maxReferences = 50

// Parse reads a raw mail into what intake stores: the message in UTF-8 with its files, its
// threading headers, whether it is automatic, and, for a bounce, the mails it reports. own are
// our own addresses (mail from them is a loop). It returns an error only for input that is not
// a mail at all; broken MIME, unknown charsets and bad encodings are read as well as they can
// be. It never panics.
func Parse(raw []byte, own []string) (m *ticket.InboundMail, err error) {
	defer func() {
		if r := recover(); r != nil { // a bug of ours must not stop intake: the mail goes to quarantine
			m, err = nil, fmt.Errorf("parse: %v", r)
		}
	}()
	return parse(raw, own)
}

func parse(raw []byte, own []string) (*ticket.InboundMail, error) {
	h, body := splitMessage(raw, true)
	if !isMailHeader(h) {
		return nil, errNoHeader
	}
	w := newWalker()
	w.walk(newPart(h, body), 0)
	msg := &ticket.Message{Direction: ticket.DirectionIn, Raw: raw}
	readAddresses(msg, h)
	msg.Subject = subjectOf(h)
	msg.MessageID = messageID(h, body)
	if ids := ticket.ParseMessageIDs(string(h.raw("In-Reply-To"))); len(ids) > 0 {
		msg.InReplyTo = ids[len(ids)-1]
	}
	msg.References = ticket.ParseMessageIDs(string(h.raw("References")))
	if n := len(msg.References); n > maxReferences {
		msg.References = msg.References[n-maxReferences:]
	}
	msg.Attachments = dedupeAttachments(w.atts)
	text := w.text()
	if len(w.html) > 0 {
		msg.HTML = sanitizeHTML(strings.Join(w.html, "\n"))
	}
	class := classify(h, w, msg.From, own)
	msg.Auto = class.kind
	m := &ticket.InboundMail{Message: msg, Size: int64(len(raw)), AutoReason: class.reason, NoAck: class.noAck}
	m.Date, m.DateUnreadable = dateOf(h)
	if class.kind == ticket.AutoBounce || class.kind == ticket.AutoReceipt {
		m.BouncedIDs = bouncedIDs(w, text, body, msg.MessageID)
		m.NoFailure = class.kind == ticket.AutoBounce && w.noFailure()
	}
	if strings.TrimSpace(text) == "" && (class.kind == ticket.AutoBounce || class.kind == ticket.AutoReceipt) {
		text = class.reason // a bounce whose words are unreadable still says what failed
	}
	msg.Text, msg.QuoteStart = finishText(text, w, msg)
	return m, nil
}

// isMailHeader reports whether h is the header of a mail: some field a mail has.
func isMailHeader(h header) bool {
	for _, name := range []string{"From", "Subject", "Date", "Message-ID", "To", "Received", "MIME-Version", "Content-Type", "Return-Path"} {
		if h.has(name) {
			return true
		}
	}
	return false
}

func readAddresses(msg *ticket.Message, h header) {
	from := parseAddresses(h.raw("From"))
	if len(from) == 0 {
		from = parseAddresses(h.raw("Sender"))
	}
	if len(from) > 0 {
		msg.From, msg.FromName = from[0].Addr, from[0].Name
	}
	msg.To = addrs(parseAddresses(h.raw("To")))
	msg.Cc = addrs(parseAddresses(h.raw("Cc")))
}

// subjectOf is the decoded subject, within the length a ticket allows.
func subjectOf(h header) string {
	s := h.get("Subject")
	if utf8.RuneCountInString(s) > ticket.MaxSubjectLen {
		s = string([]rune(s)[:ticket.MaxSubjectLen-1]) + "…"
	}
	return s
}

// messageID is the Message-ID of the mail, or, when it has none, one made from what does not
// change on the way (sender, recipients, date, subject, body), so the same mail read twice
// (from IMAP after a rescan, or by import) gets the same one and is stored once.
func messageID(h header, body []byte) string {
	if id := ticket.NormalizeMessageID(string(firstID(h.raw("Message-ID")))); id != "" && !strings.ContainsAny(id, " \t") {
		return id
	}
	sum := sha256.New()
	for _, name := range []string{"From", "To", "Cc", "Date", "Subject"} {
		sum.Write(h.raw(name))
		sum.Write([]byte{0})
	}
	sum.Write(body)
	return "<synthetic-" + hex.EncodeToString(sum.Sum(nil))[:32] + "@digihjelpen.invalid>"
}

var messageIDLine = regexp.MustCompile(`(?im)^\s*Message-ID:\s*(<[^>\s]{3,250}>)`)

// bouncedIDs are the Message-IDs a bounce or receipt reports: from its report parts, else from
// "Message-ID:" lines in its text (qmail and old Gmail quote the original as text).
func bouncedIDs(w *walker, text string, body []byte, own string) []string {
	ids := slices.Clone(w.bounced)
	if len(ids) == 0 {
		for _, src := range [][]byte{[]byte(text), body} {
			for _, m := range messageIDLine.FindAllSubmatch(src, 10) {
				ids = append(ids, ticket.NormalizeMessageID(string(m[1])))
			}
		}
	}
	var out []string
	for _, id := range ids {
		if id != "" && id != own && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// finishText gives the stored text: new text first with the quoted part marked, a placeholder
// when a mail has no text at all (so it can still be shown and stored), and a cut with a notice
// when it is longer than a message may be.
func finishText(text string, w *walker, msg *ticket.Message) (string, int) {
	text = strings.TrimSpace(cleanText(text))
	switch {
	case text != "":
	case w.encrypted:
		text = "(Meldingen er kryptert og kan ikke vises her. Den krypterte delen ligger som vedlegg.)"
	case len(msg.Attachments) > 0:
		return "", 0
	default:
		text = "(E-posten har ingen tekst.)"
	}
	if len(text) > ticket.MaxTextLen {
		cut := ticket.MaxTextLen
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text = text[:cut] + "\n\n[… Teksten er forkortet. Hele e-posten finnes i kildeteksten.]"
	}
	return quote.Split(text)
}

// dedupeAttachments drops a file that occurs twice with the same name and content (the same
// inline image in two alternatives).
func dedupeAttachments(atts []ticket.Attachment) []ticket.Attachment {
	var out []ticket.Attachment
	for _, a := range atts {
		if !slices.ContainsFunc(out, func(b ticket.Attachment) bool { return a.SHA256 == b.SHA256 && a.Name == b.Name }) {
			out = append(out, a)
		}
	}
	return out
}

// unflow joins the lines of a format=flowed text (RFC 3676): a line that ends in a space goes
// on in the next one; with delsp=yes that space is not part of the text.
func unflow(s string, delsp bool) string {
	lines := strings.Split(s, "\n")
	var b strings.Builder
	for i, l := range lines {
		flowed := strings.HasSuffix(l, " ") && l != "-- " && i < len(lines)-1
		if flowed && delsp {
			l = l[:len(l)-1]
		}
		b.WriteString(l)
		if !flowed {
			b.WriteByte('\n')
		}
	}
	return strings.TrimSuffix(b.String(), "\n")
}
