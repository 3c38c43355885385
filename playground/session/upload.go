package session

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/wigglenn/wiggle/data"
)

// NewFromCSV starts a run on the points of an uploaded CSV file (text,
// called name in errors), its last column the target: class labels where
// that column holds labels (with cfg's loss, or softmax where cfg asks for
// mse), else values, for regression with the mse loss: many real values
// (data.ErrRealValuedTarget), or more numbers than the page has colours
// for classes. The run's Config says which loss it took, and Notice says
// why where whole numbers were taken for values.
func NewFromCSV(cfg Config, name, text string) (*Session, error) {
	if cfg.Loss == "mse" {
		cfg.Loss = "softmax"
	}
	ds, err := data.ParseCSV(name, strings.NewReader(text), data.CSVOptions{TargetLast: true})
	notice := ""
	if err == nil && ds.Classes > MaxClasses && allNumbers(ds.ClassNames) {
		notice = fmt.Sprintf("The target column %q holds %d different numbers, more classes than the page has colours for (%d): it is read as values, for regression with the mse loss.", ds.Target, ds.Classes, MaxClasses)
	}
	if errors.Is(err, data.ErrRealValuedTarget) || notice != "" { // values, not labels
		cfg.Loss = "mse"
		ds, err = data.ParseCSV(name, strings.NewReader(text), data.CSVOptions{TargetLast: true, Regression: true})
	}
	if err != nil {
		return nil, err
	}
	s, err := NewWithData(cfg, ds)
	if s != nil {
		s.notice = notice
	}
	return s, err
}

// Notice is what the page should say of how the run read its points: that
// NewFromCSV took a column of whole numbers for values; "" otherwise.
func (s *Session) Notice() string { return s.notice }

// allNumbers is whether every label is a number.
func allNumbers(labels []string) bool {
	for _, l := range labels {
		if _, err := strconv.ParseFloat(l, 64); err != nil {
			return false
		}
	}
	return true
}
