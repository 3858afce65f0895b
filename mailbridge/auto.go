package mailbridge

import (
	"regexp"
	"strings"

	"github.com/ks-no/digihjelpen/ticket"
)

// autoClass is what classify found: the kind of automatic mail ("" for a person's mail), the
// sign that gave it away, and whether the sender asked for no automatic answers.
type autoClass struct {
	kind   string
	reason string
	noAck  bool
}

var (
	// Subjects of out-of-office replies, in the languages such replies reach a Norwegian
	// helpdesk in. They must start the subject, so "Fravær på kurs" stays a question.
	oooSubject = regexp.MustCompile(`(?i)^\s*(automatisk svar|autosvar|fraværsmelding|fravær\s*:|ikke på kontoret|ikke til stede|` +
		`out of (the )?office|automatic reply|auto[- ]?reply|autoreply|auto[- ]?response|autorespons|vacation reply|on vacation|away from (the )?office|` +
		`automatiskt svar|frånvaro|fraværende|poissa|automaattinen vastaus|abwesenheitsnotiz|automatische antwort|` +
		`réponse automatique|absence du bureau|respuesta automática|fuera de la oficina|risposta automatica|` +
		`automatyczna odpowied|odpowiedź automatyczna)`)
	// Subjects of bounces (delivery failures and delays).
	bounceSubject = regexp.MustCompile(`(?i)^\s*(undeliver(able|ed)|delivery status notification|mail delivery (failed|failure|delayed|subsystem)|` +
		`returned mail|failure notice|delivery (failure|failed|has failed|delayed)|non[- ]?remis|unzustellbar|nicht zustellbar|` +
		`kan ikke leveres|ikke levert|levering mislyktes|meldingen kunne ikke leveres|leveringsfeil|warning: could not send|delayed mail|` +
		`message not delivered|undelivered mail)`)
	readSubject  = regexp.MustCompile(`(?i)^\s*(read|lest|lese|gelesen|lu)\s*:`)
	suppressAuto = regexp.MustCompile(`(?i)\b(all|oof|autoreply)\b`)
)

// classify tells automatic mail from mail a person wrote, from the header and what the walk
// found. The order matters: mail from ourselves first (a loop), then bounces and receipts
// (which often carry Auto-Submitted too), then the headers of RFC 3834 and of the mail programs
// that ignore it, then the subject.
func classify(h header, w *walker, from string, own []string) autoClass {
	loop := strings.ToLower(string(h.raw("X-Loop")))
	for _, o := range own {
		if from != "" && strings.EqualFold(from, o) {
			return autoClass{kind: ticket.AutoOwn, reason: "sendt fra kontaktpunktets egen adresse"}
		}
		if o != "" && loop != "" && strings.Contains(loop, strings.ToLower(o)) {
			return autoClass{kind: ticket.AutoOwn, reason: "X-Loop: " + h.get("X-Loop")}
		}
	}
	if c, ok := classifyReport(h, w, from); ok {
		return c
	}
	c := classifyHeaders(h)
	if subject := h.get("Subject"); c.kind == "" && oooSubject.MatchString(subject) {
		c = autoClass{kind: ticket.AutoReply, reason: "emnet «" + subject + "» er et fraværssvar"}
	}
	if c.kind == "" && h.has("Return-Path") && strings.Trim(string(h.raw("Return-Path")), "<> ") == "" {
		c = autoClass{kind: ticket.AutoReply, reason: "tom avsender (Return-Path: <>)"}
	}
	if c.kind == "" && suppressAuto.MatchString(h.get("X-Auto-Response-Suppress")) {
		// Exchange sets this on many mails people write (and GitHub on notifications): it asks
		// us not to answer automatically, it does not make the mail automatic.
		c.noAck = true
	}
	return c
}

