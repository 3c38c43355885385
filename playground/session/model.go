package session

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/modelio"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/train"
)

// Model is the run's network as a wiggle model, ready for modelio.Write:
// `wiggle eval` and `wiggle predict` read it, with the generated set's
// columns (x0, x1, label; x0, y for sine; x0, x1, value for plane and
// gaussians).
func (s *Session) Model() *modelio.Model {
	return &modelio.Model{Net: s.net, Loss: s.loss.Name(), Target: s.TrainSet.Target,
		Features: s.TrainSet.Features, Classes: s.TrainSet.ClassNames}
}

// FromModel starts a run of a model file's network on cfg's data: the
// hidden layers, activation, dropout and loss come from the model, its
// weights replace the initial ones, and the rest of cfg (data, optimizer,
// seed) stays. The model must be a fully-connected network of the page's
// kind (as `wiggle train` builds them) that takes the data's columns
// unstandardised.
func FromModel(cfg Config, m *modelio.Model) (*Session, error) {
	return FromModelOn(cfg, m, nil)
}

// kindFits refuses a classifier on values or a model of values on classes,
// saying which sets the model opens on.
func kindFits(cfg Config, m *modelio.Model, all *data.Dataset) error {
	valued := slices.Contains(RegressionSets(), cfg.Dataset)
	if all != nil {
		valued = all.Regression()
	}
	switch {
	case m.Loss == "mse" && !valued:
		return fmt.Errorf("the model predicts a value (its loss is mse); the %s data has classes: open it on %s", cfg.Dataset, strings.Join(RegressionSets(), ", "))
	case m.Loss != "mse" && valued:
		return fmt.Errorf("the model tells classes apart (its loss is %s); the %s data has values%s", m.Loss, cfg.Dataset, setsToOpenOn(m))
	}
	return nil
}

// setsToOpenOn names the generated sets of as many classes as m's, to
// open it on; "" for a model of values, or of a number no set has.
func setsToOpenOn(m *modelio.Model) string {
	classes := len(m.Classes)
	if m.Loss == "mse" || classes < 2 {
		return ""
	}
	var fits []string
	for _, name := range data.SyntheticNames() {
		if spec, err := (data.SyntheticSpec{Name: name}).Resolve(); err == nil && spec.Classes == classes {
			fits = append(fits, name)
		}
	}
	if len(fits) == 0 {
		return ""
	}
	return fmt.Sprintf(": open this model of %d classes on %s", classes, strings.Join(fits, ", "))
}

// FromModelOn is FromModel on points of one's own (a run's Data), or on
// cfg's generated set when all is nil.
func FromModelOn(cfg Config, m *modelio.Model, all *data.Dataset) (*Session, error) {
	if m == nil || m.Net == nil {
		return nil, errors.New("no model (nil, or without a network)")
	}
	if m.Scaler != nil {
		return nil, errors.New("the model standardises its inputs (it has a Scaler); the playground trains on raw coordinates")
	}
	if err := m.Check(); err != nil { // NaN weights among what it refuses: the page would draw them as numbers
		return nil, fmt.Errorf("the model: %w", err)
	}
	if err := fromSpec(&cfg, m.Net.Spec()); err != nil {
		return nil, err
	}
	cfg.Inputs = nil
	if names := m.Features; len(names) > 0 && !slices.Equal(names, []string{"x0", "x1"}) && !slices.Equal(names, []string{"x0"}) {
		for _, name := range names {
			if !slices.Contains(InputNames, name) {
				return nil, fmt.Errorf("the model takes the column %q; the playground's inputs are %v", name, InputNames)
			}
		}
		cfg.Inputs = names
	}
	cfg.Loss, cfg.Compare = m.Loss, ""
	if all == nil && cfg.Dataset == Custom {
		return nil, ErrNoOwnPoints
	}
	if err := kindFits(cfg, m, all); err != nil {
		return nil, err
	}
	var s *Session
	var err error
	if all != nil {
		s, err = NewWithData(cfg, all)
	} else {
		s, err = New(cfg)
	}
	if err != nil {
		return nil, fmt.Errorf("the model does not fit the %s data: %w", cfg.Dataset, err)
	}
	if m.Net.In != s.net.In || m.Net.OutSize() != s.net.OutSize() {
		return nil, fmt.Errorf("the model takes %d inputs and gives %d outputs; the %s data has %d and needs %d%s",
			m.Net.In, m.Net.OutSize(), cfg.Dataset, s.net.In, s.net.OutSize(), setsToOpenOn(m))
	}
	if err := modelio.LoadStateDict(s.net, &modelio.File{Tensors: modelio.StateDict(m.Net)}); err != nil {
		return nil, err
	}
	s.initialLoss, _, err = train.Evaluate(s.net, s.loss, s.TrainSet)
	return s, err
}

// fromSpec sets cfg's network from an architecture: Dense layers each
// followed by one activation (and perhaps dropout), then a Dense output.
func fromSpec(cfg *Config, spec nn.Spec) error {
	cfg.Hidden, cfg.Act, cfg.Acts, cfg.Dropout = nil, "", nil, 0
	var acts []string
	layers := spec.Layers
	for i := 0; i < len(layers); i++ {
		l := layers[i]
		hidden := i+1 < len(layers)
		var act string
		switch {
		case l.Type == "maxout" && hidden && l.Pieces == 2:
			act = "maxout"
			cfg.Hidden = append(cfg.Hidden, l.Out)
		case l.Type == "dense" && !hidden:
			setActs(cfg, acts)
			return nil
		case l.Type == "dense" && layers[i+1].Type == "activation":
			act, i = layers[i+1].Act, i+1
			cfg.Hidden = append(cfg.Hidden, l.Out)
		case l.Type == "dense" && layers[i+1].Type == "prelu" && layers[i+1].Units == 1:
			act, i = "prelu", i+1
			cfg.Hidden = append(cfg.Hidden, l.Out)
		default:
			return fmt.Errorf("the model's layer %d (%s) is not of a network the playground builds (dense layers, each followed by one activation)", i, l.Type)
		}
		acts = append(acts, act)
		if i+1 < len(layers) && layers[i+1].Type == "dropout" {
			cfg.Dropout, i = layers[i+1].P, i+1
		}
	}
	return errors.New("the model has no output layer")
}

// setActs sets cfg's activation: one for every layer, or each its own.
func setActs(cfg *Config, acts []string) {
	if len(acts) == 0 {
		cfg.Act = "relu" // no hidden layer: the activation is unused
		return
	}
	cfg.Act = acts[0]
	for _, a := range acts {
		if a != acts[0] {
			cfg.Acts = acts
			return
		}
	}
}
