package routing

// SetMarkSubject turns the model's terms for the words of the subject on or off, for the tests
// that compare model features; it returns the setting before.
func SetMarkSubject(on bool) bool {
	before := markSubject
	markSubject = on
	return before
}
