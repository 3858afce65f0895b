package mailbridge

import (
	"bytes"
	"strings"

	"github.com/ks-no/digihjelpen/ticket"
)

// nested handles an attached mail (message/rfc822): it is kept as an .eml file, and, unless it
// is the original in a bounce, its text is shown after the outer text as a forwarded message,
// because a forward as attachment carries the question itself.
func (w *walker) nested(p *part, depth int) {
	data := p.decoded()
	h, body := splitMessage(data, true)
	if w.reportType != "" {
		w.originalHeader(data)
		w.attach(p, false)
		return
	}
	s := w.sub()
	s.walk(newPart(h, body), depth+1)
	w.attach(p, false)
	w.merge(s)
	var b strings.Builder
	b.WriteString("---------- Videresendt melding ----------\n")
	for _, f := range [][2]string{{"Fra", "From"}, {"Dato", "Date"}, {"Emne", "Subject"}, {"Til", "To"}} {
		if v := h.get(f[1]); v != "" {
			b.WriteString(f[0] + ": " + v + "\n")
		}
	}
	b.WriteString("\n" + s.text())
	w.plain = append(w.plain, b.String())
}

// text is the readable text the walker found: the plain text, or the HTML as text.
func (w *walker) text() string {
	segs := make([]string, 0, len(w.plain))
	for _, p := range w.plain {
		if p = strings.TrimRight(strings.Trim(p, "\n"), " \n"); strings.TrimSpace(p) != "" {
			segs = append(segs, p)
		}
	}
	plain := strings.Join(segs, "\n\n")
	if strings.TrimSpace(plain) == "" && len(w.html) > 0 {
		return htmlToText(strings.Join(w.html, "\n"))
	}
	return plain
}

// originalHeader takes the Message-ID of the mail a report is about from its header.
func (w *walker) originalHeader(b []byte) {
	h, _ := splitMessage(b, true)
	if id := ticket.NormalizeMessageID(string(firstID(h.raw("Message-ID")))); id != "" {
		w.bounced = append(w.bounced, id)
	}
}

func firstID(v []byte) []byte {
	if ids := ticket.ParseMessageIDs(string(v)); len(ids) > 0 {
		return []byte(ids[0])
	}
	return v
}

// deliveryStatus reads a DSN (RFC 3464): one block of per-message fields, then a block per
// recipient with its action, status and the receiving server's words.
func (w *walker) deliveryStatus(p *part) {
	if w.reportType == "" {
		w.reportType = "delivery-status"
	}
	rest := p.decoded()
	for block := 0; len(bytes.TrimSpace(rest)) > 0 && block < 50; block++ {
		var h header
		h, rest = splitMessage(bytes.TrimLeft(rest, "\r\n"), false)
		if h.len() == 0 {
			break
		}
		if strings.EqualFold(h.get("Content-Transfer-Encoding"), "base64") {
			rest = decodeBase64(rest) // seen from Proofpoint: the recipient blocks encoded in the body
		}
		if !h.has("Action") && !h.has("Final-Recipient") {
			continue
		}
		w.dsn = append(w.dsn, recipientStatus(h))
		if notFailed[strings.ToLower(h.get("Action"))] {
			w.dsnOK++
		}
	}
	w.attach(p, false)
}

// notFailed are the DSN actions that say a mail was not lost (RFC 3464, 2.3.3).
var notFailed = map[string]bool{"delayed": true, "delivered": true, "relayed": true, "expanded": true}

// noFailure reports whether the walk found a delivery report none of whose recipients failed.
func (w *walker) noFailure() bool { return len(w.dsn) > 0 && w.dsnOK == len(w.dsn) }

// recipientStatus says, in one line for staff, what happened to one recipient.
func recipientStatus(h header) string {
	rcpt := h.get("Final-Recipient")
	if _, addr, ok := strings.Cut(rcpt, ";"); ok {
		rcpt = strings.TrimSpace(addr)
	}
	parts := []string{}
	if rcpt != "" {
		parts = append(parts, rcpt)
	}
	if a := strings.ToLower(h.get("Action")); a != "" {
		parts = append(parts, map[string]string{"failed": "ikke levert", "delayed": "forsinket", "delivered": "levert",
			"relayed": "videresendt", "expanded": "levert til liste"}[a]+" ("+a+")")
	}
	if s := h.get("Status"); s != "" {
		parts = append(parts, "status "+s)
	}
	if d := h.get("Diagnostic-Code"); d != "" {
		if _, text, ok := strings.Cut(d, ";"); ok {
			d = strings.TrimSpace(text)
		}
		parts = append(parts, d)
	}
	return strings.Join(parts, ", ")
}

// dispositionNotification reads a read receipt (RFC 8098) for the mail it is about.
func (w *walker) dispositionNotification(p *part) {
	if w.reportType == "" {
		w.reportType = "disposition-notification"
	}
	h, _ := splitMessage(p.decoded(), false)
	if id := ticket.NormalizeMessageID(string(firstID(h.raw("Original-Message-ID")))); id != "" {
		w.bounced = append(w.bounced, id)
	}
	w.attach(p, false)
}
