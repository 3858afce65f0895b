package mailbridge_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ks-no/digihjelpen/mailbridge"
)

// largeMail is a mail of size bytes as a person sends it: a letter, and a scanned document
// (random bytes: nothing compresses) as a base64 attachment that takes the rest.
func largeMail(size int) []byte {
	var b bytes.Buffer
	b.WriteString("From: Kari Nordmann <kari@hamar.kommune.no>\r\nTo: kontakt@digihjelpen.test\r\nSubject: Skannet søknad\r\n" +
		"Message-ID: <stor-" + fmt.Sprint(rand.Int64()) + "@hamar.kommune.no>\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed; boundary=\"grense\"\r\n\r\n--grense\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
		"Hei! Her er søknaden skannet, som dere ba om.\r\n\r\n--grense\r\nContent-Type: application/pdf; name=\"soknad.pdf\"\r\n" +
		"Content-Disposition: attachment; filename=\"soknad.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	left := size - b.Len() - len("\r\n--grense--\r\n")
	doc := make([]byte, left/78*57) // 76 characters and CRLF per line of base64
	for i := range doc {
		doc[i] = byte(rand.Uint32())
	}
	enc := base64.StdEncoding.EncodeToString(doc)
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n--grense--\r\n")
	return b.Bytes()
}

// memoryPeak samples what read returns every 200 µs while it runs, without stopping the
// world; stop returns the highest.
func memoryPeak(read func() uint64) (stop func() uint64) {
	var peak atomic.Uint64
	done, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(200 * time.Microsecond)
		defer t.Stop()
		for {
			if v := read(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 {
		close(done)
		<-finished
		return max(peak.Load(), read())
	}
}

// heapObjects is the bytes of heap objects, live and not yet swept.
func heapObjects() uint64 { return readMetric("/memory/classes/heap/objects:bytes") }

// memoryInUse is the memory the Go runtime holds and has not given back: what GOMEMLIMIT
// limits, and most of the process's resident memory.
func memoryInUse() uint64 {
	return readMetric("/memory/classes/total:bytes") - readMetric("/memory/classes/heap/released:bytes")
}

func readMetric(name string) uint64 {
	sample := []metrics.Sample{{Name: name}}
	metrics.Read(sample)
	return sample[0].Value.Uint64()
}

// BenchmarkLargeMailHeap takes in one mail at imap.max_message_bytes (25 MB, an 18 MB
// attachment) as IMAP intake does once it has fetched it: the fetched bytes, parsed and stored
// with their ticket. It reports the most memory above idle (taken before the mail was fetched)
// as a multiple of the mail's size:
//
//   - x-mail: heap objects with the garbage collector as the server runs it by default
//     (GOGC=100), garbage not yet collected included;
//   - x-mail-limited: memory in use with GOMEMLIMIT at the idle memory and twice the mail as
//     the only thing that makes the collector run: it collects as often as it must to stay
//     under the limit, so what goes above it is what is held at once. Target: 2.
func BenchmarkLargeMailHeap(b *testing.B) {
	const size = 25 << 20
	template := largeMail(size)
	for _, mode := range []struct {
		unit    string
		read    func() uint64
		limited bool
	}{{"x-mail", heapObjects, false}, {"x-mail-limited", memoryInUse, true}} {
		b.Run(mode.unit, func(b *testing.B) {
			var worst float64
			for b.Loop() {
				b.StopTimer()
				s := newStore(b)
				in := s.mailbridge()
				in.MaxMessageBytes = size + 1
				mail := bytes.Replace(template, []byte("<stor-"), []byte(fmt.Sprintf("<stor-%d-", rand.Int64())), 1)
				oldLimit := debug.SetMemoryLimit(-1)
				oldPercent := debug.SetGCPercent(100)
				if mode.limited {
					debug.SetGCPercent(-1)
				}
				debug.FreeOSMemory() // a full collection, and the free memory given back
				idle := mode.read()
				if mode.limited {
					debug.SetMemoryLimit(int64(idle + 2*uint64(len(mail))))
				}
				b.StartTimer()
				stop := memoryPeak(mode.read)
				fetched := bytes.Clone(mail) // what the IMAP client hands over
				results, err := in.Take(context.Background(), []mailbridge.Incoming{{Raw: fetched, Source: "bench"}})
				peak := stop()
				b.StopTimer()
				debug.SetMemoryLimit(oldLimit)
				debug.SetGCPercent(oldPercent)
				if err != nil || len(results) != 1 || results[0].Outcome != "created" {
					b.Fatalf("take: %v %+v", err, results)
				}
				worst = max(worst, float64(peak-idle)/float64(len(mail)))
				runtime.KeepAlive(fetched)
				b.StartTimer()
			}
			b.ReportMetric(worst, mode.unit)
		})
	}
}
