package plot

import (
	"bytes"
	"testing"

	"gonum.org/v1/plot/vg"

	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/tensor"
)

func TestDrawable(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"relu", "relu"},
		{"σ(x)·(1 − σ(x)), f′ ≥ √2π", "σ(x)·(1 − σ(x)), f′ ≥ √2π"}, // the catalogue's formulas draw
		{"Ёлка", "Ёлка"},
		{"猫", "U+732B"},
		{"a 🐶\nb\tc", "a U+1F436\nb\tc"},
		{"", ""},
	} {
		if got := drawable(c.in); got != c.want {
			t.Errorf("drawable(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestUndrawableClassNamesAreTold: a scatter of one class named 猫 and the
// same named 犬 were the same picture, the legend's name drawn as nothing.
func TestUndrawableClassNamesAreTold(t *testing.T) {
	png := func(class string) []byte {
		ds := &data.Dataset{X: tensor.FromRows([][]float32{{0, 0}, {1, 1}}), Labels: []int{0, 0}, Classes: 1, ClassNames: []string{class}, Features: []string{"x0", "x1"}, Target: "label"}
		p, err := Scatter(ds, "pets")
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := WritePNG(&buf, p, 3*vg.Inch, 3*vg.Inch); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	if bytes.Equal(png("猫"), png("犬")) {
		t.Error("classes named 猫 and 犬 drew the same picture: the legend names neither")
	}
}
