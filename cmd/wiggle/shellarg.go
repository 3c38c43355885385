package main

import (
	"runtime"
	"strings"
)

// shellArg spells path as an argument to type at the user's shell in a
// command we suggest (shellArgOn for this system).
func shellArg(path string) string { return shellArgOn(runtime.GOOS, path) }

// shellArgOn spells path for goos's shells: as it is where every character
// is plain to them all (letters, digits, _ - . / : + and on Windows \),
// else quoted: in single quotes for sh and its like (a single quote
// inside: close, \', reopen), in double quotes on Windows, where cmd.exe
// and PowerShell both take them (though cmd.exe still expands %VAR% and
// PowerShell $var inside: a path holding those is left to the user).
// A relative path that starts with - gets ./ (.\) first, not to be read as
// an option.
func shellArgOn(goos, path string) string {
	if strings.HasPrefix(path, "-") {
		if goos == "windows" {
			path = `.\` + path
		} else {
			path = "./" + path
		}
	}
	return shellWordOn(goos, path)
}

// shellWord spells s as one argument to type at the user's shell: a flag's
// value in a command we suggest (shellWordOn for this system).
func shellWord(s string) string { return shellWordOn(runtime.GOOS, s) }

// shellWordOn spells s as one argument for goos's shells, as it is where
// every character is plain to them all, else quoted: in single quotes for
// sh and its like (a single quote inside: close, \', reopen), in double
// quotes on Windows, a double quote inside escaped with a backslash as
// programs there read their arguments (the backslashes before it, and
// before the closing quote, doubled). A flag's value starting with -
// stays as it is (--ignore -x): no ./ before it.
func shellWordOn(goos, s string) string {
	windows := goos == "windows"
	plain := s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("_-./:+", r) || windows && r == '\\')
	}) < 0
	switch {
	case plain:
		return s
	case windows && !strings.Contains(s, `"`):
		return `"` + s + `"` // a path's backslashes as they are (none stands before a quote but a folder's last)
	case windows:
		var b strings.Builder
		slashes := 0 // the backslashes just written, which a quote after them would escape
		for _, r := range s {
			switch r {
			case '\\':
				slashes++
			case '"':
				b.WriteString(strings.Repeat(`\`, slashes+1)) // the run doubled, and the quote escaped
				slashes = 0
			default:
				slashes = 0
			}
			b.WriteRune(r)
		}
		return `"` + b.String() + strings.Repeat(`\`, slashes) + `"`
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// mkdirCommand is the command that makes folder dir and those above it.
func mkdirCommand(dir string) string {
	if runtime.GOOS == "windows" { // cmd.exe's and PowerShell's mkdir both make the folders above
		return "mkdir " + shellArg(dir)
	}
	return "mkdir -p " + shellArg(dir)
}
