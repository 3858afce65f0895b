package ticket

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// The register as a CSV file: one row per municipality or county authority. Export writes
// every unit; import reads any subset and saves the rows that changed. The column names are
// what people type in a spreadsheet, so they are read loosely (case, æøå, spaces).

// RegisterColumns are the columns of the register's CSV file, in order. navn is for people
// and not read back.
var RegisterColumns = []string{"kommunenummer", "navn", "status", "sted", "adresse", "apningstider", "kontakt", "nettside", "saerskilt_behov", "merknad"}

// RegisterRow is one unit with its entry, for export.
type RegisterRow struct {
	Unit  RegisterUnit
	Offer *Offer
}

// WriteRegisterCSV writes rows. With excel, the file is for Norwegian Excel: semicolons and a
// byte order mark; else commas and no mark.
func WriteRegisterCSV(w io.Writer, rows []RegisterRow, excel bool) error {
	if excel {
		if _, err := io.WriteString(w, "\ufeff"); err != nil {
			return err
		}
	}
	cw := csv.NewWriter(w)
	if excel {
		cw.Comma = ';'
	}
	if err := cw.Write(RegisterColumns); err != nil {
		return err
	}
	for _, r := range rows {
		o := r.Offer
		if o == nil {
			o = UnknownOffer(r.Unit.Number)
		}
		need := "nei"
		if o.SpecialNeed {
			need = "ja"
		}
		venues := make([]string, len(o.Venues))
		for i, v := range o.Venues {
			venues[i] = string(v)
		}
		rec := []string{r.Unit.Number, r.Unit.Name, string(o.Status), strings.Join(venues, ", "), o.Address, o.Hours, o.Contact, o.Web, need, o.Note}
		for i := range rec {
			rec[i] = csvSafe(rec[i])
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvSafe keeps a spreadsheet from reading text as a formula (CSV injection): a cell that
// starts with = + - @ or a control character gets a leading apostrophe, which Excel hides and
// the import takes off again.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func csvUnsafe(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(s[1])) {
		return s[1:]
	}
	return s
}

// CSVError is a mistake in one line of an imported file.
type CSVError struct {
	Line   int
	Column string
	Msg    string
}

func (e *CSVError) Error() string {
	switch {
	case e.Line > 0 && e.Column != "":
		return fmt.Sprintf("linje %d, kolonne %s: %s", e.Line, e.Column, e.Msg)
	case e.Line > 0:
		return fmt.Sprintf("linje %d: %s", e.Line, e.Msg)
	}
	return e.Msg
}

// CSVErrors are all the mistakes found in a file (up to maxCSVErrors).
type CSVErrors []*CSVError

func (es CSVErrors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

const maxCSVErrors = 20

// ReadRegisterCSV reads a register file written by WriteRegisterCSV or a spreadsheet:
// semicolons or commas (as the header has them), with or without a byte order mark, numbers
// whose leading zero a spreadsheet dropped. known says which numbers the register has. Every
// mistake comes back at once, as CSVErrors with its line.
func ReadRegisterCSV(r io.Reader, known func(number string) bool) ([]*Offer, error) {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && string(b) == "\ufeff" {
		br.Discard(3)
	}
	head, _ := br.Peek(4096)
	first, _, _ := strings.Cut(string(head), "\n")
	cr := csv.NewReader(br)
	if strings.Count(first, ";") > strings.Count(first, ",") {
		cr.Comma = ';'
	}
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err == io.EOF {
		return nil, CSVErrors{{Msg: "Filen er tom."}}
	} else if err != nil {
		return nil, CSVErrors{{Line: 1, Msg: "kan ikke leses som CSV: " + csvReason(err)}}
	}
	cols, err := registerColumns(header)
	if err != nil {
		return nil, err
	}
	rd := registerReader{cols: cols, known: known, seen: map[string]int{}}
	for len(rd.errs) < maxCSVErrors {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			rd.errs = append(rd.errs, &CSVError{Line: line, Msg: "kan ikke leses som CSV: " + csvReason(err)})
			break
		}
		rd.row(line, rec)
	}
	if len(rd.errs) > 0 {
		return nil, rd.errs
	}
	return rd.offers, nil
}

func csvReason(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		switch {
		case errors.Is(pe.Err, csv.ErrQuote), errors.Is(pe.Err, csv.ErrBareQuote):
			return "et anførselstegn står feil"
		}
	}
	return err.Error()
}

// registerColumns maps each known column to its index in header; all but navn must be there.
func registerColumns(header []string) (map[string]int, error) {
	cols := map[string]int{}
	var errs CSVErrors
	for i, h := range header {
		name := columnName(h)
		if _, dup := cols[name]; dup {
			errs = append(errs, &CSVError{Line: 1, Msg: fmt.Sprintf("kolonnen «%s» står to ganger", strings.TrimSpace(h))})
		}
		cols[name] = i
	}
	var missing []string
	for _, c := range RegisterColumns {
		if _, ok := cols[c]; !ok && c != "navn" {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		errs = append(errs, &CSVError{Line: 1, Msg: fmt.Sprintf("mangler kolonnene %s; første linje må ha %s", strings.Join(missing, ", "), strings.Join(RegisterColumns, ";"))})
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return cols, nil
}

// columnName reads a heading as the column it names: «Særskilt behov» is saerskilt_behov.
func columnName(h string) string {
	h = strings.ToLower(strings.TrimSpace(h))
	return strings.NewReplacer("æ", "ae", "ø", "o", "å", "a", " ", "_", "-", "_").Replace(h)
}
