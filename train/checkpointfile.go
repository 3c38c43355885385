package train

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/wigglenn/wiggle/modelio"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/optim"
	"github.com/wigglenn/wiggle/probe"
)

// A checkpoint file is a wiggle model file with more in it: the
// optimizer's state as tensors "optimizer.PARAM.SLOT" (PyTorch's slot
// names), early stopping's best weights as "best.PARAM" (the prefixes of
// modelio.CheckpointPrefixes), and the rest of the Checkpoint as JSON in
// the metadata key CheckpointKey. modelio.Load, `wiggle eval` and
// `wiggle train --init` read it as the model it holds; LoadCheckpoint and
// `wiggle train --resume` go on from it.

// CheckpointKey is the metadata key of a checkpoint file that holds the
// Checkpoint's values other than tensors, as JSON.
const CheckpointKey = "checkpoint"

// ErrDamagedCheckpoint is CheckpointFromFile's error, wrapped, when a
// checkpoint file's metadata lacks what every checkpoint holds.
var ErrDamagedCheckpoint = errors.New("the file is damaged")

// checkpointMeta is a Checkpoint less its tensors, as a checkpoint file's
// metadata holds it.
type checkpointMeta struct {
	Epoch     int                 `json:"epoch"`
	Row       int                 `json:"row"`
	Total     float64             `json:"total"`
	Right     int                 `json:"right"`
	Shuffle   []byte              `json:"shuffle"` // base64 in JSON
	Dropout   [][]byte            `json:"dropout,omitempty"`
	Step      int                 `json:"optimizer_step"`
	FirstLoss float64             `json:"first_loss"`
	BestEpoch int                 `json:"best_epoch,omitempty"`
	BestLoss  float64             `json:"best_loss,omitempty"`
	Health    []probe.EpochHealth `json:"health,omitempty"` // the earlier form, and a series healthColumns cannot hold
	HealthCol *healthColumns      `json:"health_columns,omitempty"`
	Probe     *probe.Partial      `json:"probe,omitempty"` // none at an epoch's end
	Settings  *Settings           `json:"settings,omitempty"`
	Data      string              `json:"data,omitempty"`
	ValData   string              `json:"val_data,omitempty"`
	Loss      string              `json:"loss,omitempty"`
	Network   string              `json:"network,omitempty"`
	Weights   string              `json:"weights,omitempty"`
}

// File is c as a checkpoint file of m, whose network holds the weights c
// was taken with: m's model file with c's tensors and metadata added.
func (c *Checkpoint) File(m *modelio.Model) (*modelio.File, error) {
	switch {
	case c == nil:
		return nil, errors.New("no checkpoint (nil) to write")
	case len(c.Shuffle) == 0:
		return nil, errors.New("an empty checkpoint: it holds no shuffling state; write one that Config.OnCheckpoint received")
	case m == nil || m.Net == nil:
		return nil, errors.New("no model (nil) to write the checkpoint of")
	case c.Weights != "" && c.Weights != weightsPrint(m.Net):
		return nil, errors.New("the model's network no longer holds the weights the checkpoint was taken with (it has trained on since); write the checkpoint inside Config.OnCheckpoint")
	case c.Optimizer.Steps != nil:
		return nil, fmt.Errorf("the optimizer's parameters have taken different numbers of steps (%v: some were left out of some steps); a checkpoint file records one count for all, as Fit steps them", c.Optimizer.Steps)
	}
	f, err := m.File()
	if err != nil {
		return nil, err
	}
	params := m.Net.Params()
	for _, slot := range sortedKeys(c.Optimizer.Tensors) {
		if len(c.Optimizer.Tensors[slot]) != len(params) {
			return nil, fmt.Errorf("the optimizer's %s holds %d tensors for %d parameters", slot, len(c.Optimizer.Tensors[slot]), len(params))
		}
		for i, v := range c.Optimizer.Tensors[slot] {
			f.Tensors = append(f.Tensors, modelio.Tensor{Name: "optimizer." + params[i].Name + "." + slot, Shape: params[i].Shape, Data: v})
		}
	}
	if c.Best != nil && len(c.Best) != len(params) {
		return nil, fmt.Errorf("the best weights hold %d tensors for %d parameters", len(c.Best), len(params))
	}
	for i, v := range c.Best {
		f.Tensors = append(f.Tensors, modelio.Tensor{Name: "best." + params[i].Name, Shape: params[i].Shape, Data: v})
	}
	meta := checkpointMeta{Epoch: c.Epoch, Row: c.Row, Total: c.Total, Right: c.Right, Shuffle: c.Shuffle,
		Dropout: c.Dropout, Step: c.Optimizer.Step, FirstLoss: c.FirstLoss, BestEpoch: c.BestEpoch, BestLoss: c.BestLoss,
		Settings: c.Settings, Data: c.Data, ValData: c.ValData, Loss: c.Loss, Network: c.Network, Weights: c.Weights}
	if meta.HealthCol = columnsOf(c.Health); meta.HealthCol == nil {
		meta.Health = c.Health
	}
	if c.Probe.Step > 0 {
		meta.Probe = &c.Probe
	}
	raw, err := json.Marshal(meta)
	if err != nil {
		return nil, err
	}
	f.Metadata[CheckpointKey] = string(raw)
	return f, nil
}

