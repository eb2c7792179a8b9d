// Package control lets a second `bot` process reach the running bot.
//
// bbolt locks the database file for one process; while the bot runs,
// `bot backup` and `bot ask` cannot open it. The running bot therefore
// listens on a Unix socket beside the database (PATH.sock, mode 0600) and
// answers those requests itself: one JSON request line, one JSON response
// line.
package control

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"time"

	"newsbot/internal/commands"
	"newsbot/internal/store"
)

// Request is one control request.
type Request struct {
	Op   string `json:"op"`             // "backup" or "ask"
	Path string `json:"path,omitempty"` // backup destination
	Text string `json:"text,omitempty"` // command line to ask
}

// Response answers a Request.
type Response struct {
	Error string          `json:"error,omitempty"`
	Bytes int64           `json:"bytes,omitempty"`
	Reply *commands.Reply `json:"reply,omitempty"`
}

// SocketPath is where the bot for database db listens.
func SocketPath(db string) string { return db + ".sock" }

// Serve answers control requests on the socket until ctx is done.
func Serve(ctx context.Context, st *store.Store, d commands.Dispatcher, log *slog.Logger) error {
	path := SocketPath(st.Path())
	// A socket left by a killed bot is stale: we hold the database lock, so
	// no other bot can be serving it.
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("remove stale control socket: %w", err)
	}
	l, err := net.Listen("unix", path)
	if err != nil {
		return fmt.Errorf("control socket %s: %w", path, err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		l.Close()
		return fmt.Errorf("control socket %s: %w", path, err)
	}
	go func() {
		<-ctx.Done()
		l.Close()
	}()
	defer os.Remove(path)
	for {
		conn, err := l.Accept()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("control socket: %w", err)
		}
		go handle(ctx, conn, st, d, log)
	}
}

func handle(ctx context.Context, conn net.Conn, st *store.Store, d commands.Dispatcher, log *slog.Logger) {
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Minute))
	var req Request
	var resp Response
	if err := json.NewDecoder(bufio.NewReader(conn)).Decode(&req); err != nil {
		resp.Error = "bad control request: " + err.Error()
	} else {
		switch req.Op {
		case "backup":
			n, err := st.BackupFile(ctx, req.Path)
			if err != nil {
				resp.Error = err.Error()
			}
			resp.Bytes = n
		case "ask":
			resp.Reply = d.Dispatch(ctx, &commands.Request{Platform: "cli", User: "cli", Channel: "cli",
				Text: req.Text, IsAdmin: true})
		default:
			resp.Error = fmt.Sprintf("unknown control op %q", req.Op)
		}
	}
	log.Info("control request", "op", req.Op, "error", resp.Error)
	json.NewEncoder(conn).Encode(&resp)
}

// Call sends one request to the bot running on database db.
func Call(ctx context.Context, db string, req Request) (Response, error) {
	var dialer net.Dialer
	conn, err := dialer.DialContext(ctx, "unix", SocketPath(db))
	if err != nil {
		return Response{}, fmt.Errorf("reach the running bot: %w", err)
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	if err := json.NewEncoder(conn).Encode(&req); err != nil {
		return Response{}, fmt.Errorf("send control request: %w", err)
	}
	var resp Response
	if err := json.NewDecoder(conn).Decode(&resp); err != nil {
		return Response{}, fmt.Errorf("read control response: %w", err)
	}
	if resp.Error != "" {
		return resp, errors.New(resp.Error)
	}
	return resp, nil
}
