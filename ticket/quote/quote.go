// Package quote finds where the quoted history and the signature start in the text of a mail,
// so pages can show the new text first and fold the rest away. Intake marks it on every mail
// it stores (ticket.Message.QuoteStart); the pages use the same rule for text that has no mark
// (the public form, mail stored before intake marked it). It imports only the standard
// library.
package quote

import (
	"regexp"
	"strings"
)

// Quoted history and signatures, as the mail programs of Norwegian municipalities write them
// (Outlook in Norwegian and English, Gmail, Apple Mail, Thunderbird, webmail).
var (
	separatorLine = regexp.MustCompile(`(?i)^\s*(-{2,}\s*(original message|opprinnelig melding|originalmelding|opprinneleg melding|` +
		`ursprüngliche nachricht|message d'origine|ursprungligt meddelande|forwarded message|videresendt melding|` +
		`vidarebefordrat meddelande|videresendt e-post)\s*-{2,}|begin forwarded message:|start på videresendt melding:|` +
		`videresendt melding:)`)
	underscoreLine = regexp.MustCompile(`^\s*_{20,}\s*$`)
	fromLine       = regexp.MustCompile(`(?i)^\s*\*?(from|fra|från|von|de|van|od)[\s\x{a0}]*:\*?[\s\x{a0}]*\S`)
	headerLine     = regexp.MustCompile(`(?i)^\s*\*?(sent|sendt|skickat|gesendet|envoyé|date|dato|datum|to|til|till|an|à|subject|emne|ämne|betreff|objet|cc|kopi)[\s\x{a0}]*:`)
	// "On ... Kari <k@x.no> wrote:", "man. 23. nov. 2026 kl. 09:00 skrev Kari <k@x.no>:" (Gmail
	// puts the address after the verb in Norwegian), "Den 23.11.2026 skrev Kari følgende:".
	attributionVerb = regexp.MustCompile(`(?i)\b(wrote|skrev|skreiv|schrieb|a écrit|escribió|kirjoitti|napisał|ha scritto|schreef)\b`)
	attribution     = regexp.MustCompile(`(?i)\b(wrote|skrev|skreiv|schrieb|a écrit|escribió|kirjoitti|napisał|ha scritto|schreef)\b[^:]{0,160}:[\s\x{a0}]*$`)
	signatureLine   = regexp.MustCompile(`(?i)^\s*(sent from my|sendt fra min|sendt fra mobil|skickat från min|von meinem|envoyé de mon|` +
		`get outlook for|hent outlook for|få outlook for|sent from mail for windows|sendt fra e-post for windows|sendt fra outlook)`)
)

// Split puts the new text of a mail first and tells where quoted history and signature start,
// so pages can show the new text and put the rest behind «vis sitert tekst». It returns the
// (possibly reordered) text and the byte offset of the quoted part, 0 when there is none.
// Nothing is dropped: a bottom-posted reply ("> question" then the answer) becomes "answer",
// then the quote; a mail that is only a quote or a forward keeps its text as it is, because
// then the quote is the message.
func Split(text string) (string, int) {
	lines := strings.Split(text, "\n")
	newPart, quoted := lines, []string(nil)
	if q := quoteStart(lines); q >= 0 {
		if hasText(lines[:q]) {
			newPart, quoted = lines[:q], lines[q:]
		} else if end := quoteEnd(lines, q); end > 0 {
			newPart, quoted = lines[end:], lines[:end]
		}
	}
	if s := signatureStart(newPart); s > 0 {
		quoted = append(append([]string{}, newPart[s:]...), append([]string{""}, quoted...)...)
		newPart = newPart[:s]
	}
	head := strings.TrimRight(strings.Join(newPart, "\n"), " \n")
	tail := strings.Trim(strings.Join(quoted, "\n"), "\n")
	if strings.TrimSpace(head) == "" || strings.TrimSpace(tail) == "" {
		return text, 0
	}
	return head + "\n\n" + tail, len(head) + 2
}

