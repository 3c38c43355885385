// Package quote quotes what a user gave (a CSV cell, a line of input, a
// column's name) in an error message or a table, shortened: a 200 KB field
// must not make a 200 KB message, nor an escape sequence in a file reach
// the terminal. It is safe for concurrent use.
package quote

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// keep is how many bytes of a long text Short and Cut keep.
const keep = 40

// Short returns s quoted as %q does, or, when s is longer than 50 bytes,
// its first 40 bytes or so (cut at a character's start) quoted and
// followed by its length: "abc…" (200000 bytes).
func Short(s string) string {
	if len(s) <= keep+10 {
		return strconv.Quote(s)
	}
	return fmt.Sprintf("%s… (%d bytes)", strconv.Quote(prefix(s)), len(s))
}

// Cut is Short unquoted, for names listed as they are: s, or its first 40
// bytes or so followed by "… (N bytes)". A name that holds a character a
// terminal would act on or not show (a control character such as ESC or
// a tab, invalid UTF-8) is Short's, quoted with escapes: "\x1b[31mred".
func Cut(s string) string {
	if !printable(s) {
		return Short(s)
	}
	if len(s) <= keep+10 {
		return s
	}
	return fmt.Sprintf("%s… (%d bytes)", prefix(s), len(s))
}

// List joins names with ", ", each Cut (each Short where one holds a comma
// or a semicolon, which would read as two names), and at most 20 of them:
// the first 18, "…" and the last, with the count.
func List(names []string) string {
	for _, name := range names {
		if strings.ContainsAny(name, ",;") { // "Gewicht (kg, netto)" among others: each quoted, or the list reads as other names
			return list(names, Short)
		}
	}
	return list(names, Cut)
}

// ShortList is List with each name quoted (Short), for names that may be
// empty or end in spaces: labels read from a file.
func ShortList(names []string) string { return list(names, Short) }

func list(names []string, each func(string) string) string {
	const most = 20
	var parts []string
	for i, name := range names {
		if len(names) > most && i == most-2 {
			parts = append(parts, fmt.Sprintf("… (%d in all)", len(names)))
			parts = append(parts, each(names[len(names)-1]))
			break
		}
		parts = append(parts, each(name))
	}
	return strings.Join(parts, ", ")
}

// printable reports whether s is valid UTF-8 of printable characters,
// spaces (the no-break and ideographic ones too) and the zero-width
// joiners that emoji and Persian words hold: text a terminal shows as it
// is, not acts on.
func printable(s string) bool {
	for _, r := range s {
		switch {
		case r == utf8.RuneError:
			return false
		case strconv.IsPrint(r), unicode.Is(unicode.Zs, r), r == '\u200c', r == '\u200d':
		default:
			return false
		}
	}
	return true
}

// prefix is s's first keep bytes, cut back to a character's start.
func prefix(s string) string {
	cut := keep
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}
