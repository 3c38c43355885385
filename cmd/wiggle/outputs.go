package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"

	"github.com/wigglenn/wiggle/internal/atomicfile"
)

// The checks every command makes, before any work, of the files and
// folders its flags name for output.

// samePlace reports whether two output paths name one file: the same
// absolute path (on Windows and macOS, whose file systems do not tell
// case apart as they come, spelt in other case too), or one file on disk.
func samePlace(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	absA, errA := filepath.Abs(a)
	absB, errB := filepath.Abs(b)
	if errA == nil && errB == nil && (absA == absB || caseBlind && strings.EqualFold(absA, absB)) {
		return true
	}
	same, _ := sameFile(a, b)
	return same
}

// caseOnly reports whether samePlace takes paths a and b for one file for
// their case alone.
func caseOnly(a, b string) bool {
	absA, errA := filepath.Abs(a)
	absB, errB := filepath.Abs(b)
	return caseBlind && errA == nil && errB == nil && absA != absB && strings.EqualFold(absA, absB)
}

// caseBlind is whether this system's file systems, as they come, take a
// name spelt in other case for the same file (NTFS, APFS): two outputs
// must not be told apart by case alone there.
const caseBlind = runtime.GOOS == "windows" || runtime.GOOS == "darwin"

// sameFile reports whether paths a and b name one regular file (through a
// link, or spelt otherwise); there, whether both are there to tell. A
// device or pipe (/dev/stdout) is no file of an input's: it is written in
// place.
func sameFile(a, b string) (same, there bool) {
	if a == "" || b == "" {
		return false, false
	}
	ia, errA := os.Stat(a)
	ib, errB := os.Stat(b)
	if errA != nil || errB != nil {
		return false, false
	}
	return ia.Mode().IsRegular() && ib.Mode().IsRegular() && os.SameFile(ia, ib), true
}

// checkOutFlag refuses, before any work, a file flag's path that cannot be
// written: what checkOutPlace refuses, a file there the system will not
// replace (read-only, on Windows), and a folder where no file can be made
// or that cannot be read (to sync it: atomicfile.Check).
func checkOutFlag(flag, path, example string) error {
	return checkOut(flag, path, example, true, true)
}

// checkOutputFile refuses, before any work, a command's output file that
// cannot be written (checkOutFlag), that standard output or standard error
// was redirected to (checkNotRedirected), or that names the file of an
// input flag (checkNotInput).
func checkOutputFile(e env, flag, path, example string, inputs ...[2]string) error {
	if err := checkNotRedirected(e, flag, path); err != nil { // first: on Windows the redirection holds the file open, which checkOutFlag would say less well
		return err
	}
	if err := checkOutFlag(flag, path, example); err != nil {
		return err
	}
	return checkNotInput(flag, path, inputs...)
}

// checkOut is checkOutFlag for a file that may not be replaced (replaced
// false: a checkpoint renamed down the line before the next is written)
// or whose folder is not probed by making a file there (probe false: a
// checkpoint written on Ctrl-C alone, which the user did not name).
func checkOut(flag, path, example string, replaced, probe bool) error {
	if err := checkOutPlace(flag, path, example); err != nil {
		return err
	}
	if replaced {
		if err := checkReplace(flag, path); err != nil {
			return err
		}
	}
	if !probe {
		return nil
	}
	if err := atomicfile.Check(path); errors.Is(err, atomicfile.ErrLinkLoop) {
		return usageError{fmt.Errorf("%s %w", flag, err)} // it names the path, and what to do
	} else if err != nil {
		return usageError{fmt.Errorf("%s %s: %v; name a folder you can write to and read", flag, path, err)}
	}
	return nil
}

// checkReplace refuses a file flag's file that the system will not
// replace (atomicfile.CheckReplace: read-only, on Windows), naming the
// file a link leads to where path is a link.
func checkReplace(flag, path string) error {
	err := atomicfile.CheckReplace(path)
	if err == nil {
		return nil
	}
	if info, lerr := os.Lstat(path); lerr == nil && info.Mode()&os.ModeSymlink != 0 {
		if target, lerr := filepath.EvalSymlinks(path); lerr == nil {
			return usageError{fmt.Errorf("%s %s, a link to %s: that %s, or name another file", flag, path, target, notReplaced(err, target))}
		}
	}
	return usageError{fmt.Errorf("%s %s %s, or name another file", flag, path, notReplaced(err, path))}
}