// CheckpointFromFile reads the Checkpoint a checkpoint file holds, its
// tensors matched to net's parameters by name. The model's own weights
// are not read: modelio.LoadStateDict (or FromFile) reads those.
func CheckpointFromFile(f *modelio.File, net *nn.Sequential) (*Checkpoint, error) {
	switch {
	case f == nil:
		return nil, errors.New("no file (nil) to read a checkpoint from")
	case f.Metadata[CheckpointKey] == "":
		return nil, errors.New("a model file, not a checkpoint (its metadata has no \"" + CheckpointKey + "\")")
	case net == nil:
		return nil, errors.New("no network (nil) to read the checkpoint for")
	}
	var meta checkpointMeta
	if err := json.Unmarshal([]byte(f.Metadata[CheckpointKey]), &meta); err != nil {
		return nil, fmt.Errorf("metadata %q is not valid: %v", CheckpointKey, err)
	}
	if len(meta.Shuffle) == 0 {
		return nil, fmt.Errorf("metadata %q holds no shuffling state: %w", CheckpointKey, ErrDamagedCheckpoint)
	}
	c := &Checkpoint{Epoch: meta.Epoch, Row: meta.Row, Total: meta.Total, Right: meta.Right, Shuffle: meta.Shuffle,
		Dropout: meta.Dropout, FirstLoss: meta.FirstLoss, BestEpoch: meta.BestEpoch, BestLoss: meta.BestLoss,
		Health: meta.Health, Settings: meta.Settings, Data: meta.Data, ValData: meta.ValData, Loss: meta.Loss, Network: meta.Network, Weights: meta.Weights,
		Optimizer: optim.Slots{Step: meta.Step, Tensors: map[string][][]float32{}}}
	if meta.Probe != nil {
		c.Probe = *meta.Probe
	}
	if meta.HealthCol != nil {
		series, err := meta.HealthCol.series()
		if err != nil {
			return nil, fmt.Errorf("metadata %q: %v: %w", CheckpointKey, err, ErrDamagedCheckpoint)
		}
		c.Health = series
	}
	params := net.Params()
	for _, t := range f.Tensors {
		switch {
		case strings.HasPrefix(t.Name, "optimizer."):
			rest := strings.TrimPrefix(t.Name, "optimizer.")
			i := slices.IndexFunc(params, func(p *nn.Param) bool { return strings.HasPrefix(rest, p.Name+".") })
			if i < 0 {
				return nil, fmt.Errorf("tensor %s is the state of no parameter of the network", t.Name)
			}
			if !slices.Equal(t.Shape, params[i].Shape) {
				return nil, fmt.Errorf("tensor %s has shape %s; parameter %s has %s", t.Name, modelio.ShapeString(t.Shape), params[i].Name, modelio.ShapeString(params[i].Shape))
			}
			slot := strings.TrimPrefix(rest, params[i].Name+".")
			if c.Optimizer.Tensors[slot] == nil {
				c.Optimizer.Tensors[slot] = make([][]float32, len(params))
			}
			c.Optimizer.Tensors[slot][i] = t.Data
		case strings.HasPrefix(t.Name, "best."):
			i := slices.IndexFunc(params, func(p *nn.Param) bool { return "best."+p.Name == t.Name })
			if i < 0 {
				return nil, fmt.Errorf("tensor %s is no parameter of the network", t.Name)
			}
			if !slices.Equal(t.Shape, params[i].Shape) {
				return nil, fmt.Errorf("tensor %s has shape %s; parameter %s has %s", t.Name, modelio.ShapeString(t.Shape), params[i].Name, modelio.ShapeString(params[i].Shape))
			}
			if c.Best == nil {
				c.Best = make([][]float32, len(params))
			}
			c.Best[i] = t.Data
		}
	}
	return c, nil
}

// SaveCheckpoint writes c, taken of m's network, to path as a checkpoint
// file, whole or not at all (temporary file, sync, rename).
func SaveCheckpoint(path string, m *modelio.Model, c *Checkpoint) error {
	f, err := c.File(m)
	if err != nil {
		return err
	}
	return modelio.WriteFile(path, f)
}

// LoadCheckpoint reads a checkpoint file that SaveCheckpoint (or `wiggle
// train --checkpoint-every`) wrote: the model, its network rebuilt and
// holding the checkpoint's weights, and the Checkpoint for Config.Resume.
// Errors name the path.
func LoadCheckpoint(path string) (*modelio.Model, *Checkpoint, error) {
	f, err := modelio.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	m, err := modelio.FromFile(f)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	c, err := CheckpointFromFile(f, m.Net)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, c, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
