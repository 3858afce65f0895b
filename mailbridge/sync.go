package mailbridge

import (
	"context"
	"fmt"
	"io"
	"slices"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/ks-no/digihjelpen/ticket"
)

// sync brings the mailbox up to date. Mails at or below the checkpoint are stored already but
// were not moved (the process stopped between commit and move): they are moved now. Mails
// above it are fetched, stored and moved, in batches. When UIDVALIDITY has changed, every mail
// in the mailbox is read again; storage skips what it has by Message-ID.
func (p *Poller) sync(ctx context.Context, c *imapclient.Client, validity uint32) error {
	cp, err := p.Intake.Store.Checkpoint(ctx, p.Mailbox)
	if err != nil {
		return fmt.Errorf("read checkpoint: %w", err)
	}
	last := imap.UID(cp.UID)
	if cp.UIDValidity != validity {
		if cp.UIDValidity != 0 {
			p.Logger.Warn("imap UIDVALIDITY changed; reading the whole mailbox again", "mailbox", p.Mailbox, "was", cp.UIDValidity, "now", validity)
		}
		last = 0
	}
	found, err := c.UIDSearch(&imap.SearchCriteria{}, nil).Wait()
	if err != nil {
		return fmt.Errorf("search %s: %w", p.Mailbox, err)
	}
	var stored, todo []imap.UID
	for _, uid := range found.AllUIDs() {
		if uid <= last {
			stored = append(stored, uid)
		} else {
			todo = append(todo, uid)
		}
	}
	slices.Sort(todo)
	if len(stored) > 0 {
		p.Logger.Info("imap moving mail stored before", "count", len(stored))
		if err := p.finish(c, stored); err != nil {
			return err
		}
	}
	if len(todo) == 0 {
		return nil
	}
	sizes, err := p.sizes(c, todo)
	if err != nil {
		return err
	}
	for len(todo) > 0 && ctx.Err() == nil {
		n := p.batchLen(todo, sizes)
		if err := p.batch(ctx, c, validity, todo[:n], sizes); err != nil {
			return err
		}
		todo = todo[n:]
	}
	return nil
}

// sizes asks the server for the size of each mail, so large ones are never fetched whole.
func (p *Poller) sizes(c *imapclient.Client, uids []imap.UID) (map[imap.UID]int64, error) {
	msgs, err := c.Fetch(imap.UIDSetNum(uids...), &imap.FetchOptions{UID: true, RFC822Size: true}).Collect()
	if err != nil {
		return nil, fmt.Errorf("fetch sizes: %w", err)
	}
	sizes := make(map[imap.UID]int64, len(msgs))
	for _, m := range msgs {
		sizes[m.UID] = m.RFC822Size
	}
	return sizes, nil
}

// batchLen is how many of uids go in the next batch: up to BatchSize, and up to batchBytes
// unless the first mail alone is larger.
func (p *Poller) batchLen(uids []imap.UID, sizes map[imap.UID]int64) int {
	total := int64(0)
	for i, uid := range uids {
		if i == p.BatchSize || (i > 0 && total+p.fetchSize(sizes[uid]) > batchBytes) {
			return i
		}
		total += p.fetchSize(sizes[uid])
	}
	return len(uids)
}

// fetchSize is what fetching a mail costs: nothing much when only its header is fetched.
func (p *Poller) fetchSize(size int64) int64 {
	if p.tooLarge(size) {
		return 64 << 10
	}
	return size
}

func (p *Poller) tooLarge(size int64) bool {
	return p.Intake.MaxMessageBytes > 0 && size > p.Intake.MaxMessageBytes
}

// batch fetches, stores and moves a few mails. The commit runs to its end even when ctx is
// cancelled meanwhile (a shutdown finishes the mails in hand); mails fetched but not yet handed
// over are left for the next start.
func (p *Poller) batch(ctx context.Context, c *imapclient.Client, validity uint32, uids []imap.UID, sizes map[imap.UID]int64) error {
	raws, err := p.fetch(c, uids, sizes)
	if err != nil {
		return err
	}
	if ctx.Err() != nil {
		return nil
	}
	var batch []Incoming
	for _, uid := range uids {
		raw, ok := raws[uid]
		if !ok {
			continue // expunged by someone else since the search: there is nothing to store
		}
		batch = append(batch, Incoming{Raw: raw, Size: sizes[uid], Source: fmt.Sprintf("IMAP %s uid %d", p.Mailbox, uid),
			Checkpoint: &ticket.Checkpoint{Mailbox: p.Mailbox, UIDValidity: validity, UID: uint32(uid)}})
	}
	results, err := p.Intake.Take(context.WithoutCancel(ctx), batch)
	p.logResults(results)
	if err != nil {
		return fmt.Errorf("store mail: %w", err)
	}
	if p.afterCommit != nil {
		if err := p.afterCommit(); err != nil {
			return err
		}
	}
	return p.finish(c, uids)
}