// notReplaced says why the system will not replace file (err is
// atomicfile.CheckReplace's), and what clears it: a read-only file's
// attribute, or the program that holds it open.
func notReplaced(err error, file string) string {
	if errors.Is(err, atomicfile.ErrHeldOpen) {
		return fmt.Sprintf("is %v; close it there (Excel, a viewer, an editor)", atomicfile.ErrHeldOpen)
	}
	return fmt.Sprintf("is %v; clear that (attrib -r %s)", atomicfile.ErrReadOnly, shellArg(file))
}

// checkOutPlace refuses a file flag's path in a folder that does not
// exist, or naming a folder (which a checkpoint's rotation would rename),
// or "-" (which would make a file of that name).
// example is a file name to suggest.
func checkOutPlace(flag, path, example string) error {
	if path == "-" { // standard output to many users; a file of that name is ./-
		return usageError{fmt.Errorf("%s -: this writes a file, not standard output; give a file name such as %s (%s for a file named -)", flag, example, here("-"))}
	}
	if unixDevice(path) {
		return unixDeviceError(flag, path, "")
	}
	if err := quoteLeft(flag, path); err != nil {
		return err
	}
	if err := windowsOnlyName(flag, path); err != nil {
		return err
	}
	if err := driveThere(flag, path); err != nil {
		return err
	}
	dir := atomicfile.Dir(path) // "nosuch/../m" needs nosuch, as the system opens it
	switch info, err := os.Stat(dir); {
	case err != nil:
		return usageError{fmt.Errorf("%s %s: the folder %s does not exist; create it first (%s)", flag, path, dir, mkdirCommand(dir))}
	case !info.IsDir():
		return usageError{fmt.Errorf("%s %s: %s is a file, not a folder", flag, path, dir)}
	}
	if info, err := os.Stat(path); err == nil && info.IsDir() {
		return usageError{fmt.Errorf("%s %s is a folder; give a file name such as %s", flag, path, filepath.Join(path, example))}
	}
	return nil
}

// quoteLeft refuses, on Windows, a path holding a double quote, which no
// Windows name may: what cmd.exe and Go's reading of a command line leave
// of a quoted folder that ends in a backslash ("My Models\" gives
// My Models"), the \" read as a quote.
func quoteLeft(flag, path string) error {
	if runtime.GOOS != "windows" || !strings.Contains(path, `"`) {
		return nil
	}
	return usageError{fmt.Errorf("%s %s: %s", flag, path, quoteLeftText)}
}

// quoteLeftText says why a Windows path holds a quote: cmd.exe's quoting
// of one that ends in \.
const quoteLeftText = `a Windows name cannot hold ", and a quoted path that ends in \ leaves one ("My Models\" is read as My Models"); drop that last \, or double it`

// windowsOnlyName refuses, on Windows, a path that names no file there:
// one with a device's name in it (CON, COM1, COM¹, CONOUT$, and con.csv
// where the system still reserves it, as Windows 10 does and 11 does not:
// Go's filepath.IsLocal asks it; NUL alone, which discards what is
// written, is let be) or a colon past the drive's (m.onnx:x names a
// stream of the file m.onnx).
func windowsOnlyName(flag, path string) error {
	if runtime.GOOS != "windows" {
		return nil
	}
	rest := path[len(filepath.VolumeName(path)):]
	if strings.Contains(rest, ":") {
		return usageError{fmt.Errorf("%s %s: a Windows name cannot hold a colon but after a drive's letter (there it names a stream of a file); name one without it", flag, path)}
	}
	if strings.EqualFold(path, "NUL") {
		return nil
	}
	for _, name := range strings.FieldsFunc(rest, func(r rune) bool { return r == '\\' || r == '/' }) {
		if name != "." && name != ".." && !filepath.IsLocal(name) {
			return usageError{fmt.Errorf("%s %s: %s is a device's name on Windows, whatever follows its point, not a file's or a folder's; name another", flag, path, name)}
		}
	}
	return nil
}

