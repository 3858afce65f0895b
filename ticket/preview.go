package ticket

import (
	"strings"
	"time"
	"unicode"
)

// PreviewLen is how many characters of the latest message the inbox shows under a subject.
const PreviewLen = 140

// MessagePreview is the start of a ticket's latest message, kept on the ticket so that the
// inbox shows it under the subject without reading any thread. It names no sender: the
// direction says whether it came in, went out or is a note.
type MessagePreview struct {
	Direction Direction
	Text      string
	At        time.Time
}

// PreviewOf is the preview of m: the new text (before any quoted history), on one line, cut
// at PreviewLen characters. System messages (bounces) have none.
func PreviewOf(m *Message) (MessagePreview, bool) {
	if m.Direction == DirectionSystem {
		return MessagePreview{}, false
	}
	text := m.Text
	if m.QuoteStart > 0 && m.QuoteStart <= len(text) {
		text = text[:m.QuoteStart]
	}
	return MessagePreview{Direction: m.Direction, Text: oneLine(text, PreviewLen), At: m.CreatedAt}, true
}

// oneLine collapses runs of white space to one space and cuts s at n characters, with «…».
func oneLine(s string, n int) string {
	var b strings.Builder
	count, space := 0, false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			count++
			space = false
		}
		if count == n {
			return strings.TrimRight(b.String(), " ") + "…"
		}
		b.WriteRune(r)
		count++
	}
	return b.String()
}

// Label names the direction before the preview's text.
func (p MessagePreview) Label() string {
	switch p.Direction {
	case DirectionIn:
		return "Innkommende"
	case DirectionOut:
		return "Sendt"
	case DirectionNote:
		return "Notat"
	}
	return ""
}

// Empty reports whether there is no preview.
func (p MessagePreview) Empty() bool { return p.Text == "" }
