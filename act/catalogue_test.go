package act

import (
	"strings"
	"testing"
)

func TestNewErrorsNameWhatIsValid(t *testing.T) {
	cases := []struct {
		name   string
		params []string
		want   []string // substrings of the error
	}{
		{"relux", nil, []string{`unknown activation "relux"`, "relu", "leaky_relu", "mish", "silu (swish)", "identity (linear)"}},
		{"leaky_relu", []string{"slope=0.2"}, []string{`leaky_relu has no parameter "slope"`, "negative_slope (default 0.01)"}},
		{"relu", []string{"alpha=1"}, []string{"takes no parameters"}},
		{"elu", []string{"alpha=big"}, []string{`alpha="big"`, "finite number"}},
		{"elu", []string{"alpha=NaN"}, []string{"finite number"}},
		{"gelu", []string{"approximate=fast"}, []string{"none, tanh"}},
		{"celu", []string{"alpha=0"}, []string{"non-zero"}},
		{"softplus", []string{"beta=0"}, []string{"non-zero"}},
		{"softplus", []string{"beta=1e-45"}, []string{"want a non-zero magnitude from 1.2e-38"}}, // not "0 or", which beta=0 refuses
		{"celu", []string{"alpha=-0"}, []string{"want a non-zero magnitude"}},
		{"elu", []string{"alpha=1e-45"}, []string{"want 0 or a magnitude from 1.2e-38"}},
		{"hardtanh", []string{"min_val=2"}, []string{"above min_val"}},
		{"hardtanh", []string{"min_val=1", "max_val=1.00000001"}, []string{"above min_val", "float32"}}, // equal in float32
		{"elu", []string{"alpha=1e300"}, []string{`alpha="1e300"`, "float32"}},
		{"leaky_relu", []string{"negative_slope=-3.5e38"}, []string{"float32"}},
		{"celu", []string{"alpha=1e-40"}, []string{`alpha="1e-40"`, "float32"}}, // 1/alpha overflows
		{"softplus", []string{"beta=2", "beta=3"}, []string{"beta is given twice"}},
		{"leaky_relu", []string{"negative_slope=0x1p-3"}, []string{`negative_slope="0x1p-3"`, "hexadecimal: write 0.125"}}, // Go's literals, refused as in data
		{"elu", []string{"alpha=1_0e-1"}, []string{"digits separated by '_': write 10e-1"}},
	}
	for _, c := range cases {
		_, err := New(c.name, c.params...)
		if err == nil {
			t.Errorf("New(%q, %q) succeeded; want an error", c.name, c.params)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("New(%q, %q) error %q does not mention %q", c.name, c.params, err, w)
			}
		}
	}
}

// TestNewTakesFloat32sRange: the edges of float32's normal numbers, and 0
// where it is allowed, are accepted.
func TestNewTakesFloat32sRange(t *testing.T) {
	for _, c := range []struct{ name, param string }{
		{"leaky_relu", "negative_slope=3.4e38"}, {"leaky_relu", "negative_slope=-1.2e-38"},
		{"leaky_relu", "negative_slope=0"}, {"elu", "alpha=-3e38"}, {"celu", "alpha=1.2e-38"},
	} {
		if _, err := New(c.name, c.param); err != nil {
			t.Errorf("New(%q, %q): %v", c.name, c.param, err)
		}
	}
}

func TestStringParsesBack(t *testing.T) {
	for _, info := range Catalogue() {
		f := MustNew(info.Name)
		g, err := Parse(f.String())
		if err != nil {
			t.Fatalf("Parse(%q): %v", f.String(), err)
		}
		if g.String() != f.String() || g.Name() != info.Name {
			t.Errorf("Parse(%q) gave %q", f.String(), g.String())
		}
	}
	f, err := Parse("leaky_relu(negative_slope=0.2)")
	if err != nil {
		t.Fatal(err)
	}
	y := make([]float32, 1)
	f.Forward(y, []float32{-1})
	if y[0] != -0.2 {
		t.Errorf("leaky_relu(negative_slope=0.2)(-1) = %v, want -0.2", y[0])
	}
	if _, err := Parse("elu(alpha=1"); err == nil {
		t.Error(`Parse("elu(alpha=1") succeeded; want an error for the missing parenthesis`)
	}
}

func TestAliases(t *testing.T) {
	for alias, name := range map[string]string{"swish": "silu", "linear": "identity", "heaviside": "step"} {
		if f, err := New(alias); err != nil || f.Name() != name {
			t.Errorf("New(%q) = %v, %v; want %s", alias, f, err, name)
		}
	}
}

// TestSaturation: the sides where f′ tends to 0, less those where f and
// f′ are both 0 (off, named so), for every kind of entry.
func TestSaturation(t *testing.T) {
	for name, want := range map[string]string{
		"relu": "no (x -> -inf: off)", "relu6": "x -> +inf (x -> -inf: off)", "hardsigmoid": "x -> +inf (x -> -inf: off)",
		"hardswish": "no (x -> -inf: off)", "sigmoid": "both sides", "hardtanh": "both sides", "elu": "x -> -inf",
		"gelu": "x -> -inf", "logsigmoid": "x -> +inf", "leaky_relu": "no", "step": "everywhere it is not 0 (x -> -inf: off)", "identity": "no",
	} {
		info, ok := Lookup(name)
		if !ok {
			t.Fatalf("%s is not in the catalogue", name)
		}
		if got := info.Saturation(); got != want {
			t.Errorf("%s: Saturation() = %q, want %q", name, got, want)
		}
	}
}
