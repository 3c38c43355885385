package act

import (
	"maps"
	"testing"
)

// TestParams reads back the parameters New was given, and the defaults of
// those it was not.
func TestParams(t *testing.T) {
	for _, c := range []struct {
		f    Func
		want map[string]string
	}{
		{MustNew("leaky_relu", "negative_slope=0.2"), map[string]string{"negative_slope": "0.2"}},
		{MustNew("softplus"), map[string]string{"beta": "1", "threshold": "20"}},
		{MustNew("relu"), map[string]string{}},
		{MustNew("prelu", "weight=0.3"), map[string]string{"weight": "0.3"}}, // a slope learner
	} {
		if got := Params(c.f); !maps.Equal(got, c.want) {
			t.Errorf("Params(%s) = %v, want %v", c.f, got, c.want)
		}
	}
}

// TestParseWritesOneSpecPerActivation: a number however typed is written
// as the catalogue writes its defaults, so that the same activation has
// one spec (compare refuses it twice, files record it alike).
func TestParseWritesOneSpecPerActivation(t *testing.T) {
	for _, c := range []struct{ specs []string }{
		{[]string{"elu", "elu(alpha=1)", "elu(alpha=1.0)", "elu(alpha=1e0)", "elu(alpha=+1)", "elu( alpha = 10e-1 )"}},
		{[]string{"leaky_relu(negative_slope=0.125)", "leaky_relu(negative_slope=.125)"}},
		{[]string{"hardtanh(min_val=-2, max_val=3e0)", "hardtanh(max_val=3, min_val=-2.000)"}},
		{[]string{"gelu(approximate=tanh)", "gelu(approximate='tanh')", `gelu(approximate="tanh")`}}, // PyTorch's Python quotes its choices
	} {
		first, err := Parse(c.specs[0])
		if err != nil {
			t.Fatal(err)
		}
		for _, spec := range c.specs[1:] {
			f, err := Parse(spec)
			if err != nil || f.String() != first.String() {
				t.Errorf("Parse(%q) = %v (%v); want %s, as %q", spec, f, err, first, c.specs[0])
			}
		}
	}
}