// driveThere refuses, on Windows, a path on a drive that is not there or
// not ready (a USB stick taken out, a network drive not connected, a card
// reader with no card), which no mkdir could mend.
func driveThere(flag, path string) error {
	drive := filepath.VolumeName(path)
	if runtime.GOOS != "windows" || len(drive) != 2 || drive[1] != ':' {
		return nil
	}
	if _, err := os.Stat(drive + `\`); err == nil {
		return nil
	}
	return usageError{fmt.Errorf("%s %s: the drive %s is not there, or not ready (a USB stick taken out, a network drive not connected?); name a folder on a drive this machine has", flag, path, strings.ToUpper(drive))}
}

// reason is the system's words for what err's path operation met, without
// the point Windows ends them with (a semicolon follows them here).
func reason(err error) string {
	if inner := errors.Unwrap(err); inner != nil {
		err = inner
	}
	return strings.TrimSuffix(err.Error(), ".")
}

// unixDevice reports whether path, on Windows, names a Unix device such
// as /dev/stdout, which the help's examples name: there it would be a file
// in a folder \dev at the drive's root, even where one is there.
func unixDevice(path string) bool {
	return runtime.GOOS == "windows" && strings.HasPrefix(filepath.ToSlash(path), "/dev/")
}

// unixDeviceError refuses a path under /dev on Windows (unixDevice),
// with what else does the job where there is something (", or ...").
func unixDeviceError(flag, path, instead string) error {
	return usageError{fmt.Errorf("%s %s: Windows has no /dev (/dev/stdout and its like are Unix's devices); name a file%s", flag, path, instead)}
}

// here is name in the current folder as this system's shells spell it:
// ./name, or .\name on Windows.
func here(name string) string { return "." + string(filepath.Separator) + name }

// summaryElsewhere says where train's summary goes when its --out is
// standard output: on Windows no --out is.
func summaryElsewhere() string {
	if runtime.GOOS == "windows" {
		return ""
	}
	return ", or to\nstandard error where --out or --probe-out is standard output itself\n(/dev/stdout)"
}

// noCheckpointOnDevice says that a device's --out has no checkpoint
// beside it, where --out may be a device (not on Windows).
func noCheckpointOnDevice() string {
	if runtime.GOOS == "windows" {
		return ""
	}
	return "; none where --out is a device, as /dev/stdout"
}

// orStdout offers /dev/stdout beside a file, where there is one (not on
// Windows).
func orStdout() string {
	if runtime.GOOS == "windows" {
		return ""
	}
	return " (or /dev/stdout)"
}

// checkOutDir refuses, before any work, a folder flag's path that names a
// file, or where no file can be written: the folder itself if it is there
// (which must also open, to sync it: atomicfile.CheckDir), else the
// nearest folder above it, where it would be made (the folder is made if
// missing). It tries by making a file there and removing it.
func checkOutDir(flag, dir string) error {
	if err := quoteLeft(flag, dir); err != nil {
		return err
	}
	if err := windowsOnlyName(flag, dir); err != nil {
		return err
	}
	if err := driveThere(flag, dir); err != nil {
		return err
	}
	if info, err := os.Stat(dir); err == nil && !info.IsDir() {
		return usageError{fmt.Errorf("%s %s is a file; name a folder (it is made if missing)", flag, dir)}
	}
	there := dir
	for {
		info, err := os.Stat(there)
		switch {
		case err == nil && !info.IsDir():
			return usageError{fmt.Errorf("%s %s: %s is a file, so no folder can be made under it; name another folder", flag, dir, there)}
		case err == nil:
		case isLink(there):
			return usageError{fmt.Errorf("%s %s: %s is a link to something that is not there (%v); name another folder", flag, dir, there, errors.Unwrap(err))}
		case errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR): // not there, or under a file
			if up := filepath.Dir(there); up != there {
				there = up
				continue
			}
		default:
			return usageError{fmt.Errorf("%s %s: %s cannot be looked at (%s); name a folder you can write to", flag, dir, there, reason(err))}
		}
		break
	}
	if there != dir { // made by MkdirAll, readable: the files need only a folder to be made there
		return checkMakeIn(flag, dir, there)
	}
	if err := atomicfile.CheckDir(dir); err != nil {
		return usageError{fmt.Errorf("%s %s: %v; name a folder you can write to and read", flag, dir, err)}
	}
	return nil
}

// checkMakeIn refuses a folder above dir, there, where dir's first
// missing folder cannot be made: it tries by making a file there and
// removing it.
func checkMakeIn(flag, dir, there string) error {
	probe, err := os.CreateTemp(there, ".wiggle-write-check-*")
	if err != nil {
		return usageError{fmt.Errorf("%s %s: nothing can be written in %s: %s; name a folder you can write to", flag, dir, there, reason(err))}
	}
	name := probe.Name()
	probe.Close()
	os.Remove(name)
	return nil
}

// isLink reports whether path itself is a symbolic link (os.Lstat).
func isLink(path string) bool {
	info, err := os.Lstat(path)
	return err == nil && info.Mode()&fs.ModeSymlink != 0
}

// checkNoFolders refuses, before any work, a folder in dir where a file
// named in names is to be written, which would stop the writing half-way,
// and a file there that the system will not replace (checkReplace: on
// Windows, read-only or open in another program).
func checkNoFolders(flag, dir string, names []string) error {
	for _, name := range names {
		path := filepath.Join(dir, name)
		if info, err := os.Stat(path); err == nil && info.IsDir() {
			return usageError{fmt.Errorf("%s %s: %s is a folder, where the file %s would be written; move it or name another folder", flag, dir, path, name)}
		}
		if err := atomicfile.CheckReplace(path); err != nil { // read-only or held open, on Windows
			return usageError{fmt.Errorf("%s %s: %s %s, or name another folder", flag, dir, path, notReplaced(err, path))}
		}
	}
	return nil
}

// checkNotInput refuses an output path that names the file of an input
// flag (flag, path pairs), which writing it would replace: --out naming
// the --data file, say.
func checkNotInput(outFlag, out string, inputs ...[2]string) error {
	for _, in := range inputs {
		if isBuiltin(in[1]) {
			continue
		}
		if same, _ := sameFile(out, in[1]); same {
			return usageError{fmt.Errorf("%s %s is the %s file, which writing it would replace; give another name", outFlag, out, in[0])}
		}
	}
	return nil
}

// reportTo is where a command prints its report: standard output, unless
// one of its output files is standard output itself (--out /dev/stdout),
// where the report would land among the file's bytes; then standard error.
func reportTo(e env, outs ...string) io.Writer {
	for _, out := range outs {
		if writesInto(out, e.stdout) {
			return e.stderr
		}
	}
	return e.stdout
}

// checkNotRedirected refuses, before any work, a file flag's path that
// standard output or standard error was redirected to (2> log.txt with
// --out log.txt), or standard input comes from (< p.csv with --out
// p.csv): the file written would replace what the command prints there,
// or the input it read (on Windows, which will not replace a file held
// open, it would not be written at all).
func checkNotRedirected(e env, flag, path string) error {
	if redirectedInto(path, e.stdin) {
		return usageError{fmt.Errorf("%s %s is where standard input comes from (< %s), which the file written would replace; name another file", flag, path, shellArg(path))}
	}
	for _, s := range []struct {
		name, redirect string
		w              io.Writer
	}{{"standard output", ">", e.stdout}, {"standard error", "2>", e.stderr}} {
		if redirectedInto(path, s.w) {
			return usageError{fmt.Errorf("%s %s is where %s goes (%s %s), which the file written would replace; name another file, or send %s elsewhere", flag, path, s.name, s.redirect, shellArg(path), s.name)}
		}
	}
	return nil
}

// redirectedInto reports whether path names the regular file w, a
// standard stream, writes to or reads from, by a name of its own: not /dev/stdout or its
// like, which are the stream itself (written in place, atomicfile.InPlace).
func redirectedInto(path string, w any) bool {
	f, ok := w.(*os.File)
	if path == "" || !ok || atomicfile.InPlace(path) {
		return false
	}
	target, err := os.Stat(path)
	if err != nil || !target.Mode().IsRegular() {
		return false
	}
	info, err := f.Stat()
	return err == nil && os.SameFile(target, info)
}

// writesInto reports whether a write to path, made in place, lands in the
// file or pipe w writes to (/dev/stdout for standard output, say); a
// terminal or /dev/null, which keep nothing, does not count.
func writesInto(path string, w io.Writer) bool {
	f, ok := w.(*os.File)
	if path == "" || !ok || !atomicfile.InPlace(path) {
		return false
	}
	target, err := os.Stat(path)
	if err != nil || target.Mode()&os.ModeCharDevice != 0 {
		return false
	}
	info, err := f.Stat()
	return err == nil && os.SameFile(target, info)
}

// flagPrefixed puts the flag that named a file before a failure to write
// it (the file's own name is in err already); nil stays nil.
func flagPrefixed(flag string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", flag, err)
}
