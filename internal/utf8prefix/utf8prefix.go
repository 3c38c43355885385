// Package utf8prefix tells whether the first bytes of a file are UTF-8
// text, where those bytes (a peek, a file's first 64 bytes) may end
// inside a character that goes on past them: what data's CSV reader and
// modelio's guesses at what a file is ask of a file's head.
//
// Concurrency: Cut is safe for concurrent use.
package utf8prefix

import "unicode/utf8"

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
