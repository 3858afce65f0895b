package web

import (
	"strings"

	"github.com/ks-no/digihjelpen/ticket"
	"github.com/ks-no/digihjelpen/ticket/quote"
)

// bodyAndQuote splits a message for the page: where intake marked the quoted history and
// signature (Message.QuoteStart, which also puts a bottom-posted answer first), that mark; for
// other messages (the form, mail stored before intake marked it) the same rule, run now.
func bodyAndQuote(m *ticket.Message) (body, quoted string) {
	if m.QuoteStart > 0 && m.QuoteStart < len(m.Text) {
		return cutAt(m.Text, m.QuoteStart)
	}
	return splitText(m.Text)
}

// splitText returns the new text of a text and the quoted history after it ("" when there
// is none), by intake's rule (quote.Split).
func splitText(text string) (body, quoted string) {
	text, at := quote.Split(text)
	if at <= 0 || at >= len(text) {
		return text, ""
	}
	return cutAt(text, at)
}

func cutAt(text string, at int) (body, quoted string) {
	return strings.TrimRight(text[:at], " \t\r\n"), text[at:]
}
