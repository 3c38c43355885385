package main

import (
	"runtime"
	"strings"
)

// shellArg spells path as an argument to type at the user's shell in a
// command we suggest: as it is where every character is plain, else
// quoted: in double quotes on Windows (cmd.exe and PowerShell), in single
// quotes elsewhere (a single quote inside: close, \', reopen).
func shellArg(path string) string {
	plain := path != "" && strings.IndexFunc(path, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune(`_-./\:+,=@`, r))
	}) < 0
	switch {
	case plain:
		return path
	case runtime.GOOS == "windows":
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
