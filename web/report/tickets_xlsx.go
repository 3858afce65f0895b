package report

import (
	"archive/zip"
	"fmt"
	"io"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/ks-no/digihjelpen/ticket"
)

// xlsxRows streams the ticket export into a workbook. excelize's stream writer keeps rows in a
// temporary file past a few megabytes, so memory stays flat. A sheet holds at most 1,048,576
// rows; the export goes on in "Saker 2", "Saker 3" … rather than stop.
type xlsxRows struct {
	w        io.Writer
	f        *excelize.File
	st       xlsxStyles
	sw       *excelize.StreamWriter
	agencies ticket.Agencies
	sheets   int
	row      int
	cells    []any
}

func newXLSXRows(w io.Writer, agencies ticket.Agencies) (*xlsxRows, error) {
	f := excelize.NewFile()
	st, err := newXLSXStyles(f)
	if err != nil {
		f.Close()
		return nil, err
	}
	x := &xlsxRows{w: w, f: f, st: st, agencies: agencies}
	if err := x.nextSheet(); err != nil {
		f.Close()
		return nil, err
	}
	return x, nil
}

// nextSheet finishes the current sheet and starts the next with the header row.
func (x *xlsxRows) nextSheet() error {
	if x.sw != nil {
		if err := x.sw.Flush(); err != nil {
			return err
		}
	}
	x.sheets++
	name := "Saker"
	if x.sheets > 1 {
		name = fmt.Sprintf("Saker %d", x.sheets)
		if _, err := x.f.NewSheet(name); err != nil {
			return err
		}
	} else if err := x.f.SetSheetName("Sheet1", name); err != nil {
		return err
	}
	sw, err := x.f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	x.sw = sw
	if err := sw.SetColWidth(1, len(exportHeads), 14); err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	heads := make([]any, len(exportHeads))
	for i, h := range exportHeads {
		heads[i] = excelize.Cell{StyleID: x.st.header, Value: h}
	}
	x.row = 1
	return sw.SetRow("A1", heads)
}

// Row writes one ticket: times as Excel dates in Oslo time, hours as numbers.
func (x *xlsxRows) Row(t *ticket.Ticket) error {
	if x.row == excelize.TotalRows {
		if err := x.nextSheet(); err != nil {
			return err
		}
	}
	x.row++
	x.cells = x.cells[:0]
	for _, v := range ticketRow(t, x.agencies) {
		switch v := v.(type) {
		case time.Time:
			x.cells = append(x.cells, excelize.Cell{StyleID: x.st.datetime, Value: excelTime(v)})
		case float64:
			x.cells = append(x.cells, excelize.Cell{StyleID: x.st.decimal, Value: v})
		default:
			x.cells = append(x.cells, v)
		}
	}
	return x.sw.SetRow(cellName(1, x.row), x.cells)
}

// Discard removes the temporary files of an export that failed.
func (x *xlsxRows) Discard() { x.f.Close() }

// Close finishes the workbook and writes it to w. excelize builds the whole zip in a buffer
// before writing it out (File.WriteToBuffer), which would make memory grow with the rows again;
// a zip writer of our own on w streams it instead, and the buffer stays empty.
func (x *xlsxRows) Close() error {
	defer x.f.Close()
	if err := x.sw.Flush(); err != nil {
		return err
	}
	x.f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zip.NewWriter(x.w) })
	if err := x.f.Write(x.w); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	return nil
}
