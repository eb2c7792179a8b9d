//go:build !linux

package matrix

import "os/exec"

func dieWithTest(cmd *exec.Cmd) {}
