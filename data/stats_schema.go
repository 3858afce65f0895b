package data

import (
	"encoding/binary"
	"fmt"
	"time"

	"github.com/ks-no/digihjelpen/ticket"
)

// The statistics keep, beside every ticket, what the weekly report counts (docs/STATISTICS.md):
// the ticket's StatsTicket, its facts indexed by kind and time, and per-week counters from which
// the backlog at any week's end is a sum over at most a few hundred keys. All are changed in the
// same transaction as the ticket and its events (putTicket, addEventAt), and Verify rebuilds them
// from the tickets and events and compares.
var (
	bucketStatsTickets = []byte("stats_tickets")   // ticket id -> statsRecord
	idxStatsFacts      = []byte("idx_stats_facts") // kind|time|ticket id|seq -> fact value
	bucketStatsCounts  = []byte("stats_counts")    // kind|ISO year|week|agency -> number of facts
	bucketStatsNames   = []byte("stats_names")     // "m"|number or "c"|number -> display name
	bucketStatsMail    = []byte("stats_mail")      // "2026-W47" -> outbox id|queued at: the weekly mail went out
)

func init() {
	registerBuckets(bucketStatsTickets, idxStatsFacts, bucketStatsCounts, bucketStatsNames, bucketStatsMail)
}

// factKey is kind|time|ticket id|seq: a week of one kind is one range.
func factKey(f *ticket.Fact) []byte {
	k := make([]byte, 0, 19)
	k = append(k, byte(f.Kind))
	k = append(k, timeKey(f.At)...)
	k = binary.BigEndian.AppendUint64(k, f.TicketID)
	return binary.BigEndian.AppendUint16(k, uint16(f.Seq))
}

// factRangeNanos is the first and the after-last key of kind in [from, to) (unix nanoseconds).
func factRangeNanos(kind ticket.FactKind, from, to int64) (lo, hi []byte) {
	return append([]byte{byte(kind)}, u64(uint64(from))...), append([]byte{byte(kind)}, u64(uint64(to))...)
}

// factValueVersion starts every fact value, so the layout can change with a rebuild. Version 2
// added the topic, the tags and whether an article was linked (schema 13).
const factValueVersion = 2

