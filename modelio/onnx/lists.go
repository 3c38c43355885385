// The names' and activations' lists of a model's metadata: written as CSV
// records (joinList), read back (splitList, listOr, readHints).

package onnx

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/internal/quote"
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

// listOr splits the comma-separated list of metadata key (joinList's)
// when it has n items, else returns prefix0, prefix1, ... where the file
// has no such list; nil when n is 0 (a regression's classes). A list of
// another count is a *NamesError: the file was edited, or written for
// another network.
func listOr(meta map[string]string, key, prefix string, n int) ([]string, error) {
	if n == 0 { // no classes (a regression's outputs): a classifier's names do not apply
		return nil, nil
	}
	list := meta[key]
	if list != "" {
		items := splitList(list)
		for _, try := range [][]string{items, strings.Split(list, ",")} { // the second: an older writer's names holding quotes
			if len(try) == n {
				return try, nil
			}
		}
		return nil, &NamesError{Key: key, Names: items, Want: n}
	}
	names := make([]string, n)
	for i := range names {
		names[i] = prefix + strconv.Itoa(i)
	}
	return names, nil
}

// A NamesError is Read's error for a file whose metadata lists its
// classes or features in another count than its network has: Options'
// lists of the right count replace them.
type NamesError struct {
	Key   string   // "classes" or "features"
	Names []string // the list as the file has it
	Want  int      // the count the network has
}

func (e *NamesError) Error() string {
	what := map[string]string{"classes": "classes", "features": "inputs"}[e.Key]
	return fmt.Sprintf("the file's metadata %q lists %d names (%s) for a network of %d %s: the file was edited, or written for another network",
		e.Key, len(e.Names), quote.ShortList(e.Names), e.Want, what)
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
