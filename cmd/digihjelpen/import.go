package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/ks-no/digihjelpen/mailbridge"
	"github.com/ks-no/digihjelpen/ticket"
)

// importChunk is how many files are parsed together and stored in one commit.
const importChunk = 50

// runImport takes mail in from files the same way intake takes it from IMAP: the same parsing
// and the same transaction per mail (without a checkpoint). It is for migration and for mail
// that reached someone's own mailbox, so it sends no acknowledgements unless asked to, and it
// keeps each mail's own time: the files are read in the order of their Date headers, and each
// ticket and message is stored as having come at its Date, so the statistics count old mail in
// its own weeks (IMAP intake stamps mail with the time it arrives).
func runImport(ctx context.Context, args []string, e env) error {
	fs, configPath := newFlags("import", e)
	ack := fs.Bool("ack", false, "send acknowledgements to the senders of new tickets, as intake from IMAP does")
	paths, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		return fmt.Errorf("%w: import needs at least one FILE.eml or DIR", errUsage)
	}
	files, err := mailFiles(e.fs(), paths)
	if err != nil {
		return err
	}
	a, err := openApp(*configPath, e)
	if err != nil {
		return err
	}
	defer a.Close()
	in := newIntake(a, *ack)
	in.KeepDate = true
	sum, err := importFiles(cliContext(ctx), in, e.fs(), byDate(e.fs(), files), e.stderr)
	fmt.Fprintln(e.stdout, sum.String())
	if err != nil {
		return err
	}
	if sum.unreadable > 0 {
		return fmt.Errorf("%d filer kunne ikke leses (se over)", sum.unreadable)
	}
	return nil
}

// mailFiles lists the mail files named by paths: a file as it is, a folder searched for .eml
// files and for the files of Maildir folders (cur, new). A path that does not exist stops the
// import before anything is stored.
func mailFiles(cf callerFiles, paths []string) ([]string, error) {
	var files []string
	for _, p := range paths {
		info, err := cf.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("finner ikke «%s»", p)
		}
		if !info.IsDir() {
			files = append(files, p)
			continue
		}
		all, err := cf.Walk(p)
		if err != nil {
			return nil, fmt.Errorf("les mappen «%s»: %w", p, err)
		}
		var found []string
		for _, path := range all {
			name, dir := filepath.Base(path), filepath.Base(filepath.Dir(path))
			if !strings.HasPrefix(name, ".") && (strings.HasSuffix(strings.ToLower(name), ".eml") || dir == "cur" || dir == "new") {
				found = append(found, path)
			}
		}
		slices.Sort(found)
		files = append(files, found...)
	}
	return files, nil
}

// importSummary counts what became of the files.
type importSummary struct {
	files, unreadable int
	outcomes          map[ticket.IntakeOutcome]int
	undated           map[ticket.DateFallback]int // mails stored at the time of import, and why
}

func (s importSummary) String() string {
	line := fmt.Sprintf("Ferdig: %d e-poster: %d nye saker, %d lagt til i saker, %d duplikater, %d i karantene.",
		s.files-s.unreadable, s.outcomes[ticket.IntakeCreated], s.outcomes[ticket.IntakeAppended],
		s.outcomes[ticket.IntakeDuplicate], s.outcomes[ticket.IntakeQuarantined])
	var why []string
	n := 0
	for _, f := range []ticket.DateFallback{ticket.DateMissing, ticket.DateUnreadable, ticket.DateFuture} {
		if c := s.undated[f]; c > 0 {
			why = append(why, fmt.Sprintf("%s (%d)", f.Label(), c))
			n += c
		}
	}
	if n == 0 {
		return line
	}
	list := strings.Join(why[:len(why)-1], ", ")
	if list != "" {
		list += " eller "
	}
	mails, they := "e-poster", "de"
	if n == 1 {
		mails, they = "e-post", "den"
	}
	return fmt.Sprintf("%s\n%d %s er lagret med tidspunktet for innlesingen fordi %s %s%s.", line, n, mails, they, list, why[len(why)-1])
}

// importFiles stores the files in chunks, with a progress line on w.
func importFiles(ctx context.Context, in *mailbridge.Intake, cf callerFiles, files []string, w io.Writer) (importSummary, error) {
	sum := importSummary{files: len(files), outcomes: map[ticket.IntakeOutcome]int{}, undated: map[ticket.DateFallback]int{}}
	last := time.Time{}
	for start := 0; start < len(files); start += importChunk {
		var batch []mailbridge.Incoming
		for _, f := range files[start:min(start+importChunk, len(files))] {
			inc, err := readMailFile(cf, f, in.MaxMessageBytes)
			if err != nil {
				sum.unreadable++
				fmt.Fprintf(w, "\nKunne ikke lese %s: %v\n", f, err)
				continue
			}
			batch = append(batch, inc)
		}
		results, err := in.Take(ctx, batch)
		for _, r := range results {
			sum.outcomes[r.Outcome]++
			if r.Undated != "" {
				sum.undated[r.Undated]++
			}
		}
		if err != nil {
			return sum, fmt.Errorf("lagre e-post: %w", err)
		}
		done := min(start+importChunk, len(files))
		if time.Since(last) > 200*time.Millisecond || done == len(files) {
			fmt.Fprintf(w, "\rLeser inn: %d av %d filer", done, len(files))
			last = time.Now()
		}
	}
	if len(files) > 0 {
		fmt.Fprintln(w)
	}
	return sum, nil
}

// byDate orders mail files by the Date in their headers, so a question is stored before the
// answers to it and a thread is put together as it was written. Files without a date that can
// be read come last, in the order given: they are stored at the time of import.
func byDate(cf callerFiles, files []string) []string {
	type dated struct {
		path string
		at   time.Time
		ok   bool
	}
	list := make([]dated, len(files))
	for i, f := range files {
		list[i] = dated{path: f}
		if head, err := readHead(cf, f); err == nil {
			list[i].at, list[i].ok = mailbridge.HeaderDate(head)
		}
	}
	slices.SortStableFunc(list, func(a, b dated) int {
		switch {
		case a.ok && b.ok:
			return a.at.Compare(b.at)
		case a.ok:
			return -1
		case b.ok:
			return 1
		}
		return 0
	})
	out := make([]string, len(list))
	for i, d := range list {
		out[i] = d.path
	}
	return out
}

// readHead reads the start of a file, where a mail's header is.
func readHead(cf callerFiles, path string) ([]byte, error) {
	f, err := cf.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, 64<<10))
}

// headOfLarge is how much of a file over the size limit is read: enough for its header, which
// is all that is kept of it.
const headOfLarge = 256 << 10

func readMailFile(cf callerFiles, path string, limit int64) (mailbridge.Incoming, error) {
	inc := mailbridge.Incoming{Source: "import " + filepath.Base(path)}
	f, err := cf.Open(path)
	if err != nil {
		return inc, errors.Unwrap(err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return inc, err
	}
	inc.Size = info.Size()
	n := info.Size()
	if limit > 0 && n > limit {
		n = headOfLarge
	}
	inc.Raw, err = io.ReadAll(io.LimitReader(f, n))
	return inc, err
}
