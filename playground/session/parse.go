package session

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// ParseConfig reads the page's settings, JSON of Config's fields, over
// Default's: a field left out keeps its default. A value of the wrong
// kind (a seed of -1 or 1.5, a batch size of 2.5) is refused with the
// setting named as the page names it, rather than as Go's decoder does
// ("cannot unmarshal number -1 into Go struct field Config.seed").
// Whether the values can work is New's to check.
func ParseConfig(text string) (Config, error) {
	cfg := Default()
	err := json.Unmarshal([]byte(text), &cfg)
	var kind *json.UnmarshalTypeError
	switch {
	case errors.As(err, &kind):
		name, want := settingNames[kind.Field], wantOf[kind.Field]
		if name == "" {
			name = kind.Field
		}
		if want == "" {
			want = "a value of type " + kind.Type.String()
		}
		if number, ok := strings.CutPrefix(kind.Value, "number "); ok {
			return Default(), fmt.Errorf("%s %s: want %s", name, number, want)
		}
		return Default(), fmt.Errorf("%s: got a %s; want %s", name, kind.Value, want)
	case err != nil:
		return Default(), fmt.Errorf("the settings are not JSON of the page's fields: %v", err)
	}
	return cfg, nil
}

// settingNames are the page's names of Config's JSON fields.
var settingNames = map[string]string{
	"data": "data set", "noise": "noise", "n": "points", "k": "classes", "test": "test fraction", "inputs": "inputs",
	"hidden": "hidden layers", "act": "activation", "acts": "activations", "dropout": "dropout", "vs": "activation to compare with",
	"scale": "initial weight scale", "loss": "loss", "opt": "optimizer", "lr": "learning rate", "momentum": "momentum",
	"batch": "batch size", "l2": "L2", "l1": "L1", "seed": "seed",
}

// wantOf says what a field of a kind other than a number takes, and the
// whole numbers' fields their range.
var wantOf = map[string]string{
	"n": "a whole number of points", "k": "a whole number of classes", "batch": "a whole number of points from 1",
	"seed": fmt.Sprintf("a whole number from 0 to %d", uint64(MaxSeed)), "hidden": "whole numbers of neurons",
	"noise": "a number", "test": "a number", "dropout": "a number", "scale": "a number", "lr": "a number",
	"momentum": "a number", "l2": "a number", "l1": "a number",
	"data": "a set's name", "act": "an activation's name", "vs": "an activation's name", "loss": "a loss's name", "opt": "an optimizer's name",
	"inputs": "a list of inputs' names", "acts": "a list of activations' names",
}
