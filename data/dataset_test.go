package data

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/wigglenn/wiggle/tensor"
)

// TestInClasses: labels are matched to a model's classes by name, not by
// position (bronze, gold, silver against gold, silver, zinc); a class the
// rows lack is empty, and a label outside the classes is a *ClassError.
func TestInClasses(t *testing.T) {
	ds := &Dataset{X: tensor.New(3, 1), Labels: []int{0, 1, 0}, Classes: 2, ClassNames: []string{"gold", "silver"}}
	got, err := ds.InClasses([]string{"bronze", "gold", "silver"})
	if err != nil || !slices.Equal(got.Labels, []int{1, 2, 1}) || got.Classes != 3 || !slices.Equal(got.ClassNames, []string{"bronze", "gold", "silver"}) {
		t.Errorf("InClasses: %v, %+v; want labels 1, 2, 1 of three classes", err, got)
	}
	if !slices.Equal(ds.Labels, []int{0, 1, 0}) || ds.Classes != 2 {
		t.Errorf("InClasses changed its set: %+v", ds)
	}
	_, err = ds.InClasses([]string{"bronze", "gold"})
	var ce *ClassError
	if !errors.As(err, &ce) || ce.Label != "silver" || !strings.Contains(err.Error(), `the label "silver" is none of the classes "bronze", "gold"`) {
		t.Errorf("a label outside the classes: %v", err)
	}
	if _, err := (&Dataset{X: tensor.New(1, 1), Values: tensor.New(1, 1)}).InClasses([]string{"a"}); err == nil {
		t.Error("InClasses of a regression set gave no error")
	}
	for _, bad := range []*Dataset{ // labels outside their classes: an error, not a panic
		{X: tensor.New(2, 1), Labels: []int{0, 5}, Classes: 2},
		{X: tensor.New(1, 1), Labels: []int{-1}, Classes: 2},
		{X: tensor.New(1, 1), Labels: []int{0}, Classes: -1},
	} {
		if _, err := bad.InClasses([]string{"a", "b"}); err == nil {
			t.Errorf("InClasses of labels %v of %d classes: no error", bad.Labels, bad.Classes)
		}
	}
	if _, err := ds.InClasses([]string{"gold", "silver", "gold"}); err == nil || !strings.Contains(err.Error(), `name "gold" twice`) {
		t.Errorf("InClasses of classes naming gold twice: %v", err)
	}
}
