package data

// The live inbox asks, every few seconds for every open inbox, whether anything changed. The
// answer must cost nothing when nothing did, so it is a counter in memory that every commit
// which wrote or deleted a ticket moves on, never a read of the file.

// ticketChanged moves the change counter on when this transaction commits (once, however many
// tickets it writes).
func (tx *Tx) ticketChanged() {
	if tx.changed {
		return
	}
	tx.changed = true
	db := tx.db
	tx.OnCommit(func() { db.changes.Add(1) })
}

// TicketsChanged counts the commits that changed a ticket since the database was opened: a
// different number means the inbox may look different.
func (db *DB) TicketsChanged() uint64 { return db.changes.Load() }
