package matrix

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// dendriteBin is where .ci/dendrite.sh put the Dendrite binaries. Without
// it the integration tests skip, except in CI, where they fail.
func dendriteBin(t *testing.T) string {
	t.Helper()
	bin := os.Getenv("NEWSBOT_DENDRITE_BIN")
	if bin == "" {
		msg := "NEWSBOT_DENDRITE_BIN is not set: run `export NEWSBOT_DENDRITE_BIN=$(.ci/dendrite.sh)` to test against a real Dendrite homeserver"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg + " (CI=true: the Matrix integration tests must run)")
		}
		t.Skip(msg)
	}
	for _, tool := range []string{"dendrite", "generate-config", "generate-keys"} {
		if _, err := os.Stat(filepath.Join(bin, tool)); err != nil {
			t.Fatalf("NEWSBOT_DENDRITE_BIN=%s: %v", bin, err)
		}
	}
	return bin
}

// dendrite is a throwaway homeserver for tests: open registration, no rate
// limits, its databases in a temporary directory so that it can be
// restarted with its state.
type dendrite struct {
	t    *testing.T
	bin  string
	dir  string
	addr string
	cmd  *exec.Cmd
	done chan error
	log  *os.File
}

func newDendrite(t *testing.T) *dendrite {
	t.Helper()
	bin := dendriteBin(t)
	dir := t.TempDir()
	run := func(name string, args ...string) []byte {
		cmd := exec.Command(filepath.Join(bin, name), args...)
		cmd.Dir = dir
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%s %v: %v", name, args, err)
		}
		return out
	}
	run("generate-keys", "-private-key", "matrix_key.pem")
	cfg := string(run("generate-config", "-ci", "-server", "localhost", "-dir", dir))
	// Keep JetStream on disk, so a restarted server has its streams.
	cfg = strings.Replace(cfg, "    in_memory: true\n    disable_tls_validation", "    in_memory: false\n    disable_tls_validation", 1)
	if err := os.WriteFile(filepath.Join(dir, "dendrite.yaml"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	d := &dendrite{t: t, bin: bin, dir: dir, addr: freeAddr(t)}
	d.start()
	t.Cleanup(d.stop)
	return d
}

func (d *dendrite) url() string { return "http://" + d.addr }

func freeAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// start runs the server and waits until it answers.
func (d *dendrite) start() {
	d.t.Helper()
	logf, err := os.OpenFile(filepath.Join(d.dir, "dendrite.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		d.t.Fatal(err)
	}
	d.log = logf
	d.cmd = exec.Command(filepath.Join(d.bin, "dendrite"), "-config", "dendrite.yaml",
		"-http-bind-address", d.addr, "-really-enable-open-registration")
	d.cmd.Dir, d.cmd.Stdout, d.cmd.Stderr = d.dir, logf, logf
	dieWithTest(d.cmd)
	if err := d.cmd.Start(); err != nil {
		d.t.Fatal(err)
	}
	d.done = make(chan error, 1)
	go func(c *exec.Cmd, done chan error) { done <- c.Wait() }(d.cmd, d.done)
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(d.url() + "/_matrix/client/versions")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		select {
		case err := <-d.done:
			d.t.Fatalf("dendrite exited: %v (log in %s)", err, d.log.Name())
		case <-time.After(50 * time.Millisecond):
		}
	}
	d.t.Fatalf("dendrite did not answer on %s within 30s", d.addr)
}

// stop ends the server (SIGTERM, then SIGKILL after 10s).
func (d *dendrite) stop() {
	if d.cmd == nil {
		return
	}
	d.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-d.done:
	case <-time.After(10 * time.Second):
		d.cmd.Process.Kill()
		<-d.done
	}
	d.cmd = nil
	d.log.Close()
}

// logTail is the end of the server's log, for failure messages.
func (d *dendrite) logTail() string {
	b, _ := os.ReadFile(filepath.Join(d.dir, "dendrite.log"))
	if len(b) > 3000 {
		b = b[len(b)-3000:]
	}
	return string(b)
}

func waitFor(ctx context.Context, what string, timeout time.Duration, cond func() bool) error {
	deadline := time.Now().Add(timeout)
	for {
		if cond() {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("timed out after %s waiting for %s", timeout, what)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}
