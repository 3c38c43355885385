package train

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"math"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/wigglenn/wiggle/loss"
	"github.com/wigglenn/wiggle/modelio"
	"github.com/wigglenn/wiggle/probe"
)

// filledSeries is a series of epochs of two layers whose every float64
// field holds a value of its own (a NaN Dead among them), the figures at
// the start set in one layer and nil in the other.
func filledSeries(epochs int) []probe.EpochHealth {
	start := func(v float64) *float64 { return &v }
	series := make([]probe.EpochHealth, epochs)
	next := 0.5
	for e := range series {
		layers := []probe.LayerStats{
			{Layer: 1, Activation: "tanh", Units: 64, DeadAtStart: start(0.25), SaturatedAtStart: start(0.125), PreStdAtStart: start(3)},
			{Layer: 2, Activation: "maxout", Units: 8, Pieces: 3},
		}
		for i := range layers {
			for _, field := range healthNumbers {
				next = next*1.0001 + 1.0/3
				*field(&layers[i]) = next
			}
		}
		layers[1].Dead = math.NaN()
		series[e] = probe.EpochHealth{Epoch: e + 1, Layers: layers}
	}
	return series
}

// sameBits compares two series field by field, float64s by their bits
// (a NaN Dead equal to itself), pointers by what they point to.
func sameBits(a, b []probe.EpochHealth) bool {
	bits := func(s probe.LayerStats) ([]uint64, probe.LayerStats) {
		var out []uint64
		for _, field := range healthNumbers {
			out = append(out, math.Float64bits(*field(&s)))
		}
		return out, healthFacts(s)
	}
	return slices.EqualFunc(a, b, func(x, y probe.EpochHealth) bool {
		return x.Epoch == y.Epoch && slices.EqualFunc(x.Layers, y.Layers, func(s, t probe.LayerStats) bool {
			sb, sf := bits(s)
			tb, tf := bits(t)
			return slices.Equal(sb, tb) && reflect.DeepEqual(sf, tf)
		})
	})
}

// TestHealthColumnsRoundTrip: a series written as columns reads back bit
// for bit, each epoch with figures at the start of its own.
func TestHealthColumnsRoundTrip(t *testing.T) {
	series := filledSeries(5)
	c := columnsOf(series)
	if c == nil {
		t.Fatal("columnsOf refused a series of fixed layers")
	}
	raw, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	var back healthColumns
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	got, err := back.series()
	if err != nil {
		t.Fatal(err)
	}
	if !sameBits(got, series) {
		t.Fatalf("read back\n%+v\nwritten\n%+v", got, series)
	}
	if got[0].Layers[0].DeadAtStart == got[1].Layers[0].DeadAtStart {
		t.Error("two epochs share a pointer to their figure at the start; each keeps its own")
	}
}

// TestHealthNumbersCoverLayerStats: every float64 field of
// probe.LayerStats is one of healthNumbers, so that a field added there
// is not left out of checkpoints (this test fails until it is listed, or
// is a fixed fact of another type).
func TestHealthNumbersCoverLayerStats(t *testing.T) {
	var s probe.LayerStats
	listed := map[uintptr]bool{}
	for _, field := range healthNumbers {
		listed[reflect.ValueOf(field(&s)).Pointer()] = true
	}
	v := reflect.ValueOf(&s).Elem()
	for i := range v.NumField() {
		if v.Field(i).Kind() == reflect.Float64 && !listed[v.Field(i).Addr().Pointer()] {
			t.Errorf("probe.LayerStats.%s is a float64 healthNumbers leaves out", v.Type().Field(i).Name)
		}
	}
	if len(listed) != len(healthNumbers) {
		t.Errorf("healthNumbers lists a field twice: %d fields of %d", len(listed), len(healthNumbers))
	}
}

