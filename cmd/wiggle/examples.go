package main

import (
	"strings"

	"github.com/spf13/cobra"
)

// examplesForShell makes every command's examples fit goos's shells: on
// Windows a command that the help continues over lines with sh's
// trailing \ (which neither cmd.exe nor PowerShell reads so) is given on
// one line. Elsewhere the examples stay as written.
func examplesForShell(root *cobra.Command, goos string) {
	if goos != "windows" {
		return
	}
	var walk func(*cobra.Command)
	walk = func(c *cobra.Command) {
		c.Example = joinContinuations(c.Example)
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

// joinContinuations joins each line that ends in a blank and a \ with
// the line after it, the next line's indent dropped: sh's continued
// command as one line. A \ right after other text (a Windows folder,
// C:\models\) ends no line's command.
func joinContinuations(example string) string {
	lines := strings.Split(example, "\n")
	out := lines[:0]
	continued := false
	for _, line := range lines {
		if continued {
			line = out[len(out)-1] + strings.TrimLeft(line, " \t")
			out = out[:len(out)-1]
		}
		continued = strings.HasSuffix(line, ` \`) || strings.HasSuffix(line, "\t\\")
		if continued {
			line = strings.TrimSuffix(line, `\`)
		}
		out = append(out, line)
	}
	if continued { // the last line's \ continued nothing
		out[len(out)-1] = strings.TrimRight(out[len(out)-1], " \t")
	}
	return strings.Join(out, "\n")
}

// actEvalExample is act eval's example for goos: numbers piped in, a line
// each, by sh's printf, or on Windows by PowerShell, which sends each
// string of a list as a line (cmd.exe's echo would add a space to each).
func actEvalExample(goos string) string {
	if goos == "windows" {
		return `  "-1", "0", "2.5" | wiggle act eval leaky_relu --param negative_slope=0.2   # in PowerShell`
	}
	return `  printf '%s\n' -1 0 2.5 | wiggle act eval leaky_relu --param negative_slope=0.2`
}
