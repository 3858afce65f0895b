package web

import (
	"regexp"
	"strings"
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