// TestHealthColumnsRefuseMixedLayers: a series whose layers change from
// epoch to epoch is not written as columns (File writes it as JSON).
func TestHealthColumnsRefuseMixedLayers(t *testing.T) {
	series := filledSeries(3)
	series[2].Layers[0].Units = 65
	if columnsOf(series) != nil {
		t.Error("a series whose layer changed its units written as columns")
	}
	series = filledSeries(3)
	*series[1].Layers[0].PreStdAtStart = 4
	if columnsOf(series) != nil {
		t.Error("a series whose figure at the start changed written as columns")
	}
	series = filledSeries(3)
	series[1].Layers = series[1].Layers[:1]
	if columnsOf(series) != nil {
		t.Error("a series of an epoch with a layer fewer written as columns")
	}
}

// TestCheckpointHealthCompactAndReadBack: a probed run's checkpoint file
// holds its series as columns, well under the JSON's size, and reads it
// back as the run made it; the same file with the series in the earlier
// form ("health", JSON) reads the same; numbers cut short are a damaged
// checkpoint.
func TestCheckpointHealthCompactAndReadBack(t *testing.T) {
	net, trainSet, valSet, cfg := checkpointRun()
	var saved *Checkpoint
	var f *modelio.File
	cfg.CheckpointEvery = 3
	cfg.OnCheckpoint = func(c *Checkpoint) error {
		var err error
		saved, f = c, nil
		f, err = c.File(&modelio.Model{Net: net, Loss: "softmax"})
		return err
	}
	if _, err := Fit(context.Background(), net, loss.Softmax{}, trainSet, valSet, cfg); err != nil {
		t.Fatal(err)
	}
	if saved == nil || f == nil || len(saved.Health) < 2 {
		t.Fatalf("the run's checkpoint %+v; want one with two epochs of health or more", saved)
	}
	var meta map[string]json.RawMessage
	if err := json.Unmarshal([]byte(f.Metadata[CheckpointKey]), &meta); err != nil {
		t.Fatal(err)
	}
	asJSON, _ := json.Marshal(saved.Health)
	if meta["health"] != nil || meta["health_columns"] == nil || 2*len(meta["health_columns"]) > len(asJSON) {
		t.Fatalf("the checkpoint's series: %d bytes as columns, \"health\" %d bytes; want columns alone, under half the JSON's %d", len(meta["health_columns"]), len(meta["health"]), len(asJSON))
	}

	dir := t.TempDir()
	read := func(name string, f *modelio.File) (*Checkpoint, error) {
		path := filepath.Join(dir, name)
		if err := modelio.WriteFile(path, f); err != nil {
			t.Fatal(err)
		}
		_, c, err := LoadCheckpoint(path)
		return c, err
	}
	c, err := read("columns.ckpt", f)
	if err != nil {
		t.Fatal(err)
	}
	if !sameBits(c.Health, saved.Health) {
		t.Errorf("read back from columns:\n%+v\nthe run's:\n%+v", c.Health, saved.Health)
	}

	old := maps.Clone(meta)
	delete(old, "health_columns")
	old["health"] = asJSON
	f.Metadata[CheckpointKey] = string(mustJSON(t, old))
	if c, err = read("earlier.ckpt", f); err != nil {
		t.Fatal(err)
	}
	if !sameBits(c.Health, saved.Health) {
		t.Errorf("read back from the earlier form:\n%+v\nthe run's:\n%+v", c.Health, saved.Health)
	}

	var cols healthColumns
	if err := json.Unmarshal(meta["health_columns"], &cols); err != nil {
		t.Fatal(err)
	}
	cols.Numbers = cols.Numbers[:len(cols.Numbers)-8]
	short := maps.Clone(meta)
	short["health_columns"] = mustJSON(t, cols)
	f.Metadata[CheckpointKey] = string(mustJSON(t, short))
	if _, err = read("short.ckpt", f); !errors.Is(err, ErrDamagedCheckpoint) || !strings.Contains(err.Error(), "probe's series") {
		t.Errorf("numbers cut short: %v; want ErrDamagedCheckpoint naming the probe's series", err)
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}