// encodeFact is the value of a fact's key: what the report needs, in a compact binary form
// (there are a few million of these at a million tickets, and a week reads tens of thousands).
func encodeFact(f *ticket.Fact) []byte {
	b := make([]byte, 0, 48)
	b = append(b, factValueVersion)
	b = binary.AppendVarint(b, int64(f.Wall)) // first: the trend reads only these two
	b = binary.AppendVarint(b, int64(f.Business))
	for _, s := range []string{f.Agency, string(f.Channel), f.Municipality, f.County} {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	b = binary.AppendVarint(b, nanos(f.Start))
	b = binary.AppendVarint(b, nanos(f.Answered))
	b = append(b, flag(f.Responded), flag(f.ArticleLinked))
	b = binary.AppendUvarint(b, uint64(len(f.Category)))
	b = append(b, f.Category...)
	b = binary.AppendUvarint(b, uint64(len(f.Tags)))
	for _, t := range f.Tags {
		b = binary.AppendUvarint(b, uint64(len(t)))
		b = append(b, t...)
	}
	return b
}

func flag(v bool) byte {
	if v {
		return 1
	}
	return 0
}

// factNames interns the strings of the facts a scan decodes: agencies, channels, places, topics
// and tag lists come from small sets, and a period's hundreds of thousands of facts would
// otherwise allocate each of them anew.
type factNames struct {
	strs map[string]string
	tags map[string][]string
}

func newFactNames() *factNames {
	return &factNames{strs: map[string]string{}, tags: map[string][]string{}}
}

// decodeFact fills f from a key and its value; names (nil: none) interns its strings, so the
// tag list f gets may be shared and must not be changed.
func decodeFact(k, v []byte, f *ticket.Fact, names *factNames) error {
	if len(k) != 19 || len(v) < 1 || v[0] != factValueVersion {
		return fmt.Errorf("fact %x: bad key or value version", k)
	}
	f.Kind = ticket.FactKind(k[0])
	f.At = fromNanos(int64(binary.BigEndian.Uint64(k[1:9])))
	f.TicketID = binary.BigEndian.Uint64(k[9:17])
	f.Seq = int(binary.BigEndian.Uint16(k[17:19]))
	r := factReader{b: v[1:], names: names}
	f.Wall = time.Duration(r.varint())
	f.Business = time.Duration(r.varint())
	f.Agency = r.str()
	f.Channel = ticket.Channel(r.str())
	f.Municipality = r.str()
	f.County = r.str()
	f.Start = fromNanos(r.varint())
	f.Answered = fromNanos(r.varint())
	f.Responded = r.byte() == 1
	f.ArticleLinked = r.byte() == 1
	f.Category = r.str()
	f.Tags = r.tags()
	if r.err {
		return fmt.Errorf("fact %x: truncated value", k)
	}
	return nil
}

type factReader struct {
	b     []byte
	err   bool
	names *factNames
}

func (r *factReader) str() string {
	n, w := binary.Uvarint(r.b)
	if w <= 0 || uint64(len(r.b)-w) < n {
		r.err = true
		return ""
	}
	raw := r.b[w : w+int(n)]
	r.b = r.b[w+int(n):]
	if r.names == nil {
		return string(raw)
	}
	if s, ok := r.names.strs[string(raw)]; ok { // the lookup does not allocate
		return s
	}
	s := string(raw)
	r.names.strs[s] = s
	return s
}

// tags reads the count and the tags that end a fact's value.
func (r *factReader) tags() []string {
	start := r.b
	n := r.uvarint()
	if n > uint64(len(r.b)) { // each tag takes at least a byte
		r.err = true
	}
	if n == 0 || r.err {
		return nil
	}
	if r.names != nil {
		if list, ok := r.names.tags[string(start)]; ok {
			r.b = r.b[len(r.b):]
			return list
		}
	}
	list := make([]string, 0, n)
	for i := uint64(0); i < n && !r.err; i++ {
		list = append(list, r.str())
	}
	if r.names != nil && !r.err && len(r.b) == 0 {
		r.names.tags[string(start)] = list
	}
	return list
}

func (r *factReader) uvarint() uint64 {
	n, w := binary.Uvarint(r.b)
	if w <= 0 {
		r.err = true
		return 0
	}
	r.b = r.b[w:]
	return n
}

func (r *factReader) varint() int64 {
	n, w := binary.Varint(r.b)
	if w <= 0 {
		r.err = true
		return 0
	}
	r.b = r.b[w:]
	return n
}

func (r *factReader) byte() byte {
	if len(r.b) == 0 {
		r.err = true
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

// nanos is t in unix nanoseconds, 0 for the zero time.
func nanos(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func fromNanos(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

// countKey of a fact: kind|ISO year|week|agency. The week is the fact's Oslo week.
func statsCountKey(kind ticket.FactKind, w ticket.Week, agency string) []byte {
	k := make([]byte, 0, 4+len(agency))
	k = append(k, byte(kind))
	k = binary.BigEndian.AppendUint16(k, uint16(w.Year))
	k = append(k, byte(w.Week))
	return append(k, agency...)
}

// parseStatsCountKey splits a counter key.
func parseStatsCountKey(k []byte) (ticket.FactKind, ticket.Week, string) {
	if len(k) < 4 {
		return 0, ticket.Week{}, ""
	}
	return ticket.FactKind(k[0]), ticket.Week{Year: int(binary.BigEndian.Uint16(k[1:3])), Week: int(k[3])}, string(k[4:])
}

// factSpan reads only the time, ticket and measured durations of a fact, without allocating:
// the trend reads hundreds of thousands of them and needs nothing else.
func factSpan(k, v []byte) (at int64, id uint64, wall, business time.Duration, ok bool) {
	if len(k) != 19 || len(v) < 1 || v[0] != factValueVersion {
		return 0, 0, 0, 0, false
	}
	r := factReader{b: v[1:]}
	wall, business = time.Duration(r.varint()), time.Duration(r.varint())
	return int64(binary.BigEndian.Uint64(k[1:9])), binary.BigEndian.Uint64(k[9:17]), wall, business, !r.err
}
