package main

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/wigglenn/wiggle/internal/numtext"
)

// decimalFlag reads a number flag in decimal alone, as wiggle reads data:
// pflag reads Go's literals, so that --epochs 010 was 8 (octal), --lr
// 1_000 was 1000 and --lr 0x1p10 was 1024, each silently. A whole number
// is handed on in its plain decimal form (010 as 10); hexadecimal, digits
// with underscores and Go's binary and octal prefixes are refused, naming
// the decimal value where there is one.
type decimalFlag struct {
	pflag.Value
	whole bool // an integer flag: digits alone
}

// decimalDigits is a whole number in decimal, signed or not.
var decimalDigits = regexp.MustCompile(`^[+-]?[0-9]+$`)

func (d decimalFlag) Set(s string) error {
	if hint := numtext.Hint(s); hint != "" {
		return errors.New(hint)
	}
	if !d.whole {
		return d.Value.Set(s)
	}
	if !decimalDigits.MatchString(s) {
		if v, err := strconv.ParseInt(s, 0, 64); err == nil { // 0b101, 0o17: Go's literals
			return fmt.Errorf("not a decimal number: write %d", v)
		}
		return d.Value.Set(s) // not a number at all: the flag's own error
	}
	sign, digits := "", strings.TrimLeft(s, "+-")
	if strings.HasPrefix(s, "-") {
		sign = "-"
	}
	if trimmed := strings.TrimLeft(digits, "0"); trimmed != "" {
		digits = trimmed // 010 is ten: no octal
	} else {
		digits = "0"
	}
	return d.Value.Set(sign + digits)
}

// decimalFlags makes every number flag of c and its subcommands read
// decimal alone (decimalFlag).
func decimalFlags(c *cobra.Command) {
	wrap := func(f *pflag.Flag) {
		if _, done := f.Value.(decimalFlag); done {
			return
		}
		switch f.Value.Type() {
		case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64":
			f.Value = decimalFlag{f.Value, true}
		case "float64", "float32":
			f.Value = decimalFlag{f.Value, false}
		}
	}
	c.Flags().VisitAll(wrap)
	c.PersistentFlags().VisitAll(wrap)
	for _, sub := range c.Commands() {
		decimalFlags(sub)
	}
}
