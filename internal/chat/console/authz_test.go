package console

import (
	"context"
	"strings"
	"testing"
	"time"

	"newsbot/internal/authztest"
)

// The console's user is the bot's operator, on the bot's own host: every
// console request is an admin's, so the table's admin rows are the ones
// that apply here (there is no non-admin console user to refuse).
func TestAuthorizationTable(t *testing.T) {
	for _, c := range authztest.Cases() {
		t.Run(c.Name, func(t *testing.T) {
			b := authztest.NewBot(t)
			var out strings.Builder
			con := New(strings.NewReader("/"+c.Line+"\n"), &out, false, "operator", b)
			if err := con.Run(context.Background()); err != nil {
				t.Fatal(err)
			}
			r := b.Next(t, time.Second)
			b.Check(t, c, true, r)
			if strings.Contains(out.String(), "admins only") || out.Len() == 0 {
				t.Errorf("console output:\n%s", out.String())
			}
		})
	}
}
