package ticket

// Label is the priority as staff read it ("Lav", "Normal", "Høy").
func (p Priority) Label() string {
	switch p {
	case PriorityLow:
		return "Lav"
	case PriorityHigh:
		return "Høy"
	}
	return "Normal"
}

// Label is the channel as staff read it ("E-post", "Skjema").
func (c Channel) Label() string {
	if c == ChannelWeb {
		return "Skjema"
	}
	return "E-post"
}
