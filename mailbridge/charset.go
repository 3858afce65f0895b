package mailbridge

import (
	"bytes"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"
	"golang.org/x/text/encoding/unicode"
)

// toUTF8 decodes text in the declared charset to UTF-8. The rules, from what real mail does:
//   - A part declared UTF-8 that is valid UTF-8 stays exactly as it is (no guessing: a guessing
//     parser once garbled valid UTF-8 mail in a peer helpdesk).
//   - Undeclared, US-ASCII or a Latin charset, but valid UTF-8 with non-ASCII letters: UTF-8 (old
//     mail programs label UTF-8 as ISO-8859-1 or send it with no label at all).
//   - Otherwise the declared charset, by the WHATWG names mail programs use (ISO-8859-1 read as
//     Windows-1252, its superset), then the IANA names.
//   - Unknown charsets, and undeclared 8-bit text that is not UTF-8: Windows-1252, which is
//     what Norwegian mail without a label nearly always is.
//   - Charsets that are not supersets of ASCII are decoded even when every byte is 7-bit: ISO-2022-JP and HZ-GB-2312 shift with escape sequences, and UTF-16 is read in
//     the byte order its byte order mark or its zero bytes show.
func toUTF8(b []byte, label string) string {
	label = normalizeCharset(label)
	if isASCII(b) && asciiBased(label) {
		return cleanText(string(b))
	}
	if isUTF16(label) {
		return cleanText(decodeWith(unicode.UTF16(utf16Order(b, label), unicode.IgnoreBOM), b))
	}
	switch label {
	case "utf-8", "utf8":
		if utf8.Valid(b) {
			return cleanText(string(b))
		}
		if mostlyUTF8(b) {
			return cleanText(strings.ToValidUTF8(string(b), "\uFFFD"))
		}
		return cleanText(decodeWith(charmap.Windows1252, b))
	case "", "us-ascii", "ascii", "iso-8859-1", "latin1", "iso-8859-15", "windows-1252", "cp1252", "iso_8859-1", "x-unknown", "unknown-8bit":
		if utf8.Valid(b) {
			return cleanText(string(b))
		}
	}
	if enc := lookupCharset(label); enc != nil {
		return cleanText(decodeWith(enc, b))
	}
	if utf8.Valid(b) {
		return cleanText(string(b))
	}
	return cleanText(decodeWith(charmap.Windows1252, b))
}

func normalizeCharset(label string) string {
	label = strings.ToLower(strings.Trim(strings.TrimSpace(label), `"'`))
	if i := strings.IndexByte(label, '*'); i >= 0 { // RFC 2231 language: "utf-8*en"
		label = label[:i]
	}
	return label
}

// asciiBased reports whether 7-bit text in the charset is that ASCII text, so it needs no
// decoding: so for the charsets mail is nearly always written in, and for any we do not know
// (read as ASCII). Other known charsets are decoded.
func asciiBased(label string) bool {
	switch {
	case label == "", label == "utf-8", label == "utf8", label == "us-ascii", label == "ascii",
		strings.HasPrefix(label, "iso-8859-"), strings.HasPrefix(label, "windows-125"):
		return true
	}
	return lookupCharset(label) == nil
}

// isUTF16 reports whether a label names UTF-16 (the names are those of the WHATWG and IANA).
func isUTF16(label string) bool {
	switch label {
	case "utf-16", "utf-16le", "utf-16be", "utf16", "unicode", "unicodefeff", "unicodefffe", "ucs-2", "iso-10646-ucs-2", "csunicode":
		return true
	}
	return false
}

// utf16Order is the byte order of UTF-16 text: as its byte order mark says, else as its label
// says (utf-16le, utf-16be), else the side the zero bytes fall on (the high byte of every Latin
// letter), else big-endian (RFC 2781).
func utf16Order(b []byte, label string) unicode.Endianness {
	switch {
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		return unicode.LittleEndian
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		return unicode.BigEndian
	case label == "utf-16le":
		return unicode.LittleEndian
	case label == "utf-16be":
		return unicode.BigEndian
	}
	even, odd := 0, 0
	for i, c := range b[:min(len(b), 4096)] {
		if c == 0 && i%2 == 0 {
			even++
		} else if c == 0 {
			odd++
		}
	}
	if odd > even {
		return unicode.LittleEndian
	}
	return unicode.BigEndian
}

// lookupCharset finds a decoder by name; nil when the name is unknown. The WHATWG's
// "replacement" decoder (its name for HZ-GB-2312, ISO-2022-KR and ISO-2022-CN) turns a whole
// text into one U+FFFD, so it is not taken: HZ-GB-2312 has a real decoder under its IANA name,
// the others are read as unknown.
func lookupCharset(label string) encoding.Encoding {
	switch label {
	case "", "us-ascii", "ascii":
		return charmap.Windows1252
	}
	if enc, err := htmlindex.Get(label); err == nil && enc != encoding.Replacement {
		return enc
	}
	if enc, err := ianaindex.IANA.Encoding(label); err == nil && enc != nil {
		return enc
	}
	return nil
}

func decodeWith(enc encoding.Encoding, b []byte) string {
	out, err := enc.NewDecoder().Bytes(b)
	if err != nil {
		out, _ = charmap.Windows1252.NewDecoder().Bytes(b)
	}
	return strings.ToValidUTF8(string(out), "\uFFFD")
}

// charsetReader is the CharsetReader for mime.WordDecoder and net/mail: it never fails, an
// unknown charset is read as UTF-8 or Windows-1252.
func charsetReader(label string, r io.Reader) (io.Reader, error) {
	b, err := io.ReadAll(io.LimitReader(r, 1<<20))
	if err != nil {
		return nil, err
	}
	return strings.NewReader(toUTF8(b, label)), nil
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// mostlyUTF8 reports whether at least nine in ten non-ASCII sequences are valid UTF-8: a UTF-8
// text with a stray byte, rather than a mislabelled Latin-1 text.
func mostlyUTF8(b []byte) bool {
	good, bad := 0, 0
	for len(b) > 0 {
		if b[0] < 0x80 {
			b = b[1:]
			continue
		}
		r, n := utf8.DecodeRune(b)
		if r == utf8.RuneError && n <= 1 {
			bad++
		} else {
			good++
		}
		b = b[max(n, 1):]
	}
	return good >= 9*bad && good > 0
}

// cleanText removes what has no place in stored text: NUL and other control characters except
// tab and newline, byte order marks, and CR of CRLF line ends.
func cleanText(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 && r != '\t' && r != '\n' || r == 0xFEFF || r == 0x7F }) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i, r := range s {
		switch {
		case r == '\r' && i+1 < len(s) && s[i+1] == '\n':
		case r == '\r':
			b.WriteByte('\n')
		case r == '\t' || r == '\n':
			b.WriteRune(r)
		case r < 0x20 || r == 0x7F || r == 0xFEFF:
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// latin1OrUTF8 turns raw 8-bit header bytes into UTF-8: valid UTF-8 as it is (RFC 6532), anything
// else as Windows-1252 (Eudora and friends put Latin-1 straight into headers).
func latin1OrUTF8(b []byte) []byte {
	if isASCII(b) || utf8.Valid(b) {
		return b
	}
	return []byte(decodeWith(charmap.Windows1252, b))
}

// trimBOM drops a UTF-8 byte order mark at the start.
func trimBOM(b []byte) []byte { return bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")) }
