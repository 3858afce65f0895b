package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// BenchmarkImportMigration imports 2,000 mails written over two years, in files whose names
// are not in date order, as a migration does: the Date of every file is read first to order
// them, then each mail is stored at its own date (tickets, messages, history, statistics),
// 50 to a commit. One iteration is one whole import into a new database.
func BenchmarkImportMigration(b *testing.B) {
	const n = 2000
	dir := b.TempDir()
	start := time.Date(2024, 1, 1, 8, 0, 0, 0, time.UTC)
	for i := range n {
		at := start.Add(time.Duration(i*7919%n) * 8 * time.Hour) // spread over about two years, out of name order
		extra := "Date: " + at.Format(time.RFC1123Z) + "\r\n"
		if i%4 == 3 { // every fourth answers the question before it (in date order)
			extra += fmt.Sprintf("In-Reply-To: <m%d@hamar.kommune.no>\r\n", (i-1)*7919%n)
		}
		writeMail(b, filepath.Join(dir, fmt.Sprintf("%05d.eml", i)), mailText(fmt.Sprintf("kari%d@hamar.kommune.no", i%40),
			"Kurs", fmt.Sprintf("<m%d@hamar.kommune.no>", i*7919%n), extra))
	}
	for i := 0; b.Loop(); i++ {
		environ := []string{"DIGIHJELPEN_STORAGE_PATH=" + filepath.Join(b.TempDir(), fmt.Sprintf("i%d.db", i))}
		if code := run(context.Background(), []string{"import", dir}, env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard, environ: environ}); code != 0 {
			b.Fatalf("import: code %d", code)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "mails/s")
}
