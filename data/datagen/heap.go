package datagen

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// PeakHeap runs fn and returns the largest heap in use seen while it ran, sampled every 5 ms
// after a garbage collection: what benchmarks of streaming code report to show that memory
// stays flat in the number of rows.
func PeakHeap(fn func()) uint64 {
	runtime.GC()
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var ms runtime.MemStats
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			runtime.ReadMemStats(&ms)
			peak.Store(max(peak.Load(), ms.HeapInuse))
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	fn()
	close(done)
	wg.Wait()
	return peak.Load()
}
