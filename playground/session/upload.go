package session

import (
	"errors"
	"strconv"
	"strings"

	"github.com/wigglenn/wiggle/data"
)

// NewFromCSV starts a run on the points of an uploaded CSV file (text,
// called name in errors), its last column the target: class labels where
// that column holds labels (with cfg's loss, or softmax where cfg asks for
// mse), else values, for regression with the mse loss: many real values
// (data.ErrRealValuedTarget), or more numbers than the page has colours
// for classes. The run's Config says which loss it took.
func NewFromCSV(cfg Config, name, text string) (*Session, error) {
	if cfg.Loss == "mse" {
		cfg.Loss = "softmax"
	}
	ds, err := data.ParseCSV(name, strings.NewReader(text), data.CSVOptions{TargetLast: true})
	if errors.Is(err, data.ErrRealValuedTarget) || (err == nil && ds.Classes > MaxClasses && allNumbers(ds.ClassNames)) { // values, not labels
		cfg.Loss = "mse"
		ds, err = data.ParseCSV(name, strings.NewReader(text), data.CSVOptions{TargetLast: true, Regression: true})
	}
	if err != nil {
		return nil, err
	}
	return NewWithData(cfg, ds)
}

// allNumbers is whether every label is a number.
func allNumbers(labels []string) bool {
	for _, l := range labels {
		if _, err := strconv.ParseFloat(l, 64); err != nil {
			return false
		}
	}
	return true
}
