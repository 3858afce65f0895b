package main

// user is a person who can sign in with the authorization-code flow.
type user struct {
	email, name string
	groups      []string
}

// testPassword is every user's password.
const testPassword = "passord"

// users are the fixed people of the SSO tests, one per role and one outside every group. The
// subject (sub) of a user is the email address.
var users = map[string]user{
	"admin@ks.test":   {"admin@ks.test", "Ada Admin", []string{"dh-admins"}},
	"agent@ks.test":   {"agent@ks.test", "Agnes Agent", []string{"dh-agents"}},
	"leser@ks.test":   {"leser@ks.test", "Leif Leser", []string{"dh-lesere"}},
	"utenfor@ks.test": {"utenfor@ks.test", "Ulla Utenfor", []string{}},
}
