package ticket

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// subjectRunes is about how long a subject made from a question is: what the inbox shows.
const subjectRunes = 100

// greeting is a salutation at the start of a line: «Hei!», «Hei,», «Hei Kari!», «Hallo»,
// «God morgen,», «Til Digihjelpen:». What follows it on the line is the question.
var greeting = regexp.MustCompile(`(?i)^(hei(\s+hei|sann)?|hallo|heia|god\s+(morgen|dag|ettermiddag)|goddag|morn|kjære|til)\b[^,.!:?\n]{0,40}?([,.!:]+|$)\s*`)

// signOff is a line that ends a mail rather than asks: «Mvh Tone.», «Med vennlig hilsen»,
// «Takk på forhånd».
var signOff = regexp.MustCompile(`(?i)^(mvh|m\.v\.h|med\s+vennlig\s+hilsen|vennlig\s+hilsen|vennleg\s+helsing|beste\s+hilsen|hilsen|helsing|takk\s+(på|for)\s+forhånd|på\s+forhånd\s+takk|takk!?$)\b`)

// SubjectFromQuestion makes a subject of a question from the web form when its sender gave
// none: the first line that says something, without the greeting before it or the sign-off
// after, cut at a word near 100 characters.
func SubjectFromQuestion(question string) string {
	first := ""
	for _, line := range strings.Split(strings.ReplaceAll(question, "\r\n", "\n"), "\n") {
		line = strings.Join(strings.Fields(line), " ")
		if line == "" {
			continue
		}
		if first == "" {
			first = line
		}
		if signOff.MatchString(line) {
			break
		}
		if rest := strings.TrimSpace(greeting.ReplaceAllString(line, "")); rest != "" {
			return cutSubject(capitalise(rest))
		}
	}
	return cutSubject(first) // only a greeting: better than nothing
}

func capitalise(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// cutSubject shortens a line to about subjectRunes at a word boundary.
func cutSubject(line string) string {
	if utf8.RuneCountInString(line) <= subjectRunes {
		return line
	}
	r := []rune(line)[:subjectRunes]
	if i := strings.LastIndexByte(string(r), ' '); i > 40 {
		return string(r)[:i] + " …"
	}
	return string(r) + "…"
}
