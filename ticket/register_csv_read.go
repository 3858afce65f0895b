package ticket

import (
	"fmt"
	"strings"
)

// registerReader turns the rows of a register file into entries, collecting every mistake.
type registerReader struct {
	cols   map[string]int
	known  func(string) bool
	seen   map[string]int // number -> the line it was first on
	offers []*Offer
	errs   CSVErrors
}

func (rd *registerReader) cell(rec []string, col string) string {
	i, ok := rd.cols[col]
	if !ok || i >= len(rec) {
		return ""
	}
	return csvUnsafe(strings.TrimSpace(rec[i]))
}

func (rd *registerReader) bad(line int, col, format string, args ...any) {
	rd.errs = append(rd.errs, &CSVError{Line: line, Column: col, Msg: fmt.Sprintf(format, args...)})
}

func (rd *registerReader) row(line int, rec []string) {
	if strings.TrimSpace(strings.Join(rec, "")) == "" {
		return // a blank line, as spreadsheets leave at the end
	}
	number := padNumber(rd.cell(rec, "kommunenummer"))
	if ok := rd.checkNumber(line, number); !ok {
		return
	}
	o := &Offer{Number: number, Address: rd.cell(rec, "adresse"), Hours: rd.cell(rec, "apningstider"),
		Contact: rd.cell(rec, "kontakt"), Web: rd.cell(rec, "nettside"), Note: rd.cell(rec, "merknad")}
	before := len(rd.errs)
	o.Status = rd.status(line, rd.cell(rec, "status"))
	o.Venues = rd.venues(line, rd.cell(rec, "sted"))
	o.SpecialNeed = rd.yesNo(line, rd.cell(rec, "saerskilt_behov"))
	if len(rd.errs) > before {
		return
	}
	o.Normalize()
	if err := o.Validate(); err != nil {
		for _, fe := range FieldErrorsOf(err) {
			rd.bad(line, fe.Field, "%s", fe.Message)
		}
		return
	}
	rd.offers = append(rd.offers, o)
}

func (rd *registerReader) checkNumber(line int, number string) bool {
	switch {
	case number == "":
		rd.bad(line, "kommunenummer", "mangler kommunenummer")
	case !validPlaceNumber(number) || (rd.known != nil && !rd.known(number)):
		rd.bad(line, "kommunenummer", "ukjent kommunenummer «%s»", number)
	case rd.seen[number] > 0:
		rd.bad(line, "kommunenummer", "%s står også på linje %d", number, rd.seen[number])
	default:
		rd.seen[number] = line
		return true
	}
	return false
}

// padNumber gives back the leading zero a spreadsheet takes from 0301 (Oslo) or 03.
func padNumber(n string) string {
	switch len(n) {
	case 1, 3:
		return "0" + n
	}
	return n
}

func (rd *registerReader) status(line int, s string) OfferStatus {
	if s == "" {
		return OfferUnknown
	}
	for _, st := range OfferStatuses {
		if strings.EqualFold(s, string(st)) || strings.EqualFold(s, st.Label()) {
			return st
		}
	}
	rd.bad(line, "status", "ukjent status «%s»; bruk tilbud, under etablering eller ikke kjent", s)
	return ""
}

func (rd *registerReader) venues(line int, s string) []Venue {
	var out []Venue
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '|' || r == '/' }) {
		if strings.TrimSpace(part) == "" {
			continue
		}
		v, ok := ParseVenue(part)
		if !ok {
			rd.bad(line, "sted", "ukjent sted «%s»; bruk bibliotek, servicetorg, frivilligsentral eller annet", strings.TrimSpace(part))
			return nil
		}
		out = append(out, v)
	}
	return out
}

func (rd *registerReader) yesNo(line int, s string) bool {
	switch strings.ToLower(s) {
	case "ja", "j", "x", "1", "true", "sann":
		return true
	case "", "nei", "n", "0", "false", "usann":
		return false
	}
	rd.bad(line, "saerskilt_behov", "skriv ja eller nei, ikke «%s»", s)
	return false
}
