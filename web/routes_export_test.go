package web

// RouteLine is one line of the route table as the tests outside the package read it.
type RouteLine struct {
	Method, Path, Access, Feature string
}

// RouteTable returns the server's route table in order (after Open).
func (s *Server) RouteTable() []RouteLine {
	var lines []RouteLine
	for _, r := range s.routeTable() {
		lines = append(lines, RouteLine{Method: r.method, Path: r.path, Access: r.access.String(), Feature: featureNames[r.feature]})
	}
	return lines
}
