package web

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

// maxRegisterCSV bounds an uploaded register file; the whole register is some 100 kB.
const maxRegisterCSV = 4 << 20

// handleRegisterExport sends the whole register as CSV: for Norwegian Excel (semicolons, byte
// order mark) by default, with commas for ?format=csv-comma. The download is audited: the
// contacts may name people.
func (s *Server) handleRegisterExport(c *fiber.Ctx) error {
	rows, err := s.registerRows(c)
	if err != nil {
		return err
	}
	out := make([]ticket.RegisterRow, len(rows))
	for i, r := range rows {
		out[i] = ticket.RegisterRow{Unit: r.Unit, Offer: r.Offer}
	}
	var buf bytes.Buffer
	if err := ticket.WriteRegisterCSV(&buf, out, c.Query("format") != "csv-comma"); err != nil {
		return err
	}
	name := "kommuneregister-" + s.Now().In(ticket.Oslo).Format("2006-01-02") + ".csv"
	if err := s.Events.AddEvent(c.UserContext(), 0, ticket.EventExported, "kommuneregisteret: "+name); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentDisposition, contentDisposition(name))
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	return c.Send(buf.Bytes())
}

// handleRegisterImport reads an uploaded file and saves the rows that changed, all or none;
// a file with mistakes shows them, a line each, above the list.
func (s *Server) handleRegisterImport(c *fiber.Ctx) error {
	offers, err := s.readRegisterUpload(c)
	if err == nil {
		var res ticket.RegisterImport
		if res, err = s.Overview.Register.ImportOffers(c.UserContext(), offers); err == nil {
			return c.Redirect(fmt.Sprintf("/kommuner?importert=%d-%d", res.Changed, res.Unchanged), fiber.StatusSeeOther)
		}
	}
	lines := importErrorLines(err)
	if lines == nil {
		return err
	}
	d, perr := s.registerPage(c, registerFilter{})
	if perr != nil {
		return perr
	}
	d.ImportErrors = lines
	c.Status(fiber.StatusUnprocessableEntity)
	return s.render(c, "register", pageData{Title: "Kommuneregisteret", Nav: "kommuner", Data: d,
		Message: "Filen ble ikke lest inn. Ingenting er endret; rett feilene under og prøv igjen."})
}

func (s *Server) readRegisterUpload(c *fiber.Ctx) ([]*ticket.Offer, error) {
	fh, err := c.FormFile("fil")
	if err != nil || fh.Size == 0 {
		return nil, ticket.CSVErrors{{Msg: "Velg en CSV-fil å lese inn."}}
	}
	if fh.Size > maxRegisterCSV {
		return nil, ticket.CSVErrors{{Msg: "Filen er for stor (høyst 4 MB)."}}
	}
	f, err := fh.Open()
	if err != nil {
		return nil, fmt.Errorf("open uploaded register: %w", err)
	}
	defer f.Close()
	return ticket.ReadRegisterCSV(io.LimitReader(f, maxRegisterCSV), func(n string) bool {
		_, ok := s.Overview.Units.Find(n)
		return ok
	})
}

// importErrorLines are the mistakes of a file or its rows as lines to show; nil for an error
// that is not the file's.
func importErrorLines(err error) []string {
	var es ticket.CSVErrors
	if errors.As(err, &es) {
		lines := make([]string, len(es))
		for i, e := range es {
			lines[i] = e.Error()
		}
		return lines
	}
	if fe := ticket.FieldErrorsOf(err); fe != nil {
		return []string{ticket.ErrorMessage(err)}
	}
	return nil
}

// parseImported reads the redirect's "changed-unchanged".
func parseImported(s string) *ticket.RegisterImport {
	a, b, _ := strings.Cut(s, "-")
	changed, err1 := strconv.Atoi(a)
	unchanged, err2 := strconv.Atoi(b)
	if err1 != nil || err2 != nil {
		return nil
	}
	return &ticket.RegisterImport{Changed: changed, Unchanged: unchanged}
}

func sortCounties(list []ticket.County) {
	sort.Slice(list, func(i, j int) bool { return list[i].Number < list[j].Number })
}
