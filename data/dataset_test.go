package data

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestSpiralShapeAndDeterminism(t *testing.T) {
	a := Spiral(100, 3, 0.2, rand.New(rand.NewPCG(1, 1)))
	b := Spiral(100, 3, 0.2, rand.New(rand.NewPCG(1, 1)))
	if a.Len() != 300 || a.X.Cols != 2 || a.Classes != 3 {
		t.Fatalf("spiral is %d×%d with %d classes", a.Len(), a.X.Cols, a.Classes)
	}
	if !slices.Equal(a.X.Data, b.X.Data) || !slices.Equal(a.Labels, b.Labels) {
		t.Error("the same seed gave different spirals")
	}
	for i := range a.Len() {
		if a.Labels[i] != i/100 {
			t.Fatalf("row %d has label %d, want %d (arm by arm)", i, a.Labels[i], i/100)
		}
	}
}

// TestSpiralRadius checks the geometry: without noise, point i of an arm
// lies at radius i/(n−1) and angle 4j + 4r.
func TestSpiralRadius(t *testing.T) {
	d := Spiral(5, 2, 0, rand.New(rand.NewPCG(1, 1)))
	for j := range 2 {
		for i := range 5 {
			row := d.X.Row(j*5 + i)
			r := math.Hypot(float64(row[0]), float64(row[1]))
			wantR := float64(i) / 4
			theta := 4*float64(j) + 4*wantR
			if math.Abs(r-wantR) > 1e-6 || (i > 0 && math.Abs(float64(row[0])-wantR*math.Sin(theta)) > 1e-6) {
				t.Errorf("arm %d point %d = %v, want radius %v at angle %v", j, i, row, wantR, theta)
			}
		}
	}
}
