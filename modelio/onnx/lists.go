// The names' and activations' lists of a model's metadata: written as CSV
// records (joinList), read back (splitList, listOr, readHints).

package onnx

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"github.com/wigglenn/wiggle/act"
)

// joinList writes names as one CSV record: joined by commas, a name that
// holds a comma, a quote or a line break quoted, so that splitList reads
// back the names as they were (but a "\r\n" in a name, which encoding/csv
// reads as "\n").
func joinList(names []string) string {
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.Write(names) // a strings.Builder does not fail
	w.Flush()
	return strings.TrimSuffix(b.String(), "\n")
}

// firstOf returns the first of its arguments that is not empty.
func firstOf(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// listOr splits a comma-separated list (joinList's) when it has n items,
// else returns prefix0, prefix1, ... (nil when n is 0).
func listOr(list, prefix string, n int) []string {
	if n == 0 {
		return nil
	}
	if list != "" {
		for _, items := range [][]string{splitList(list), strings.Split(list, ",")} { // the second: an older writer's names holding quotes
			if len(items) == n {
				return items
			}
		}
	}
	names := make([]string, n)
	for i := range names {
		names[i] = prefix + strconv.Itoa(i)
	}
	return names
}

// splitList reads a list joinList wrote. A list of another writer that is
// no CSV record is split at every comma.
func splitList(list string) []string {
	r := csv.NewReader(strings.NewReader(list))
	r.FieldsPerRecord = -1
	items, err := r.Read()
	if err != nil {
		return strings.Split(list, ",")
	}
	if _, err := r.Read(); err != io.EOF { // more than one record: not a list of joinList's
		return strings.Split(list, ",")
	}
	return items
}

// maxList bounds the list of activations Read takes (a few hundred bytes
// in a file of wiggle's own), so that a file cannot make it parse millions
// of specs. The names' lists are as long as a layer is wide.
const maxList = 1 << 20

// readHints parses the activations a file of wiggle's own lists in its
// metadata (Write's "activations", a joinList record): "value=spec", each
// by the value it ends in. Only values that a node of the graph writes are
// kept, each once, so that a list cannot cost more than the graph; one
// that does not parse is left out.
func (r *graphReader) readHints(list string) {
	r.hints = map[string]act.Func{}
	if len(list) > maxList {
		return
	}
	for _, entry := range splitList(list) {
		value, spec, _ := strings.Cut(entry, "=")
		_, written := r.writer[value]
		if _, seen := r.hints[value]; !written || seen {
			continue
		}
		if f, err := act.Parse(spec); err == nil {
			r.hints[value] = f
		}
	}
}
