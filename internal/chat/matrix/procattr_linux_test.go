package matrix

import (
	"os/exec"
	"syscall"
)

// dieWithTest makes the server die with the test binary, even when a test
// timeout kills it before its cleanups run.
func dieWithTest(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
