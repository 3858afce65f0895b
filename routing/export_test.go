package routing

import "github.com/ks-no/digihjelpen/ticket"

// SetMarkSubject turns the model's terms for the words of the subject on or off, for the tests
// that compare model features; it returns the setting before.
func SetMarkSubject(on bool) bool {
	before := markSubject
	markSubject = on
	return before
}

// RouteWithModel is the decision of the rules with the model (nil: none) as Admin.Route makes
// it in mode "route", for the tests that measure the combination.
func (rs *RuleSet) RouteWithModel(t *ticket.Ticket, first *ticket.Message, m *Model, threshold float64) ticket.Decision {
	return rs.decide(t, first, m, threshold).d
}

// SetFirmFrom sets the weakest grip that stands against the model (combine.go; an index into
// Grips: 1 lets the model overrule only where no rule chose) and returns the one before.
func SetFirmFrom(g int) int {
	before := firmFrom
	firmFrom = grip(g)
	return int(before)
}

// Grips are the grips by name, weakest first, for the grid of TestCombinationGrid.
var Grips = []string{"none", "history", "condition", "topic-text", "named-text", "topic-question",
	"named-question", "service-text", "service-contested", "service", "forced"}

// SetWordFeatures sets the model's terms for words it has not met (model_grams.go): the
// lengths of the character n-grams (none: off), their weight, and whether a decision splits
// compounds. It returns a function that restores the settings before.
func SetWordFeatures(sizes []int, scale float64, split bool) (restore func()) {
	s, sc, d := gramSizes, gramScale, decompound
	gramSizes, gramScale, decompound = sizes, scale, split
	return func() { gramSizes, gramScale, decompound = s, sc, d }
}

// SetTemperature sets the temperature of the model's confidence (learn.Options) and returns
// the one before.
func SetTemperature(t float64) float64 {
	before := modelOptions.Temperature
	modelOptions.Temperature = t
	return before
}

// SetUnroutedThreshold sets the model's threshold where the rules chose on no more than grip
// upTo (an index into Grips; 0: no rule) and returns a function that restores the one before.
func SetUnroutedThreshold(threshold float64, upTo int) (restore func()) {
	th, g := unroutedThreshold, unroutedUpTo
	unroutedThreshold, unroutedUpTo = threshold, grip(upTo)
	return func() { unroutedThreshold, unroutedUpTo = th, g }
}
