package mailbridge

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestParseDate reads the Date headers of real mail programs, and of broken ones.
func TestParseDate(t *testing.T) {
	utc := func(s string) time.Time {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			panic(err)
		}
		return t
	}
	tests := []struct {
		name, value string
		want        time.Time // zero: unreadable
	}{
		{"RFC5322", "Mon, 23 Nov 2026 10:00:00 +0100", utc("2026-11-23T09:00:00Z")},
		{"Comment", "Thu, 29 Apr 2013 23:45:32 +0900 (JST)", utc("2013-04-29T14:45:32Z")},
		{"NoWeekday", "27 Feb 2017 04:51:29 +0100", utc("2017-02-27T03:51:29Z")},
		{"NoSeconds", "Mon, 23 Nov 2026 10:00 +0100", utc("2026-11-23T09:00:00Z")},
		{"TwoDigitYear", "Mon, 23 Nov 26 10:00:00 +0100", utc("2026-11-23T09:00:00Z")},
		{"TwoDigitYearLastCentury", "Fri, 31 Dec 99 23:00:00 -0000", utc("1999-12-31T23:00:00Z")},
		{"GMT", "Fri, 10 Jul 2016 15:29:52 GMT", utc("2016-07-10T15:29:52Z")},
		{"ZoneNameCET", "Mon, 23 Nov 2026 10:00:00 CET", utc("2026-11-23T09:00:00Z")},
		{"ZoneNameMESZ", "Di, 16 Jun 2026 10:00:00 MESZ", time.Time{}}, // a German weekday is no known word
		{"ZoneNameEST", "Wed, 26 Jan 2022 04:06:48 EST", utc("2022-01-26T09:06:48Z")},
		{"UnknownZoneNameIsUTC", "Mon, 23 Nov 2026 10:00:00 XYZ", utc("2026-11-23T10:00:00Z")},
		{"OffsetAndName", "Mon, 23 Nov 2026 10:00:00 +0100 GMT", utc("2026-11-23T09:00:00Z")},
		{"OffsetWithColon", "Mon, 23 Nov 2026 10:00:00 +01:00", utc("2026-11-23T09:00:00Z")},
		{"OffsetWithoutSign", "Mon, 23 Nov 2026 10:00:00 0100", utc("2026-11-23T09:00:00Z")},
		{"GMTOffset", "Mon, 23 Nov 2026 10:00:00 GMT+0100", utc("2026-11-23T09:00:00Z")},
		{"NoZoneIsOsloWinter", "Mon, 23 Nov 2026 10:00:00", utc("2026-11-23T09:00:00Z")},
		{"NoZoneIsOsloSummer", "Tue, 16 Jun 2026 10:00:00", utc("2026-06-16T08:00:00Z")},
		{"NoSpaceAfterComma", "Mon,23 Nov 2026 10:00:00 +0100", utc("2026-11-23T09:00:00Z")},
		{"LongNames", "Monday, 23 November 2026 10:00:00 +0100", utc("2026-11-23T09:00:00Z")},
		{"Norwegian", "ma., 23 okt. 2026 10:00:00 +0200", utc("2026-10-23T08:00:00Z")},
		{"NorwegianLong", "fredag 4. desember 2026 kl 10.30", time.Time{}}, // "kl" is no part of a date
		{"NorwegianNumeric", "23.11.2026 10:00", utc("2026-11-23T09:00:00Z")},
		{"DotsInTime", "Mon, 23 Nov 2026 10.00.00 +0100", utc("2026-11-23T09:00:00Z")},
		{"ISO8601", "2026-11-23T10:00:00+01:00", utc("2026-11-23T09:00:00Z")},
		{"ISOWithSpace", "2026-11-23 10:00:00+01:00", utc("2026-11-23T09:00:00Z")},
		{"ISONoZone", "2026-11-23 10:00:00", utc("2026-11-23T09:00:00Z")},
		{"Asctime", "Mon Nov 23 10:00:00 2026", utc("2026-11-23T09:00:00Z")},
		{"Empty", "", time.Time{}},
		{"Gibberish", "i går", time.Time{}},
		{"NoTime", "Mon, 23 Nov 2026", time.Time{}},
		{"NoSuchDay", "Mon, 31 Nov 2026 10:00:00 +0100", time.Time{}},
		{"NoSuchHour", "Mon, 23 Nov 2026 25:00:00 +0100", time.Time{}},
		{"NoSuchMonth", "23.13.2026 10:00", time.Time{}},
		{"TwoMonths", "Mon, 23 Nov Dec 2026 10:00:00 +0100", time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := parseDate(tt.value)
			if ok != !tt.want.IsZero() || !got.Equal(tt.want) {
				t.Errorf("parseDate(%q) got %v %v, want %v", tt.value, got.UTC(), ok, tt.want)
			}
		})
	}
}

// TestDateOfMail: a mail without Date has none; one with a Date that cannot be read says so.
func TestDateOfMail(t *testing.T) {
	tests := []struct {
		name, raw  string
		unreadable bool
		want       time.Time
	}{
		{"Dated", "From: a@b.no\r\nDate: Tue, 3 Feb 2026 08:15:00 +0100\r\n\r\nHei\r\n", false, time.Date(2026, 2, 3, 7, 15, 0, 0, time.UTC)},
		{"Missing", "From: a@b.no\r\n\r\nHei\r\n", false, time.Time{}},
		{"Unreadable", "From: a@b.no\r\nDate: en gang i fjor\r\n\r\nHei\r\n", true, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Parse([]byte(tt.raw), nil)
			if err != nil {
				t.Fatal(err)
			}
			if m.DateUnreadable != tt.unreadable || !m.Date.Equal(tt.want) {
				t.Errorf("got %v unreadable %v, want %v unreadable %v", m.Date, m.DateUnreadable, tt.want, tt.unreadable)
			}
			if d, ok := HeaderDate([]byte(tt.raw)); ok != !tt.want.IsZero() || !d.Equal(tt.want) {
				t.Errorf("HeaderDate got %v %v", d, ok)
			}
		})
	}
}

// TestFixtureDates: the Date of every mail in testdata is read (none of them has a broken one).
func TestFixtureDates(t *testing.T) {
	err := filepath.WalkDir("testdata", func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".eml") {
			return err
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if m, err := Parse(raw, nil); err == nil && (m.DateUnreadable || m.Date.IsZero() && bytes.Contains(raw, []byte("\nDate:"))) {
			t.Errorf("%s: Date not read (unreadable %v)", path, m.DateUnreadable)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// BenchmarkParseDate reads a Date header as intake does for every mail: the common RFC 5322
// form (net/mail), and a form that needs the reading by parts.
func BenchmarkParseDate(b *testing.B) {
	for _, v := range []string{"Mon, 23 Nov 2026 10:00:00 +0100", "ma., 23 nov. 2026 10:00:00 CET"} {
		b.Run(strings.Fields(v)[0], func(b *testing.B) {
			for b.Loop() {
				if _, ok := parseDate(v); !ok {
					b.Fatal(v)
				}
			}
		})
	}
}

// FuzzParseDate: any Date header is read or refused, never a panic.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"Mon, 23 Nov 2026 10:00:00 +0100", "ma., 23 okt. 2026 10.00 CET", "2026-11-23T10:00:00Z", "23.11.2026 10:00", "Mon Nov 23 10:00:00 2026 (x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if d, ok := parseDate(s); !ok && !d.IsZero() {
			t.Errorf("%q refused but read as %v", s, d)
		}
	})
}
