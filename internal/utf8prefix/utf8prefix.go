// Package utf8prefix tells whether the first bytes of a file are UTF-8
// text, where those bytes (a peek, a file's first 64 bytes) may end
// inside a character that goes on past them: what data's CSV reader and
// modelio's guesses at what a file is ask of a file's head.
//
// Concurrency: Cut and HeadIsText are safe for concurrent use.
package utf8prefix

import (
	"bytes"
	"unicode/utf8"
)

// Cut returns head less the fewest bytes at its end, up to three, that
// leave UTF-8 text, and true; or head and false where no such cut does.
// The bytes cut are where a character the head's end cut off would lie,
// and are not looked at. An empty head is text.
func Cut(head []byte) (text []byte, ok bool) {
	for cut := 0; cut < utf8.UTFMax && cut < len(head); cut++ {
		if utf8.Valid(head[:len(head)-cut]) {
			return head[:len(head)-cut], true
		}
	}
	return head, len(head) == 0
}

// HeadIsText reports whether the first n bytes of raw (all of a raw no
// longer) are text as an editor writes it: UTF-8, a character cut off at
// the n-th byte allowed where raw goes on past it, and no control
// character but tab, line feed and carriage return. An empty raw is text.
// It is how modelio and import guess that a file they cannot read is a
// text file (a CSV table) rather than a binary one.
func HeadIsText(raw []byte, n int) bool {
	head := raw[:min(len(raw), n)]
	if text, ok := Cut(head); ok && len(raw) > n {
		head = text
	}
	return utf8.Valid(head) && !bytes.ContainsFunc(head, func(r rune) bool { return r < ' ' && r != '\n' && r != '\r' && r != '\t' })
}
