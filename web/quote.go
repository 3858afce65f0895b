package web

import (
	"regexp"
	"strings"

	"github.com/ks-no/digihjelpen/ticket"
)

// quoteStart finds the line where quoted history begins in a mail's text: the attribution
// line of the common clients in Norwegian and English, Outlook's header block, or a run of
// "> " lines. Intake keeps the history in Message.Text; the page folds it away.
var quoteStart = regexp.MustCompile(`(?m)^(?:` +
	`-{2,}\s*(?:Opprinnelig melding|Original Message|Videresendt melding|Forwarded message)\s*-{2,}` +
	`|(?:Den|På|On|Am|Le) .{5,200}(?:skrev|skreiv|wrote|schrieb|a écrit)[^\n]{0,200}:[ \t]*$` +
	`|(?:Fra|From|Von)\s*:.*\n(?:(?:Sendt|Sent|Dato|Date|Gesendet)\s*:.*\n)?(?:Til|To|An)\s*:` +
	`|>.*\n>` +
	`)`)

// splitQuoted returns the new text of a message and the quoted history after it ("" when
// there is none). A text that is all quote is kept whole, so nothing is ever hidden empty.
func splitQuoted(text string) (body, quoted string) {
	loc := quoteStart.FindStringIndex(text)
	if loc == nil {
		return text, ""
	}
	body = strings.TrimRight(text[:loc[0]], " \t\r\n")
	if strings.TrimSpace(body) == "" {
		return text, ""
	}
	return body, strings.TrimLeft(text[loc[0]:], "\r\n")
}

// bodyAndQuote splits a message for the page: where intake marked the quoted history and
// signature (Message.QuoteStart, which also puts a bottom-posted answer first), that mark;
// for other messages (the form, mail stored before intake marked it) the pattern above.
func bodyAndQuote(m *ticket.Message) (body, quoted string) {
	if m.QuoteStart > 0 && m.QuoteStart < len(m.Text) {
		return strings.TrimRight(m.Text[:m.QuoteStart], " \t\r\n"), m.Text[m.QuoteStart:]
	}
	return splitQuoted(m.Text)
}
