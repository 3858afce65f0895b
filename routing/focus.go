package routing

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Where in a ticket a rule's words stand says how much they tell about what the question is
// about. A mail names many things besides its question: the office it comes from, what the
// sender usually helps with, the agencies a reply quoted further down was about. The question
// itself is in the subject and in the sentences that ask.

// place is where a rule's words were found, weakest first.
type place uint8

const (
	placeNone     place = iota
	placeHistory        // quoted history of a reply, or the subject of a reply: what the thread was about
	placeText           // the new text of the message, outside the sentences that ask
	placeQuestion       // the subject, or a sentence of the new text that asks (ends with "?")

	// placeAnywhere is where a condition on the sender, the place or the form holds: it says
	// nothing of where in the text the question is.
	placeAnywhere place = 255
)

// name is how the explanation says where words were found: in the subject, the text, or the
// quoted history of a reply.
func (p place) name(subject bool) string {
	switch {
	case subject:
		return "emnet"
	case p == placeHistory:
		return "sitert tekst"
	}
	return "teksten"
}

// replyPrefixes and forwardPrefixes start the subject of a reply or a forwarded mail, as the mail
// programs Norwegian municipalities use write them.
var (
	replyPrefixes   = []string{"sv:", "re:", "svar:", "aw:", "antw:", "ref:"}
	forwardPrefixes = []string{"vs:", "fw:", "fwd:", "wg:", "tr:", "vb:", "videresend:", "videresendt:"}
)

// subjectKind reports whether a subject is that of a reply or of a forwarded mail, by its first
// prefix ("Sv: VS: …" is a reply to a forward).
func subjectKind(subject string) (reply, forward bool) {
	s := strings.ToLower(strings.TrimSpace(subject))
	if len(s) > 16 {
		s = s[:16]
	}
	for _, p := range replyPrefixes {
		if strings.HasPrefix(s, p) {
			return true, false
		}
	}
	for _, p := range forwardPrefixes {
		if strings.HasPrefix(s, p) {
			return false, true
		}
	}
	return false, false
}

// forwardMarkers in the quoted part say that it was forwarded rather than answered.
var forwardMarkers = []string{"forwarded message", "videresendt melding", "begin forwarded message", "videresendt e-post",
	"start på videresendt melding"}

// splitHistory splits the text of a first message into the new text and the quoted history,
// where intake marked it (ticket.Message.QuoteStart, from ticket/quote). A forwarded mail's
// quoted part is the question the sender passes on, so it stays in the new text; a reply's is
// what the thread was about before.
func splitHistory(text string, quoteStart int, forward bool) (newText, history string) {
	if quoteStart <= 0 || quoteStart >= len(text) || forward {
		return text, ""
	}
	quoted := text[quoteStart:]
	head := strings.ToLower(quoted[:min(len(quoted), 300)])
	for _, m := range forwardMarkers {
		if strings.Contains(head, m) {
			return text, ""
		}
	}
	return text[:quoteStart], quoted
}

// questionSpans are the byte ranges of the sentences of text that ask: those ending with a
// question mark. A text without one asks nowhere in particular, and all of it counts as the
// question (nil, true).
func questionSpans(text string) (spans [][2]int, all bool) {
	start := 0
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case c == '?' && endsSentence(text, i+1):
			spans = append(spans, [2]int{start, i + 1})
			start = i + 1
		case (c == '.' || c == '!') && endsSentence(text, i+1):
			start = i + 1
		case c == '\n' && i+1 < len(text) && blankLineFollows(text, i+1):
			start = i + 1
		}
	}
	return spans, len(spans) == 0
}

// endsSentence reports whether the punctuation before text[i:] ends a sentence: what follows is
// a space, a line break, a quote or bracket, more punctuation, or the end ("nav.no?x=1" and
// "f.eks" do not end one).
func endsSentence(text string, i int) bool {
	if i >= len(text) {
		return true
	}
	switch text[i] {
	case ' ', '\n', '\r', '\t', '"', '\'', ')', '?', '!', '.':
		return true
	}
	return strings.HasPrefix(text[i:], "»") || strings.HasPrefix(text[i:], "\u00a0")
}

// blankLineFollows reports whether text[i:] starts with a line that is empty or only spaces.
func blankLineFollows(text string, i int) bool {
	for ; i < len(text); i++ {
		switch text[i] {
		case ' ', '\t', '\r':
		case '\n':
			return true
		default:
			return false
		}
	}
	return true
}

// cutNameBlock removes a signature that starts without a sign-off: a block of short lines at the
// end of the text that begins with a name ("Arne, NAV Sande", "Marius Haugland" over a title,
// an office and a phone number), after a sentence that ended. The office and partner agencies a
// signature names are not what the question is about.
func cutNameBlock(text string) string {
	end := len(strings.TrimRight(text, " \t\r\n"))
	// The trailing block: short lines that do not ask, back to a blank line or a longer line.
	// Read from the end, without splitting the whole text into lines.
	first := end // where the block starts
	for first > 0 {
		start := strings.LastIndexByte(text[:first-1], '\n') + 1
		l := strings.TrimSpace(text[start:first])
		if l == "" || !shortLine(l) || strings.HasSuffix(l, "?") {
			break
		}
		first = start
	}
	for i := first; i < end; {
		next := strings.IndexByte(text[i:end], '\n')
		if next < 0 {
			next = end - i
		}
		if i > 0 && nameLine(strings.TrimSpace(text[i:i+next])) && sentenceEndsBefore(text[:i]) {
			return text[:i]
		}
		i += next + 1
	}
	return text
}

// shortLine is a line a signature could have: a name, a title, an office, a phone number, a line
// about the office.
func shortLine(l string) bool {
	return len(l) <= 100 && len(strings.Fields(l)) <= 12
}

// nameLine reports whether a line could start a signature: one to five words, each beginning
// with a capital letter or a digit ("Kari Nordmann", "Veileder, NAV Midt-Telemark", "Arne, NAV
// Sande"), with no sentence punctuation at its end.
func nameLine(l string) bool {
	if l == "" || strings.ContainsAny(l[len(l)-1:], ".?!:") {
		return false
	}
	words := strings.FieldsFunc(l, func(r rune) bool { return r == ' ' || r == ',' || r == '|' || r == '/' || r == '\t' })
	if len(words) == 0 || len(words) > 5 {
		return false
	}
	for _, w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		if w == "-" || w == "–" || w == "&" || w == "og" {
			continue
		}
		if !unicode.IsUpper(r) && !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// sentenceEndsBefore reports whether the text before a line ends a sentence or a paragraph, so a
// capitalised line after it starts something new rather than going on with a sentence.
func sentenceEndsBefore(before string) bool {
	// The line before, to its end; when it is blank, a new paragraph starts, if there was text.
	prev := strings.TrimRight(strings.TrimSuffix(before, "\n"), " \t\r")
	if prev == "" || strings.HasSuffix(prev, "\n") {
		return strings.TrimSpace(prev) != ""
	}
	return strings.ContainsAny(prev[len(prev)-1:], ".?!")
}
