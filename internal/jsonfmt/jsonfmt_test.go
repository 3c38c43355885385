package jsonfmt

import (
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestFlattenLists(t *testing.T) {
	tests := []struct {
		name string
		v    any
		want string
	}{
		{"numbers", []int{1, 2, 3}, "[1, 2, 3]"},
		{"empty", []int{}, "[]"},
		{"matrix", [][]int{{5, 0}, {1, 4}}, "[\n  [5, 0],\n  [1, 4]\n]"},
		{"object", map[string]any{"a": []float64{0.5, -1}, "b": "x"}, "{\n  \"a\": [0.5, -1],\n  \"b\": \"x\"\n}"},
		{"strings with brackets, commas and quotes", []string{"a, b", "[c]", `d"e\`, "{"},
			`["a, b", "[c]", "d\"e\\", "{"]`},
		{"plain values of every kind", []any{nil, true, "s", 1.5}, `[null, true, "s", 1.5]`},
		{"a list of objects stays indented", []map[string]int{{"n": 1}, {"n": 2}},
			"[\n  {\n    \"n\": 1\n  },\n  {\n    \"n\": 2\n  }\n]"},
		{"an empty list among lists", [][]int{{}, {7}}, "[\n  [],\n  [7]\n]"},
	}
	for _, tt := range tests {
		b, err := json.MarshalIndent(tt.v, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if got := string(FlattenLists(b)); got != tt.want {
			t.Errorf("%s: got\n%s\nwant\n%s", tt.name, got, tt.want)
		}
	}
}

// Random nests of lists, objects and strings with JSON's special
// characters, flattened, against a plain recursive writer of the same
// layout (reference), and against encoding/json's bytes: compacted, both
// are the same.
func TestFlattenListsRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 2000 {
		v := randomValue(r, 4)
		b, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		flat := FlattenLists(b)
		if want := reference(v, ""); string(flat) != want {
			t.Fatalf("value %d: flattened\n%s\nwant\n%s", i, flat, want)
		}
		var want, got bytes.Buffer
		if err := json.Compact(&want, b); err != nil {
			t.Fatal(err)
		}
		if err := json.Compact(&got, flat); err != nil {
			t.Fatalf("value %d: not JSON after flattening: %v\n%s", i, err, flat)
		}
		if got.String() != want.String() {
			t.Fatalf("value %d: flattened\n%s\ncompacts to\n%s\nwant\n%s", i, flat, got.String(), want.String())
		}
	}
}

// reference writes the values randomValue makes in FlattenLists' layout,
// a level at a time: a list of plain values on one line, other lists and
// objects an item a line, indented two spaces a level.
func reference(v any, indent string) string {
	inner := indent + "  "
	switch v := v.(type) {
	case []any:
		if len(v) == 0 {
			return "[]"
		}
		items := make([]string, len(v))
		plain := true
		for i, item := range v {
			items[i] = reference(item, inner)
			switch item.(type) {
			case []any, map[string]any:
				plain = false
			}
		}
		if plain {
			return "[" + strings.Join(items, ", ") + "]"
		}
		return "[\n" + inner + strings.Join(items, ",\n"+inner) + "\n" + indent + "]"
	case map[string]any:
		if len(v) == 0 {
			return "{}"
		}
		keys := slices.Sorted(maps.Keys(v))
		items := make([]string, len(keys))
		for i, k := range keys {
			items[i] = reference(k, inner) + ": " + reference(v[k], inner)
		}
		return "{\n" + inner + strings.Join(items, ",\n"+inner) + "\n" + indent + "}"
	default:
		b, err := json.Marshal(v)
		if err != nil {
			panic(err)
		}
		return string(b)
	}
}

func randomValue(r *rand.Rand, depth int) any {
	kind := r.IntN(6)
	if depth == 0 {
		kind = r.IntN(3)
	}
	switch kind {
	case 0:
		return r.NormFloat64()
	case 1:
		pieces := []string{"a", ",", "[", "]", "{", "}", `"`, `\`, " ", "\n", "é"}
		var s strings.Builder
		for range r.IntN(5) {
			s.WriteString(pieces[r.IntN(len(pieces))])
		}
		return s.String()
	case 2:
		return r.IntN(2) == 0
	case 3, 4:
		list := make([]any, r.IntN(4))
		for i := range list {
			list[i] = randomValue(r, depth-1)
		}
		return list
	default:
		obj := map[string]any{}
		for i := range r.IntN(3) {
			obj[string(rune('a'+i))+"[,"] = randomValue(r, depth-1)
		}
		return obj
	}
}

// TestFlattenListsOfBrokenJSON: brackets that do not pair up come back
// as they were, not as an index out of range.
func TestFlattenListsOfBrokenJSON(t *testing.T) {
	for _, b := range []string{"]", "[1, 2]]", "}", "[\n  1\n"} {
		if got := string(FlattenLists([]byte(b))); got != b {
			t.Errorf("FlattenLists(%q) = %q; want it unchanged", b, got)
		}
	}
}

func TestWriteError(t *testing.T) {
	var b bytes.Buffer
	var unsupported *json.UnsupportedValueError
	if err := Write(&b, []float64{math.NaN()}); !errors.As(err, &unsupported) {
		t.Errorf("Write of NaN: %v, want encoding/json's UnsupportedValueError", err)
	}
	if b.Len() != 0 {
		t.Errorf("Write of NaN wrote %q, want nothing", b.String())
	}
}
