package mailbridge

import (
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

// A mail's Date header is read strictly first (net/mail, RFC 5322), then by its parts, because
// mail programs write it in many other ways: without weekday, seconds or zone, with the weekday
// spelled out or in Norwegian, with a zone name, a colon in the offset, dots in the time, in
// ISO 8601 or in the order of C's asctime. A date without a zone is read as Oslo time, where
// the mail to the contact point is written.

// dateOf is the date in the Date header of h: zero when there is none, and unreadable when no
// reading makes sense of it.
func dateOf(h header) (t time.Time, unreadable bool) {
	v := h.get("Date")
	if strings.TrimSpace(v) == "" {
		return time.Time{}, false
	}
	t, ok := parseDate(v)
	return t, !ok
}

// parseDate reads the value of a Date header; ok is false when no reading makes sense of it.
func parseDate(v string) (t time.Time, ok bool) {
	if strings.IndexByte(v, '(') >= 0 {
		v = dateComment.ReplaceAllString(v, " ")
	}
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, false
	}
	if t, err := mail.ParseDate(v); err == nil && !isLetters(zoneOf(v)) {
		return t, true // numeric zone: net/mail is exact (a zone name it may read as UTC)
	}
	if t, err := time.Parse(time.RFC3339, strings.Replace(v, " ", "T", 1)); err == nil {
		return t, true
	}
	return dateByParts(strings.FieldsFunc(v, func(r rune) bool { return r == ' ' || r == ',' || r == '\t' }))
}

var dateComment = regexp.MustCompile(`\([^()]*\)`)

// zoneOf is the last word of a date, where its zone is.
func zoneOf(v string) string {
	return v[strings.LastIndexAny(v, " \t")+1:]
}

// dateParts collects the parts of a date as they are found, in any order.
type dateParts struct {
	day, month, year, hour, min, sec int
	haveTime                         bool
	loc                              *time.Location
}

// dateByParts reads a date from its words: a month name, a day, a year, a time and a zone.
func dateByParts(words []string) (time.Time, bool) {
	var p dateParts
	for _, w := range words {
		if !p.take(w) {
			return time.Time{}, false
		}
	}
	if p.month < 1 || p.month > 12 || p.day == 0 || p.year == 0 || !p.haveTime {
		return time.Time{}, false
	}
	if p.loc == nil {
		p.loc = ticket.Oslo
	}
	t := time.Date(p.year, time.Month(p.month), p.day, p.hour, p.min, p.sec, 0, p.loc)
	if t.Day() != p.day || p.hour > 23 || p.min > 59 || p.sec > 60 {
		return time.Time{}, false // 31 November, 25:00
	}
	return t, true
}

var (
	clockWord  = regexp.MustCompile(`^(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?$`)
	offsetWord = regexp.MustCompile(`^(?:GMT|UTC|UT)?([+-])(\d{2}):?(\d{2})$`)
)

// take reads one word into p; false when it is no part of a date.
func (p *dateParts) take(w string) bool {
	lw := strings.ToLower(strings.TrimSuffix(w, "."))
	if m, ok := monthNames[lw]; ok && p.month == 0 {
		p.month = m
		return true
	}
	if c := clockWord.FindStringSubmatch(w); c != nil && !p.haveTime && p.day != 0 {
		p.hour, _ = strconv.Atoi(c[1])
		p.min, _ = strconv.Atoi(c[2])
		p.sec, _ = strconv.Atoi(c[3])
		p.haveTime = true
		return true
	}
	if o := offsetWord.FindStringSubmatch(w); o != nil && p.haveTime {
		h, _ := strconv.Atoi(o[2])
		m, _ := strconv.Atoi(o[3])
		off := (h*60 + m) * 60
		if o[1] == "-" {
			off = -off
		}
		p.loc = time.FixedZone(w, off)
		return true
	}
	if n, err := strconv.Atoi(w); err == nil {
		return p.number(w, n)
	}
	if d := numericDate.FindStringSubmatch(w); d != nil && p.day == 0 && p.month == 0 {
		p.year, p.month, p.day = atoi(d[1]+d[6]), atoi(d[2]+d[5]), atoi(d[3]+d[4])
		return true
	}
	if dayNames[lw] && p.day == 0 && p.month == 0 {
		return true // a weekday says nothing the date does not
	}
	if !p.haveTime || !isLetters(w) {
		return false
	}
	if p.loc == nil { // a zone name after a numeric offset adds nothing
		off, known := zoneNames[strings.ToUpper(w)]
		p.loc = time.FixedZone(w, off*3600) // an unknown name is UTC (RFC 5322, 4.3)
		if !known {
			p.loc = time.UTC
		}
	}
	return true
}

