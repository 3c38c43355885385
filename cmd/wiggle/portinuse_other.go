//go:build !windows

package main

import (
	"errors"
	"syscall"
)

// portInUse reports whether err is a listen's refusal of a port another
// socket holds.
func portInUse(err error) bool { return errors.Is(err, syscall.EADDRINUSE) }
