package ticket

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// RefPrefix starts every human ticket reference.
const RefPrefix = "DH"

// Ref is the reference people see and quote: DH-<year>-<number>, numbered from 1 each year and
// zero-padded to four digits (DH-2026-0042; DH-2026-12345 once a year passes 9999).
type Ref struct {
	Year   int
	Number int
}

// String formats the reference.
func (r Ref) String() string {
	return fmt.Sprintf("%s-%d-%04d", RefPrefix, r.Year, r.Number)
}

// IsZero reports whether r is the zero reference.
func (r Ref) IsZero() bool { return r.Year == 0 && r.Number == 0 }

var refPattern = regexp.MustCompile(`(?i)\bDH-(\d{4})-(\d{1,9})\b`)

// ParseRef parses a reference such as "DH-2026-0042" (case-insensitive, surrounding space ignored).
func ParseRef(s string) (Ref, error) {
	s = strings.TrimSpace(s)
	m := refPattern.FindStringSubmatch(s)
	if m == nil || len(m[0]) != len(s) {
		return Ref{}, Errorf(EINVALID, "«%s» er ikke et saksnummer (riktig form: DH-2026-0042).", s)
	}
	return refFromMatch(m)
}

// FindRefInSubject returns the first ticket reference in a mail subject, as in
// "SV: [DH-2026-0042] Spørsmål om kurs", and whether there was one.
func FindRefInSubject(subject string) (Ref, bool) {
	m := refPattern.FindStringSubmatch(subject)
	if m == nil {
		return Ref{}, false
	}
	r, err := refFromMatch(m)
	return r, err == nil
}

func refFromMatch(m []string) (Ref, error) {
	year, _ := strconv.Atoi(m[1])
	num, err := strconv.Atoi(m[2])
	if err != nil || num < 1 || year < 2000 || year > 2999 {
		return Ref{}, Errorf(EINVALID, "«%s» er ikke et gyldig saksnummer.", m[0])
	}
	return Ref{Year: year, Number: num}, nil
}

// SubjectWithRef puts "[DH-2026-0042] " in front of subject unless the reference is already there.
func SubjectWithRef(ref Ref, subject string) string {
	if r, ok := FindRefInSubject(subject); ok && r == ref {
		return subject
	}
	return "[" + ref.String() + "] " + subject
}