// fetch gets the mails without setting \Seen (BODY.PEEK); of a mail over the size limit only
// the header.
func (p *Poller) fetch(c *imapclient.Client, uids []imap.UID, sizes map[imap.UID]int64) (map[imap.UID][]byte, error) {
	var whole, heads []imap.UID
	for _, uid := range uids {
		if p.tooLarge(sizes[uid]) {
			heads = append(heads, uid)
		} else {
			whole = append(whole, uid)
		}
	}
	raws := make(map[imap.UID][]byte, len(uids))
	for _, part := range []struct {
		uids    []imap.UID
		section *imap.FetchItemBodySection
	}{
		{whole, &imap.FetchItemBodySection{Peek: true}},
		{heads, &imap.FetchItemBodySection{Peek: true, Specifier: imap.PartSpecifierHeader}},
	} {
		if len(part.uids) == 0 {
			continue
		}
		cmd := c.Fetch(imap.UIDSetNum(part.uids...), &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{part.section}})
		err := readFetched(cmd, raws, p.Intake.MaxMessageBytes)
		if closeErr := cmd.Close(); err == nil {
			err = closeErr
		}
		if err != nil {
			return nil, fmt.Errorf("fetch mail: %w", err)
		}
	}
	return raws, nil
}

// readFetched reads the body of every fetched mail into raws by UID, each into one buffer of
// the size the server announces. The client's Collect reads a body with io.ReadAll, which
// grows its buffer a quarter at a time: a 25 MB mail made some 100 MB of garbage on its way in.
func readFetched(cmd *imapclient.FetchCommand, raws map[imap.UID][]byte, limit int64) error {
	for msg := cmd.Next(); msg != nil; msg = cmd.Next() {
		var uid imap.UID
		var raw []byte
		for item := msg.Next(); item != nil; item = msg.Next() {
			switch it := item.(type) {
			case imapclient.FetchItemDataUID:
				uid = it.UID
			case imapclient.FetchItemDataBodySection:
				if it.Literal == nil {
					continue
				}
				var err error
				if raw, err = readLiteral(it.Literal, limit); err != nil {
					return fmt.Errorf("read mail: %w", err)
				}
			}
		}
		if uid != 0 && raw != nil {
			raws[uid] = raw
		}
	}
	return nil
}

// readLiteral reads a literal whole into a buffer of its size. A size well over the limit (the
// mail was fetched whole because the server gave a smaller size before) is not trusted with one
// allocation: it is read as it comes, as before.
func readLiteral(lit imap.LiteralReader, limit int64) ([]byte, error) {
	size := lit.Size()
	if size < 0 || (limit > 0 && size > limit+(1<<20)) {
		return io.ReadAll(lit)
	}
	raw := make([]byte, size)
	if _, err := io.ReadFull(lit, raw); err != nil {
		return nil, err
	}
	return raw, nil
}

// finish flags stored mail \Seen and moves it to the processed mailbox (MOVE, or COPY, STORE
// \Deleted and EXPUNGE on servers without it).
func (p *Poller) finish(c *imapclient.Client, uids []imap.UID) error {
	set := imap.UIDSetNum(uids...)
	if err := c.Store(set, &imap.StoreFlags{Op: imap.StoreFlagsAdd, Flags: []imap.Flag{imap.FlagSeen}, Silent: true}, nil).Close(); err != nil {
		return fmt.Errorf("flag stored mail \\Seen: %w", err)
	}
	if _, err := c.Move(set, p.ProcessedMailbox).Wait(); err != nil {
		return fmt.Errorf("move stored mail to %s: %w", p.ProcessedMailbox, err)
	}
	return nil
}

// logResults logs what became of a batch, by counts and ticket references only (no addresses
// or subjects: personal data stays out of logs).
func (p *Poller) logResults(results []ticket.IntakeResult) {
	counts := map[ticket.IntakeOutcome]int{}
	for _, r := range results {
		counts[r.Outcome]++
		if r.Outcome == ticket.IntakeQuarantined {
			p.Logger.Info("mail quarantined", "quarantine_id", r.QuarantineID, "reason", r.Reason)
		} else if r.Outcome != ticket.IntakeDuplicate {
			p.Logger.Debug("mail stored", "ref", r.Ref.String(), "outcome", r.Outcome)
		}
	}
	if len(results) > 0 {
		p.Logger.Info("imap intake", "mailbox", p.Mailbox, "created", counts[ticket.IntakeCreated], "appended", counts[ticket.IntakeAppended],
			"duplicates", counts[ticket.IntakeDuplicate], "quarantined", counts[ticket.IntakeQuarantined])
	}
}
