package lab

import (
	"strings"
	"testing"
)

func TestControlFinding(t *testing.T) {
	for _, c := range []struct {
		faster, sigmoid, tanh []float64
		want                  string
	}{
		{[]float64{31}, []float64{81}, []float64{15}, "makes up part of the gap, not all of it"},
		{[]float64{14}, []float64{81}, []float64{15}, "makes up all of the gap"},
		{[]float64{151}, []float64{81}, []float64{15}, "makes up none of the gap"},
	} {
		if f := controlFinding(c.faster, c.sigmoid, c.tanh, 150); !strings.Contains(f, c.want) || !strings.Contains(f, "(151 = never)") {
			t.Errorf("controlFinding(%v, %v, %v) = %q; want it to say %q", c.faster, c.sigmoid, c.tanh, f, c.want)
		}
	}
}
