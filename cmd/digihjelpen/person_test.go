package main

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/ks-no/digihjelpen/data"
	"github.com/ks-no/digihjelpen/ticket"
)

// TestPersonCommands: «person export» writes every ticket of the address, with flags before or
// after it; «person erase» anonymises them and leaves the weekly reports byte for byte as they
// were; a search for the address finds nothing afterwards.
func TestPersonCommands(t *testing.T) {
	dbPath := scenarioDB(t)
	dir := t.TempDir()
	reports := func() map[string][]byte {
		out := map[string][]byte{}
		for _, week := range []string{"2026-W12", "2026-W13", "2026-W14"} {
			for _, format := range []string{"csv", "json", "xlsx"} {
				file := filepath.Join(dir, week+"."+format)
				if code, _, errOut := runCmd(t, dbPath, "", "export", "-week", week, "-format", format, "-o", file); code != 0 {
					t.Fatalf("export %s %s: %s", week, format, errOut)
				}
				out[week+"."+format] = reportContent(t, file)
			}
		}
		return out
	}
	before := reports()

	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  string
		wantErr  string
	}{
		{"export, flag after", []string{"person", "export", "innbygger1@example.no", "-o", filepath.Join(dir, "a.zip")}, 0, "", "1 saker"},
		{"export, flag before", []string{"person", "export", "-o", filepath.Join(dir, "b.zip"), "INNBYGGER1@example.no"}, 0, "", "1 saker"},
		{"ErrNoAddress", []string{"person", "export", "-o", filepath.Join(dir, "c.zip")}, 2, "", "one email address"},
		{"ErrSub", []string{"person", "show", "a@b.no"}, 2, "", "person export EMAIL"},
		{"ErrBadAddress", []string{"person", "erase", "ikke-en-adresse"}, 1, "", "ikke en gyldig e-postadresse"},
		{"ErrNobody", []string{"person", "export", "ingen@example.no", "-o", filepath.Join(dir, "d.zip")}, 1, "", "Det er ikke lagret noe om ingen@example.no."},
		{"erase", []string{"person", "erase", "innbygger1@example.no"}, 0, "1 egne saker anonymisert", ""},
		{"ErrEraseAgain", []string{"person", "erase", "innbygger1@example.no"}, 1, "", "Det er ikke lagret noe"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCmd(t, dbPath, "", tt.args...)
			if code != tt.wantCode || !strings.Contains(out, tt.wantOut) || !strings.Contains(errOut, tt.wantErr) {
				t.Fatalf("code %d, stdout %q, stderr %q; want code %d, stdout with %q, stderr with %q",
					code, out, errOut, tt.wantCode, tt.wantOut, tt.wantErr)
			}
		})
	}
	for _, name := range []string{"a.zip", "b.zip"} {
		z, err := zip.OpenReader(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		var files []string
		for _, f := range z.File {
			files = append(files, f.Name)
		}
		z.Close()
		if strings.Join(files, " ") != "person.json sammendrag.html" {
			t.Errorf("%s holds %v", name, files)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "d.zip")); !os.IsNotExist(err) {
		t.Error("a failed export left a file")
	}
	after := reports()
	for name, b := range before {
		if !bytes.Equal(after[name], b) {
			t.Errorf("the weekly report %s changed with the erasure:\n%s\n%s", name, b, after[name])
		}
	}
	db := data.NewDB(dbPath)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if list, n, err := data.NewTicketService(db).FindTickets(context.Background(), ticket.TicketFilter{Query: "innbygger1@example.no", Limit: 5}); err != nil || n != 0 || len(list) != 0 {
		t.Fatalf("search after erasure: %d %v", n, err)
	}
}

// generatedAt is the one line of a JSON report that says when it was made.
var generatedAt = regexp.MustCompile(`"generated_at": "[^"]*"`)

// reportContent is what a report file says: the bytes of a CSV file, those of a JSON file but
// for when it was made, and every cell of every sheet of an XLSX file (whose zip records the
// time it was written).
func reportContent(t *testing.T, file string) []byte {
	t.Helper()
	if strings.HasSuffix(file, ".xlsx") {
		f, err := excelize.OpenFile(file)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		var out bytes.Buffer
		for _, sheet := range f.GetSheetList() {
			rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
			if err != nil {
				t.Fatal(err)
			}
			for _, row := range rows {
				if len(row) > 0 && row[0] == "Laget" {
					continue // when the file was made
				}
				fmt.Fprintf(&out, "%s %q\n", sheet, row)
			}
		}
		return out.Bytes()
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return generatedAt.ReplaceAll(b, []byte(`"generated_at": ""`))
}

// zipEntry returns the bytes of one file of a zip.
func zipEntry(t *testing.T, path, name string) []byte {
	t.Helper()
	z, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	for _, f := range z.File {
		if f.Name != name {
			continue
		}
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		b, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	t.Fatalf("%s holds no %s", path, name)
	return nil
}

// personJSON is the person.json of an export without the time it was collected.
func personJSON(t *testing.T, path string) []byte {
	t.Helper()
	return regexp.MustCompile(`"collected_at": "[^"]*"`).ReplaceAll(zipEntry(t, path, "person.json"), nil)
}