// numericDate is 2026-11-23 or 23.11.2026.
var numericDate = regexp.MustCompile(`^(?:(\d{4})-(\d{2})-(\d{2})|(\d{1,2})\.(\d{1,2})\.(\d{4}))$`)

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// number reads a day, a year, or a zone written without its sign.
func (p *dateParts) number(w string, n int) bool {
	switch {
	case len(w) <= 2 && p.day == 0 && n >= 1 && n <= 31:
		p.day = n
	case len(w) == 4 && p.year == 0 && n >= 1000:
		p.year = n
	case len(w) == 2 && p.year == 0 && p.day != 0: // RFC 5322, 4.3: 00-49 are 2000-2049
		p.year = 1900 + n
		if n < 50 {
			p.year = 2000 + n
		}
	case len(w) == 4 && p.haveTime && p.loc == nil: // "0100": an offset without its sign
		p.loc = time.FixedZone(w, (n/100*60+n%100)*60)
	default:
		return false
	}
	return true
}

func isLetters(w string) bool {
	for _, r := range w {
		if (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') {
			return false
		}
	}
	return w != ""
}

// monthNames are English and Norwegian month names and their usual short forms.
var monthNames = map[string]int{
	"jan": 1, "january": 1, "januar": 1, "feb": 2, "february": 2, "februar": 2, "mar": 3, "march": 3, "mars": 3,
	"apr": 4, "april": 4, "may": 5, "mai": 5, "jun": 6, "june": 6, "juni": 6, "jul": 7, "july": 7, "juli": 7,
	"aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9, "oct": 10, "okt": 10, "october": 10, "oktober": 10,
	"nov": 11, "november": 11, "dec": 12, "des": 12, "december": 12, "desember": 12,
}

// dayNames are English and Norwegian weekdays and their short forms.
var dayNames = map[string]bool{
	"mon": true, "tue": true, "wed": true, "thu": true, "fri": true, "sat": true, "sun": true,
	"monday": true, "tuesday": true, "wednesday": true, "thursday": true, "friday": true, "saturday": true, "sunday": true,
	"ma": true, "ti": true, "on": true, "to": true, "fr": true, "lø": true, "sø": true, "man": true, "tir": true, "ons": true,
	"tor": true, "fre": true, "lør": true, "søn": true, "mandag": true, "tirsdag": true, "onsdag": true, "torsdag": true,
	"fredag": true, "lørdag": true, "søndag": true,
}

// zoneNames are the zone names mail programs write, in hours east of UTC: those of RFC 5322
// and the European ones Norwegian mail carries.
var zoneNames = map[string]int{
	"UT": 0, "UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "BST": 1, "WEST": 1, "CET": 1, "MET": 1, "MEZ": 1,
	"CEST": 2, "MEST": 2, "MESZ": 2, "EET": 2, "EEST": 3, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5,
	"MST": -7, "MDT": -6, "PST": -8, "PDT": -7, "JST": 9,
}

// HeaderDate returns the date in the Date header of a raw mail (or of its header alone), and
// false when it has none that can be read. Import uses it to take mail in the order it was
// written.
func HeaderDate(raw []byte) (time.Time, bool) {
	h, _ := splitMessage(raw, true)
	t, unreadable := dateOf(h)
	return t, !t.IsZero() && !unreadable
}
