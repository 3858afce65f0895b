package ticket

import "time"

// DurationStats summarises measured times in hours (docs/STATISTICS.md): median and 90th
// percentile, wall-clock and in business hours, rounded to two decimals. With Count 0 the
// figures mean nothing and are shown as empty.
type DurationStats struct {
	Count          int
	Median         float64
	P90            float64
	BusinessMedian float64
	BusinessP90    float64
}

// DurationSamples collects measured times, wall-clock and in business hours.
type DurationSamples struct {
	wall, business []float64
}

// Add measures from start to end.
func (s *DurationSamples) Add(start, end time.Time) {
	s.AddMeasured(Measure(start, end))
}

// AddMeasured adds a time already measured (see Measure).
func (s *DurationSamples) AddMeasured(wall, business time.Duration) {
	s.wall = append(s.wall, wall.Hours())
	s.business = append(s.business, business.Hours())
}

// Measure is the time from start to end, wall-clock and in business hours; a negative time
// (clock trouble in imported history) counts as 0.
func Measure(start, end time.Time) (wall, business time.Duration) {
	return max(end.Sub(start), 0), BusinessDuration(start, end)
}

// Reset empties the samples and keeps their memory, for the next week of a trend.
func (s *DurationSamples) Reset() {
	s.wall, s.business = s.wall[:0], s.business[:0]
}

// Len is the number of samples.
func (s *DurationSamples) Len() int { return len(s.wall) }

// Stats computes the summary. It sorts the samples in place.
func (s *DurationSamples) Stats() DurationStats {
	if len(s.wall) == 0 {
		return DurationStats{}
	}
	return DurationStats{
		Count:          len(s.wall),
		Median:         roundHours(Percentile(s.wall, 0.5)),
		P90:            roundHours(Percentile(s.wall, 0.9)),
		BusinessMedian: roundHours(Percentile(s.business, 0.5)),
		BusinessP90:    roundHours(Percentile(s.business, 0.9)),
	}
}
