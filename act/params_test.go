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
