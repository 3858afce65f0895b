package ticket

import "time"

// National identity numbers (fødselsnummer and D-nummer) are never needed to answer a question
// about digital services, and a number in a ticket would be kept, searched and exported with it.
// So an inbound mail's or form's subject and text are masked before they are stored: the six
// digits of the date stay (staff can still tell «the citizen born 1 January 1990» apart), the
// five of the individual number and check digits become stars.
//
// A number is masked only when it is one: eleven digits not part of a longer run of digits
// (or six and five with one space between, as people write them), a valid date in the century
// its individual number gives, and both check digits right by the official modulus-11
// algorithm. Phone numbers (8 digits), organisation numbers (9) and account numbers (11, but
// written 4.2.5 or failing the date or checks) are left alone; an account number that passes
// every check is masked too, which costs nothing. Attachments are not scanned.

// MaskNationalIDs returns s with every national identity number masked as «010190*****» (the
// space of «010190 12345» kept), and how many it masked.
func MaskNationalIDs(s string) (string, int) {
	var out []byte
	n := 0
	for i := 0; i < len(s); {
		if !isDigit(s[i]) || (i > 0 && isDigit(s[i-1])) {
			i++
			continue
		}
		end, digits := nationalIDAt(s, i)
		if end < 0 || !ValidNationalID(digits) {
			i++
			continue
		}
		if out == nil {
			out = []byte(s)
		}
		for j := end - 5; j < end; j++ {
			out[j] = '*'
		}
		n++
		i = end
	}
	if out == nil {
		return s, 0
	}
	return string(out), n
}

// nationalIDAt reads a candidate starting at i (a digit with no digit before it): eleven digits,
// or six, a space and five, with no digit after. It returns where it ends and its eleven digits,
// or -1.
func nationalIDAt(s string, i int) (int, string) {
	run := digitRun(s, i)
	switch {
	case run == 11:
		return i + 11, s[i : i+11]
	case run == 6 && i+7 < len(s) && s[i+6] == ' ' && digitRun(s, i+7) == 5:
		return i + 12, s[i:i+6] + s[i+7:i+12]
	}
	return -1, ""
}

func digitRun(s string, i int) int {
	n := 0
	for i+n < len(s) && isDigit(s[i+n]) {
		n++
	}
	return n
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// ValidNationalID reports whether d (eleven digits) is a fødselsnummer or a D-nummer (the day
// plus 40): a real date in the century of its individual number, and both check digits.
func ValidNationalID(d string) bool {
	if len(d) != 11 || digitRun(d, 0) != 11 {
		return false
	}
	var x [11]int
	for i := range x {
		x[i] = int(d[i] - '0')
	}
	day, month, year := x[0]*10+x[1], x[2]*10+x[3], x[4]*10+x[5]
	if day > 40 {
		day -= 40 // D-nummer
	}
	century, ok := centuryOf(x[6]*100+x[7]*10+x[8], year)
	if !ok || !realDate(century+year, month, day) {
		return false
	}
	k1 := checkDigit(x[:9], []int{3, 7, 6, 1, 8, 9, 4, 5, 2})
	k2 := checkDigit(x[:10], []int{5, 4, 3, 2, 7, 6, 5, 4, 3, 2})
	return k1 == x[9] && k2 == x[10]
}

// centuryOf gives the century of a two-digit birth year from the individual number, as the
// National Population Register assigns them.
func centuryOf(individual, year int) (int, bool) {
	switch {
	case individual <= 499:
		return 1900, true
	case individual <= 749 && year >= 54:
		return 1800, true
	case year <= 39:
		return 2000, true
	case individual >= 900:
		return 1900, true
	}
	return 0, false
}

func realDate(year, month, day int) bool {
	if month < 1 || month > 12 || day < 1 {
		return false
	}
	t := time.Date(year, time.Month(month), day, 12, 0, 0, 0, time.UTC)
	return t.Day() == day && int(t.Month()) == month
}

// checkDigit is the modulus-11 check digit of digits with weights; -1 when none exists (a
// remainder of 1, which the register never assigns).
func checkDigit(digits, weights []int) int {
	sum := 0
	for i, w := range weights {
		sum += digits[i] * w
	}
	k := 11 - sum%11
	switch k {
	case 11:
		return 0
	case 10:
		return -1
	}
	return k
}
