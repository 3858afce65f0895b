package ticket

import (
	"sort"
	"time"
)

// WeeklyReport is the statistics of one ISO week in Oslo, or of any period (Week is then the
// zero week; see IsPeriod); every field is defined in docs/STATISTICS.md, with «the week» read
// as «the period».
type WeeklyReport struct {
	Week        Week
	From, To    time.Time // Monday 00:00 Oslo, and the next Monday 00:00 (exclusive)
	GeneratedAt time.Time

	New, Resolved, Referred, Reopened int
	OpenAtStart, OpenAtEnd            int
	WithoutResponse                   int
	ResolvedWithoutResponse           int

	FirstResponse DurationStats
	Resolution    DurationStats

	ByAgency       map[string]*Breakdown
	ByChannel      map[Channel]*Breakdown
	ByCounty       map[string]*Breakdown
	ByMunicipality map[string]*Breakdown
	// TopMunicipalities are the ten with the most new tickets (pointers into ByMunicipality).
	TopMunicipalities []*Breakdown
	Referrals         map[string]*ReferralStats

	// What the questions teach (issue 16): the tickets by the topic chosen in the form (NoTopic
	// for mail) and by tag (a ticket under each of its tags), «hull i håndboken», and the
	// handbook's and the requesters' answers (report_topics.go).
	ByTopic      map[string]*Breakdown
	ByTag        map[string]*Breakdown
	HandbookGaps []*HandbookGap
	Feedback     FeedbackStats
	SelfHelp     SelfHelpStats
}

// IsPeriod reports whether r is the report of a period rather than of an ISO week.
func (r *WeeklyReport) IsPeriod() bool { return r.Week == Week{} }

// LastDay is the period's last day (To is the midnight after it), in Oslo.
func (r *WeeklyReport) LastDay() time.Time { return r.To.In(Oslo).AddDate(0, 0, -1) }

// Breakdown is the numbers of one agency, channel, county or municipality.
type Breakdown struct {
	Key, Name                         string
	New, Resolved, Referred, Reopened int
	// OpenAtEnd, FirstResponse and Resolution are filled for agencies only.
	OpenAtEnd     int
	FirstResponse DurationStats
	Resolution    DurationStats
}

// ReferralStats is the referrals to one agency.
type ReferralStats struct {
	Agency         string
	Sent           int
	Answered       int
	AnsweredOfSent int
	OpenAtEnd      int
	AnswerHours    DurationStats
}

// TopMunicipalityCount is how many municipalities the report ranks.
const TopMunicipalityCount = 10

// Sorted returns the breakdowns of m ordered by key, for tables and files.
func Sorted(m map[string]*Breakdown) []*Breakdown {
	list := make([]*Breakdown, 0, len(m))
	for _, b := range m {
		list = append(list, b)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Key < list[j].Key })
	return list
}

// rankMunicipalities picks the top ten by new tickets, ties by number; unknown never ranks.
func rankMunicipalities(m map[string]*Breakdown) []*Breakdown {
	var list []*Breakdown
	for _, b := range m {
		if b.New > 0 && b.Key != UnknownPlace {
			list = append(list, b)
		}
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].New != list[j].New {
			return list[i].New > list[j].New
		}
		return list[i].Key < list[j].Key
	})
	return list[:min(len(list), TopMunicipalityCount)]
}