// quoteStart is the line where quoted history starts: a separator, an Outlook header block, an
// attribution line ("Den 23. nov. 2026 skrev Kari:"), or a block of "> " lines that runs to the
// end or starts the mail. -1 when there is none. It is linear in the number of lines, whatever
// the mail looks like.
func quoteStart(lines []string) int {
	onlyQuote := make([]bool, len(lines)+1) // onlyQuote[i]: lines[i:] are all quoted or blank
	onlyQuote[len(lines)] = true
	for i := len(lines) - 1; i >= 0; i-- {
		onlyQuote[i] = onlyQuote[i+1] && (isQuoteLine(lines[i]) || strings.TrimSpace(lines[i]) == "")
	}
	seenText := false
	for i, l := range lines {
		if !maybeQuoteMark(l) { // most lines are prose: skip the patterns
			seenText = seenText || strings.TrimSpace(l) != ""
			continue
		}
		switch {
		case separatorLine.MatchString(l):
			return i
		case underscoreLine.MatchString(l) && fromLine.MatchString(nextText(lines, i)):
			return i
		case fromLine.MatchString(l) && headerFollows(lines, i):
			return i
		case len(l) < 300 && attribution.MatchString(l) && quotedAfter(lines, i+1):
			return i
		case i+1 < len(lines) && len(l)+len(lines[i+1]) < 300 && attributionVerb.MatchString(l) &&
			attribution.MatchString(l+" "+lines[i+1]) && quotedAfter(lines, i+2): // Gmail wraps after the verb
			return i
		case isQuoteLine(l) && (onlyQuote[i] || !seenText):
			return i // a quote to the end, or a quote the mail starts with (bottom-posting)
		}
		seenText = seenText || strings.TrimSpace(l) != ""
	}
	return -1
}

// quoteEnd is, for a mail that starts with a quote (bottom-posting), the line where the answer
// after it starts; 0 when the quote does not end, more quotes follow (answers between quotes
// are left as they are) or it is a single line ("Hun skrev:\n> ja\nog mer": one quoted line
// in a sentence is not history).
func quoteEnd(lines []string, q int) int {
	i := q
	for i < len(lines) && !isQuoteLine(lines[i]) { // the attribution
		i++
		if i-q > 2 {
			return 0
		}
	}
	quoted := 0
	for i < len(lines) && (isQuoteLine(lines[i]) || strings.TrimSpace(lines[i]) == "") {
		if isQuoteLine(lines[i]) {
			quoted++
		}
		i++
	}
	if i >= len(lines) || i == q || quoted < 2 {
		return 0
	}
	for _, l := range lines[i:] {
		if isQuoteLine(l) {
			return 0
		}
	}
	return i
}

// signatureStart is the line where a signature starts ("-- " or "Sendt fra min iPhone"), after
// some text; 0 when there is none.
func signatureStart(lines []string) int {
	seenText := false
	for i, l := range lines {
		if t := strings.TrimRight(l, " \r"); seenText && (t == "--" || signatureLine.MatchString(l)) {
			return i
		}
		seenText = seenText || strings.TrimSpace(l) != ""
	}
	return 0
}

// maybeQuoteMark reports whether a line could start quoted history at all: every pattern above
// needs a colon, a dash pair, underscores or a ">", or a verb that may end on the next line.
func maybeQuoteMark(l string) bool {
	if strings.ContainsAny(l, ":>_") || strings.Contains(l, "--") {
		return true
	}
	if len(l) > 300 {
		return false
	}
	lower := strings.ToLower(l)
	for _, v := range attributionVerbs {
		if strings.Contains(lower, v) {
			return true
		}
	}
	return false
}

var attributionVerbs = []string{"wrote", "skrev", "skreiv", "schrieb", "écrit", "escribió", "kirjoitti", "napisał", "scritto", "schreef"}

func isQuoteLine(l string) bool { return strings.HasPrefix(strings.TrimLeft(l, " \t"), ">") }

func hasText(lines []string) bool {
	for _, l := range lines {
		if strings.TrimSpace(l) != "" {
			return true
		}
	}
	return false
}

// nextText is the next non-blank line after i.
func nextText(lines []string, i int) string {
	for _, l := range lines[i+1 : min(len(lines), i+20)] {
		if strings.TrimSpace(l) != "" {
			return l
		}
	}
	return ""
}

// headerFollows reports whether a header line (Sent:, To:, Subject: ...) follows within four
// lines: "Fra: x" alone is a sentence, with "Sendt:" under it it is Outlook's quote header.
func headerFollows(lines []string, i int) bool {
	for j := i + 1; j < len(lines) && j <= i+4; j++ {
		if headerLine.MatchString(lines[j]) {
			return true
		}
	}
	return false
}

// quotedAfter reports whether the first non-blank line from i on is a "> " line.
func quotedAfter(lines []string, i int) bool {
	if i > len(lines) {
		return false
	}
	for _, l := range lines[i:min(len(lines), i+20)] {
		if strings.TrimSpace(l) != "" {
			return isQuoteLine(l)
		}
	}
	return false
}
