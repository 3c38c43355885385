package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/wigglenn/wiggle/internal/atomicfile"
)

// A command's CSV goes to standard output, or with --out FILE to a file
// written whole: to a temporary name, synced, renamed (a pipe or a device,
// which cannot be renamed over, is written in place). predict and data gen
// share this.

// checkCSVOut checks *path, the value of flag, before any work: "-" is
// standard output ("" from here on), a Unix device on Windows is refused
// with what does the job, and a file must be one the command may write
// (checkOutputFile: not one of the inputs). what is what standard output
// would receive ("the predictions").
func checkCSVOut(e env, flag string, path *string, what, example string, inputs ...[2]string) error {
	if *path == "-" {
		*path = ""
	}
	if unixDevice(*path) { // as Unix's examples have it: without --out the CSV goes to standard output
		return unixDeviceError(flag, *path, fmt.Sprintf(", or leave %s out to print %s to standard output", flag, what))
	}
	if *path == "" {
		return nil
	}
	return checkOutputFile(e, flag, *path, example, inputs...)
}

// writeCSVOut writes with write to standard output (path "") or to path,
// then says what it wrote there (wrote: "200 rows"). stopped maps what
// write returned where output went out as it was written (standard output,
// a pipe, a device) to an error that says how much went where; into a
// file, an interruption leaves the file as it was.
func writeCSVOut(e env, flag, path string, write func(io.Writer) error, stopped func(err error, where string) error, wrote func() string) error {
	if path == "" {
		return stopped(write(e.stdout), "standard output")
	}
	err := atomicfile.Write(path, 0o644, write)
	if atomicfile.InPlace(path) && !errors.Is(err, atomicfile.ErrNoReader) { // a pipe, a device, /dev/stdout: what went out stays
		return stopped(err, flag+" "+path)
	}
	if err != nil {
		return stoppedOrSys(flagPrefixed(flag, err))
	}
	_, err = fmt.Fprintf(e.stdout, "wrote %s: %s\n", path, wrote()) // as train says what it saved
	return sysErr(err)
}
