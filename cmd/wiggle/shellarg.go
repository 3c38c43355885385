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
	windows := goos == "windows"
	if strings.HasPrefix(path, "-") {
		if windows {
			path = `.\` + path
		} else {
			path = "./" + path
		}
	}
	plain := path != "" && strings.IndexFunc(path, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("_-./:+", r) || windows && r == '\\')
	}) < 0
	switch {
	case plain:
		return path
	case windows:
		return `"` + path + `"`
	}
	return "'" + strings.ReplaceAll(path, "'", `'\''`) + "'"
}

// mkdirCommand is the command that makes folder dir and those above it.
func mkdirCommand(dir string) string {
	if runtime.GOOS == "windows" { // cmd.exe's and PowerShell's mkdir both make the folders above
		return "mkdir " + shellArg(dir)
	}
	return "mkdir -p " + shellArg(dir)
}
