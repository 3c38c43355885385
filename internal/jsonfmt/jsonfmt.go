// Package jsonfmt writes JSON for people as well as programs: indented
// two spaces, as encoding/json indents it, except that a list whose
// items are all numbers, strings, booleans or nulls stands on one line.
// A 10-class confusion matrix is then ten lines, not 120, and an
// epoch-by-epoch loss curve one. The values and their order are
// encoding/json's; only the whitespace between them differs.
package jsonfmt

import (
	"encoding/json"
	"io"
)

// Write writes v to w as encoding/json encodes it (its rules, its
// errors), indented, with lists of plain values on one line, and a
// newline at the end. It writes nothing if v cannot be encoded.
func Write(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(FlattenLists(b), '\n'))
	return err
}

// FlattenLists returns indented JSON b with every list of plain values
// (no object or list among its items) written on one line, its items
// separated by ", ". b should be valid JSON, as json.MarshalIndent gives;
// where its brackets do not pair up, FlattenLists returns it unchanged.
func FlattenLists(b []byte) []byte {
	type list struct {
		at   int  // where its '[' is in out
		flat bool // no object or list inside, so far
	}
	out := make([]byte, 0, len(b))
	var open []list // the lists and objects around the current byte; objects never flat
	var text jsonText
	for _, c := range b {
		if text.holds(c) {
			out = append(out, c)
			continue
		}
		switch c {
		case '[', '{':
			if len(open) > 0 {
				open[len(open)-1].flat = false
			}
			open = append(open, list{at: len(out), flat: c == '['})
		case ']', '}':
			if len(open) == 0 {
				return b
			}
			top := open[len(open)-1]
			open = open[:len(open)-1]
			if top.flat {
				out = append(out[:top.at], oneLine(out[top.at:])...)
			}
		}
		out = append(out, c)
	}
	return out
}

// oneLine returns the opened list s ("[", then its items, indented) on one
// line: the whitespace outside its strings dropped, a space after each comma.
func oneLine(s []byte) []byte {
	out := make([]byte, 0, len(s))
	var text jsonText
	for _, c := range s {
		switch {
		case text.holds(c):
			out = append(out, c)
		case c == ' ' || c == '\n' || c == '\t' || c == '\r':
		case c == ',':
			out = append(out, ',', ' ')
		default:
			out = append(out, c)
		}
	}
	return out
}

// jsonText follows JSON text byte by byte to tell its strings apart.
type jsonText struct{ inside, escaped bool }

// holds reports whether c belongs to a string, its quotes included.
func (s *jsonText) holds(c byte) bool {
	switch {
	case s.escaped:
		s.escaped = false
	case s.inside && c == '\\':
		s.escaped = true
	case s.inside && c == '"':
		s.inside = false
	case s.inside:
	case c == '"':
		s.inside = true
	default:
		return false
	}
	return true
}
