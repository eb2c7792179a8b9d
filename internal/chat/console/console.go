package console

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"sync"

	"newsbot/internal/commands"
	"newsbot/internal/notify"
)

// Console reads commands and writes replies. The console user is the
// bot's operator, hence an admin.
type Console struct {
	in          io.Reader
	out         io.Writer
	interactive bool
	user        string
	d           commands.Dispatcher
	mu          sync.Mutex // replies and alerts never interleave
}

// New returns a console on in and out. Interactive shows a prompt and a
// greeting (stdin is a terminal); otherwise commands are read line by line
// from a pipe and only replies are written.
func New(in io.Reader, out io.Writer, interactive bool, user string, d commands.Dispatcher) *Console {
	return &Console{in: in, out: out, interactive: interactive, user: user, d: d}
}

// Run answers commands until the input ends, `quit` or `exit`, or ctx is
// done. Blank lines and lines starting with # are skipped; a leading / or !
// is allowed, as chat users type them.
func (c *Console) Run(ctx context.Context) error {
	lines := make(chan string)
	errc := make(chan error, 1)
	go func() {
		sc := bufio.NewScanner(c.in)
		sc.Buffer(make([]byte, 64*1024), 16<<20) // pasted articles are long lines
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			case <-ctx.Done():
				return
			}
		}
		errc <- sc.Err()
		close(lines)
	}()
	if c.interactive {
		c.write("newsbot console — type `help` for commands, `quit` to leave.\n")
	}
	for {
		c.prompt()
		select {
		case <-ctx.Done():
			return nil
		case line, ok := <-lines:
			if !ok {
				if err := <-errc; err != nil {
					return fmt.Errorf("read commands: %w", err)
				}
				return nil
			}
			line = strings.TrimSpace(line)
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			line = strings.TrimLeft(line, "/!")
			if line == "quit" || line == "exit" {
				return nil
			}
			reply := c.d.Dispatch(ctx, &commands.Request{Platform: "console", User: c.user, Channel: "console",
				Text: line, IsAdmin: true})
			c.mu.Lock()
			err := Render(c.out, reply)
			if err == nil && !c.interactive {
				_, err = io.WriteString(c.out, "\n")
			}
			c.mu.Unlock()
			if err != nil {
				return fmt.Errorf("write reply: %w", err)
			}
		}
	}
}

func (c *Console) prompt() {
	if c.interactive {
		c.write("\nnewsbot> ")
	}
}

func (c *Console) write(s string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	io.WriteString(c.out, s)
}

// Notifier prints alerts on the console.
func (c *Console) Notifier() notify.Notifier {
	return notify.Func(func(ctx context.Context, a notify.Alert) error {
		c.mu.Lock()
		defer c.mu.Unlock()
		if err := RenderAlert(c.out, a); err != nil {
			return err
		}
		_, err := io.WriteString(c.out, "\n")
		return err
	})
}
