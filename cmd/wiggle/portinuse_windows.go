package main

import (
	"errors"

	"golang.org/x/sys/windows"
)

// portInUse reports whether err is a listen's refusal of a port another
// socket holds (Windows says WSAEADDRINUSE, 10048).
func portInUse(err error) bool { return errors.Is(err, windows.WSAEADDRINUSE) }
