package data

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"strings"
)

// Loaded is what a --data name gives: rows to train on and, for MNIST, the
// standard test rows.
type Loaded struct {
	Train *Dataset
	Test  *Dataset // nil unless the source has a test split
}

// LoadOptions says how to read a --data name.
type LoadOptions struct {
	CSV  CSVOptions // for a CSV file
	Seed uint64     // for a generated set
	Log  io.Writer  // where MNIST's fetch reports; may be nil
}

// IsBuiltin reports whether name is a generated set or "mnist" rather than
// a file. A file of such a name is read as ./NAME.
func IsBuiltin(name string) bool {
	_, ok := findSynthetic(name)
	return ok || name == "mnist"
}

// Load reads what a --data argument names: "mnist", a generated set
// (SyntheticNames, with its default size and noise, from opt.Seed), or a CSV
// file. Generated sets and MNIST know their own target column.
func Load(name string, opt LoadOptions) (*Loaded, error) {
	if opt.Log == nil {
		opt.Log = io.Discard
	}
	if name == "mnist" {
		tr, te, err := LoadMNIST(opt.Log)
		if err != nil {
			return nil, err
		}
		return &Loaded{Train: tr, Test: te}, nil
	}
	if _, ok := findSynthetic(name); ok {
		ds, err := Generate(SyntheticSpec{Name: name, Noise: -1}, rand.New(rand.NewPCG(opt.Seed, 0xda7a)))
		if err != nil {
			return nil, err
		}
		return &Loaded{Train: ds}, nil
	}
	ds, err := ReadCSV(name, opt.CSV)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%v; --data takes a CSV file, mnist, or a generated set: %s", err, strings.Join(SyntheticNames(), ", "))
		}
		return nil, err
	}
	return &Loaded{Train: ds}, nil
}