// classifyReport recognises bounces and read receipts.
func classifyReport(h header, w *walker, from string) (autoClass, bool) {
	local, _, _ := strings.Cut(from, "@")
	local = strings.ToLower(local)
	subject := h.get("Subject")
	nullSender := strings.Trim(string(h.raw("Return-Path")), "<> ") == "" && h.has("Return-Path")
	switch {
	case w.reportType == "delivery-status" || len(w.dsn) > 0:
		return autoClass{kind: ticket.AutoBounce, reason: bounceReason(w, "leveringsrapport (DSN)")}, true
	case w.reportType == "disposition-notification":
		return autoClass{kind: ticket.AutoReceipt, reason: "lesekvittering"}, true
	case local == "mailer-daemon" || local == "mail-daemon" || local == "mailerdaemon":
		return autoClass{kind: ticket.AutoBounce, reason: bounceReason(w, "avsender "+from)}, true
	case (local == "postmaster" || nullSender || from == "") && bounceSubject.MatchString(subject):
		return autoClass{kind: ticket.AutoBounce, reason: bounceReason(w, "emnet «"+subject+"»")}, true
	case readSubject.MatchString(subject) && (h.has("X-MS-TNEF-Correlator") || w.reportType != ""):
		return autoClass{kind: ticket.AutoReceipt, reason: "lesekvittering fra Outlook"}, true
	}
	return autoClass{}, false
}

func bounceReason(w *walker, sign string) string {
	if len(w.dsn) == 0 {
		return "Returmelding: " + sign
	}
	return "Returmelding: " + strings.Join(w.dsn, "; ")
}

// classifyHeaders reads the headers that mark automatic mail: RFC 3834 Auto-Submitted,
// Precedence, and what Exchange, Apple, Mimecast and autoresponders add instead.
func classifyHeaders(h header) autoClass {
	if v := strings.ToLower(h.get("Auto-Submitted")); v != "" && !strings.HasPrefix(v, "no") {
		if strings.HasPrefix(v, "auto-replied") {
			return autoClass{kind: ticket.AutoReply, reason: "Auto-Submitted: " + v}
		}
		return autoClass{kind: ticket.AutoBulk, reason: "Auto-Submitted: " + v}
	}
	if v := strings.ToLower(h.get("X-Autogenerated")); strings.Contains(v, "reply") {
		return autoClass{kind: ticket.AutoReply, reason: "X-Autogenerated: " + h.get("X-Autogenerated")}
	}
	for _, name := range []string{"X-Autoreply", "X-Autorespond", "X-Autoresponder", "X-AutoReply-From", "X-Mail-Autoreply", "X-Auto-Reply"} {
		if v := strings.ToLower(h.get(name)); h.has(name) && v != "no" && v != "false" {
			return autoClass{kind: ticket.AutoReply, reason: name + ": " + h.get(name)}
		}
	}
	if h.has("X-MS-Exchange-Inbox-Rules-Loop") {
		return autoClass{kind: ticket.AutoReply, reason: "X-MS-Exchange-Inbox-Rules-Loop (regel i Exchange)"}
	}
	if strings.EqualFold(h.get("X-Apple-Action"), "vacation") {
		return autoClass{kind: ticket.AutoReply, reason: "X-Apple-Action: VACATION"}
	}
	if v := strings.ToLower(h.get("X-POST-MessageClass")); strings.Contains(v, "autoresponder") {
		return autoClass{kind: ticket.AutoReply, reason: "X-POST-MessageClass: " + v}
	}
	if strings.EqualFold(h.get("X-FC-MachineGenerated"), "true") {
		return autoClass{kind: ticket.AutoReply, reason: "X-FC-MachineGenerated: true"}
	}
	switch v := strings.ToLower(h.get("Precedence")); v {
	case "bulk", "junk", "list":
		return autoClass{kind: ticket.AutoBulk, reason: "Precedence: " + v}
	case "auto_reply", "auto-reply":
		return autoClass{kind: ticket.AutoReply, reason: "Precedence: " + v}
	}
	if h.has("List-Id") {
		return autoClass{kind: ticket.AutoBulk, reason: "sendt fra en e-postliste (List-Id)"}
	}
	return autoClass{}
}
