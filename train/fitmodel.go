package train

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/loss"
	"github.com/wigglenn/wiggle/modelio"
)

// FitModel trains m further (fine-tuning) on trainSet, evaluating on
// valSet (which may be nil): Fit on m.Net under m's loss, with the rows
// as m's network takes them.
//
// The sets hold raw features, as Model.Evaluate takes them. Where m
// standardises its rows (m.Scaler, as an imported file's (x − mean)/std
// becomes), FitModel standardises copies of the sets' features with it
// first, so the sets are left as they were (the copies cost a set's
// features once more while FitModel runs). A set that names its columns
// or classes must name m's, in m's order: read a CSV file with
// data.CSVOptions{Features: m.Features, Classes: m.Classes}.
//
// Errors, concurrency and what FitModel changes are Fit's: it changes
// m.Net's weights and nothing else of m. m must not be saved or served
// (model.New) while FitModel runs: from cfg.OnEpoch, it may.
func FitModel(ctx context.Context, m *modelio.Model, trainSet, valSet *data.Dataset, cfg Config) (Result, error) {
	if m == nil {
		return Result{}, errors.New("no model (a nil *modelio.Model)")
	}
	release, err := claim(m.Net) // before Check reads the weights another Fit may be stepping
	if err != nil {
		return Result{}, err
	}
	defer release()
	if err := m.Check(); err != nil {
		return Result{}, fmt.Errorf("the model: %w", err)
	}
	l, err := loss.New(m.Loss)
	if err != nil {
		return Result{}, fmt.Errorf("the model: %w", err)
	}
	for _, set := range []struct {
		what string
		ds   *data.Dataset
	}{{"training", trainSet}, {"validation", valSet}} {
		if err := sameColumns(set.what, set.ds, m); err != nil {
			return Result{}, err
		}
	}
	return fitClaimed(ctx, m.Net, l, standardized(m.Scaler, trainSet), standardized(m.Scaler, valSet), cfg)
}

// sameColumns reports columns or classes ds names other than m's.
func sameColumns(what string, ds *data.Dataset, m *modelio.Model) error {
	switch {
	case ds == nil:
		return nil
	case ds.Features != nil && m.Features != nil && !slices.Equal(ds.Features, m.Features):
		return fmt.Errorf("the %s data's columns are %v; the model takes %v, in that order (read the data with the model's Features)", what, ds.Features, m.Features)
	case ds.ClassNames != nil && m.Classes != nil && !slices.Equal(ds.ClassNames, m.Classes):
		return fmt.Errorf("the %s data's classes are %v; the model's are %v, in that order (read the data with the model's Classes)", what, ds.ClassNames, m.Classes)
	}
	return nil
}

// standardized is ds with a standardised copy of its features, or ds
// itself where there is no scaler or nothing Fit could read (Fit's checks
// say what is wrong with it, and a scaler of other columns than X's).
func standardized(s *data.Standardizer, ds *data.Dataset) *data.Dataset {
	if s == nil || ds == nil || ds.X == nil || ds.X.Cols != len(s.Mean) || len(ds.X.Data) != ds.X.Rows*ds.X.Cols {
		return ds
	}
	out := *ds
	out.X = ds.X.Clone()
	s.Apply(out.X)
	return &out
}
