//go:build js && wasm

// Command wasm is the playground's engine in the browser: wiggle's own
// packages (plain-Go kernels) compiled to WebAssembly, run by the page's
// Web Worker (static/worker.js). It exposes these functions on the global
// object, most taking and returning JSON text:
//
//	wiggleNew(config, csv)       → {info} or {error}: a new session.Config run (on csv's points, if given)
//	wiggleAddPoint(x, y, class)  → {} or {error}: a training point more, for the run and its twin
//	wiggleTrain(epochs, millis, test) → {stats, epochs, losses} or {error}: train until either
//	                               limit, and measure the test set after if test
//	wiggleView(grid)             → {grid, cells}, {grid, values} or {grid, curve}: the decision regions,
//	                               a 2-D regression set's predictions or the 1-D one's (an object, not JSON)
//	wiggleCatalogue()            → {activations, datasets, regressionSets, losses, optimizers, maxWidth,
//	                               maxLayers}: what the controls offer
//	wiggleLayers(grid)           → {layers, neurons, graph, twinHealth, twinDiverged}: each hidden layer's health and lens (JSON
//	                               text), its units' outputs over a grid×grid and the weights (Float32Arrays);
//	                               in compare mode the twin's health by layer (JSON text), or that it diverged
//	wiggleUnit(layer, unit)      → {in, bias}: a unit's incoming weights and bias, a row of each (a maxout unit's: a row a piece)
//	wiggleModel()                → a Uint8Array: the run's model as a wiggle safetensors file
//	wiggleLoad(config, bytes)    → like wiggleNew, for a model file's network on config's data
//	wiggleSetWeight(c, to, from, w) → {} or {error}: a weight set by hand, in the run and its twin
//	wiggleMeasure()              → {stats} or {error}: the run's figures at its weights as they stand
//	wiggleTune(config)           → {config}, {newRun: true} or {error, config}: a learning rate, L1, L2 or batch size for the running network (and its twin)
//
// Build it with `go generate ./playground` (see playground/generate.go).
package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"syscall/js"
	"time"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/loss"
	"github.com/wigglenn/wiggle/modelio"
	"github.com/wigglenn/wiggle/optim"
	"github.com/wigglenn/wiggle/playground/session"
)

// run is the page's run; twin its compare-mode twin, or nil.
var run, twin *session.Session

// twinHealth is the twin's health as last sent, kept for the chart once
// the twin diverges (its weights then NaN): its figures from before.
var twinHealth string

func main() {
	for name, fn := range map[string]func(js.Value, []js.Value) any{
		"wiggleNew": newRun, "wiggleTrain": trainRun, "wiggleView": viewRun, "wiggleCatalogue": catalogue,
		"wiggleLayers": layersRun, "wiggleUnit": unitRun, "wiggleModel": modelRun, "wiggleAddPoint": addPoint,
		"wiggleLoad": loadRun, "wiggleSetWeight": setWeight, "wiggleMeasure": measureRun, "wiggleTune": tuneRun,
	} {
		js.Global().Set(name, js.FuncOf(safe(fn)))
	}
	js.Global().Call("wiggleReady")
	select {} // serve calls until the worker ends
}

// safe turns a panic in fn into an error reply: in WebAssembly a panic
// would end the engine, and the page with it. (Each function guards its
// input; this is for what they miss.)
func safe(fn func(js.Value, []js.Value) any) func(js.Value, []js.Value) any {
	return func(this js.Value, args []js.Value) (out any) {
		defer func() {
			if r := recover(); r != nil {
				run, twin = nil, nil
				out = fail(fmt.Errorf("the engine failed (%v); please report it with the page's address", r))
			}
		}()
		return fn(this, args)
	}
}

// reply encodes v as the JSON text a call returns.
func reply(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		b, _ = json.Marshal(map[string]string{"error": err.Error()})
	}
	return string(b)
}

func fail(err error) any { return reply(map[string]string{"error": err.Error()}) }

// info is what the page needs to draw a new run before it trains.
type info struct {
	Config  session.Config  `json:"config"`
	Train   []session.Point `json:"train"`
	Test    []session.Point `json:"test"`
	Bounds  session.Bounds  `json:"bounds"`
	Classes int             `json:"classes"`
	// ClassNames name the classes, in order: an uploaded file's labels
	// (cat, dog), or a generated set's numbers.
	ClassNames []string `json:"classNames"`
	Plane      bool     `json:"plane"` // the points lie in (x, y): all but the 1-D regression set
	Network    string   `json:"network"`
	Notice     string   `json:"notice,omitempty"` // how an uploaded file was read (Session.Notice)
}

func newRun(_ js.Value, args []js.Value) any {
	cfg := session.Default()
	if len(args) > 0 {
		var err error
		if cfg, err = session.ParseConfig(args[0].String()); err != nil {
			return fail(err)
		}
	}
	var s *session.Session
	var err error
	if len(args) > 1 && args[1].Type() == js.TypeString { // an empty file too, which NewFromCSV refuses by name
		s, err = session.NewFromCSV(cfg, "the uploaded file", args[1].String())
	} else {
		s, err = session.New(cfg)
	}
	if err != nil { // the run before stays: the page keeps showing it
		return fail(err)
	}
	return started(s)
}

// started makes s the run (with its twin, in compare mode) and describes it.
func started(s *session.Session) any {
	t, err := s.Twin()
	if err != nil {
		return fail(fmt.Errorf("the network to compare with: %w", err))
	}
	run, twin, twinHealth = s, t, ""
	in := info{Config: s.Config(), Bounds: s.Bounds(), Classes: s.TrainSet.Classes, ClassNames: s.TrainSet.ClassNames, Plane: s.Plane(), Network: s.Net().Size().String(), Notice: s.Notice()}
	in.Train, in.Test = s.Points()
	return reply(in)
}

func trainRun(_ js.Value, args []js.Value) any {
	if run == nil {
		return fail(errNoRun)
	}
	maxEpochs, millis := args[0].Int(), args[1].Float()
	measure := len(args) < 3 || args[2].Bool()
	deadline := time.Now().Add(time.Duration(millis * float64(time.Millisecond)))
	var out struct {
		Stats   session.Stats  `json:"stats"`
		Epochs  int            `json:"epochs"`
		Losses  []float64      `json:"losses"` // each epoch's training loss
		Twin    *session.Stats `json:"twin,omitempty"`
		TwinLos []float64      `json:"twinLosses,omitempty"`
		Error   string         `json:"error,omitempty"`
		RunDiv  bool           `json:"runDiverged,omitempty"` // the run's own network diverged (not only its twin)
		// The divergence's figures, for the page's language, and the
		// twin's activation where it was the twin's.
		Diverged     *session.Divergence `json:"diverged,omitempty"`
		DivergedTwin string              `json:"divergedTwin,omitempty"`
	}
	twinDiverged := func() {
		out.Error = fmt.Sprintf("%s (the network with %s)", twin.Diverged(), twin.Config().Act)
		out.Diverged, out.DivergedTwin = twin.Divergence(), twin.Config().Act
	}
	var twinStats session.Stats
	if twin != nil && twin.Diverged() != nil {
		twinDiverged()
		return reply(out)
	}
	for out.Epochs < maxEpochs {
		st, err := run.Epoch()
		if err != nil {
			out.Error, out.Diverged = err.Error(), run.Divergence()
			break
		}
		if twin != nil {
			tw, err := twin.Epoch() // the last epoch's that trained stays, where this one diverges
			if err != nil && twin.Diverged() != nil {
				twinDiverged()
				break
			}
			if err != nil {
				out.Error = fmt.Sprintf("%s (the network with %s)", err, twin.Config().Act)
				break
			}
			twinStats = tw
		}
		out.Stats = st
		out.Epochs++
		out.Losses = append(out.Losses, st.TrainLoss)
		if twin != nil {
			out.TwinLos = append(out.TwinLos, twinStats.TrainLoss)
		}
		if time.Now().After(deadline) {
			break
		}
	}
	if out.Epochs > 0 && measure {
		if err := run.Test(&out.Stats); err != nil {
			out.Error, out.Diverged, out.DivergedTwin = err.Error(), nil, "" // this error is the one said, not a divergence before it
		}
		if twin != nil && twin.Diverged() == nil { // a diverged twin's test figures would be its NaN weights'
			if err := twin.Test(&twinStats); err != nil {
				out.Error, out.Diverged, out.DivergedTwin = err.Error(), nil, ""
			}
		}
	}
	if out.Epochs > 0 && twin != nil {
		out.Twin = &twinStats
	}
	out.RunDiv = run.Diverged() != nil
	return reply(out)
}

// viewRun returns the decision regions as an object the worker posts as it
// is: {grid, cells} with cells a Uint8Array of (class, confidence·255) per
// cell, {grid, values} with values a Float32Array of the predictions for
// a 2-D regression set, or {grid, curve} for the 1-D one. Binary, not JSON: it goes to the
// page twenty times a second.
func viewRun(_ js.Value, args []js.Value) any {
	if run == nil {
		return js.ValueOf(map[string]any{"error": errNoRun.Error()})
	}
	if run.Diverged() != nil {
		return js.ValueOf(map[string]any{"error": "the run diverged: nothing to draw"})
	}
	out := regionsView(run, args[0].Int())
	if twin != nil && twin.Diverged() == nil { // a diverged twin's map stays as it last was, not its NaN weights'
		out.Set("twin", regionsView(twin, args[0].Int()))
	}
	return out
}

// regionsView is one run's regions as viewRun returns them.
func regionsView(s *session.Session, grid int) js.Value {
	r := s.Regions(grid)
	out := map[string]any{"grid": r.Grid}
	if r.Curve != nil {
		curve := make([]any, len(r.Curve))
		for i, v := range r.Curve {
			curve[i] = float64(v)
		}
		out["curve"] = curve
		return js.ValueOf(out)
	}
	if r.Value != nil {
		out["values"] = float32Array(r.Value)
		return js.ValueOf(out)
	}
	cells := make([]byte, 2*len(r.Class))
	for i, c := range r.Class {
		cells[2*i], cells[2*i+1] = byte(c), byte(r.Confidence[i]*255+0.5)
	}
	arr := js.Global().Get("Uint8Array").New(len(cells))
	js.CopyBytesToJS(arr, cells)
	out["cells"] = arr
	return js.ValueOf(out)
}

type noRun struct{}

func (noRun) Error() string { return "no run: configure one first" }

var errNoRun error = noRun{}

// entry is one activation as the page offers it.
type entry struct {
	Name        string   `json:"name"`
	Formula     string   `json:"formula"`
	Params      []param  `json:"params"`
	Range       string   `json:"range"`
	ZeroCentred bool     `json:"zeroCentred"`
	Saturates   string   `json:"saturates"`
	Monotonic   bool     `json:"monotonic"`
	MaxSlope    *float64 `json:"maxSlope"` // max |f′|: 0.25 for sigmoid, 1 for tanh; null for maxout, whose slopes are its pieces' learned weights
	FlatWhere   string   `json:"flatWhere"`
}

// param is one parameter of an activation, as the page builds its input.
type param struct {
	Name    string   `json:"name"`
	Default string   `json:"default"`
	Choices []string `json:"choices,omitempty"` // a word parameter's words; none for a number
	Doc     string   `json:"doc"`
}

func catalogue(js.Value, []js.Value) any {
	var acts []entry
	for _, in := range act.Catalogue() {
		var params []param
		for _, p := range in.Params {
			params = append(params, param{Name: p.Name, Default: p.Default, Choices: p.Choices, Doc: p.Doc})
		}
		acts = append(acts, entry{Name: in.Name, Formula: in.Formula, Params: params, Range: in.Range,
			ZeroCentred: in.ZeroCentred, Saturates: in.Saturation(), Monotonic: in.Monotonic, MaxSlope: &in.MaxSlope, FlatWhere: in.FlatWhere}) // in is the loop's own each time (Go 1.22 on)
	}
	acts = append(acts, entry{Name: "maxout", Formula: "max of 2 linear pieces (replaces the layer's neurons)", Range: "(-inf, inf)", Saturates: "no", FlatWhere: "nowhere"})
	return reply(map[string]any{"activations": acts, "datasets": data.SyntheticNames(), "regressionSets": session.RegressionSets(), "losses": loss.Names, "optimizers": optim.Names,
		"maxWidth": session.MaxWidth, "maxLayers": session.MaxLayers, "maxClasses": session.MaxClasses, "classChoice": session.ClassChoice()})
}

func layersRun(_ js.Value, args []js.Value) any {
	if run == nil || run.Diverged() != nil {
		return js.ValueOf(map[string]any{"error": "nothing to draw"})
	}
	b, err := json.Marshal(run.Layers())
	if err != nil {
		return js.ValueOf(map[string]any{"error": err.Error()})
	}
	n := args[0].Int() // the maps' cells a side; a curve, of the 1-D set, takes four times as many points
	if !run.Plane() {
		n *= 4
	}
	var neurons []any
	for _, maps := range run.Neurons(n) {
		neurons = append(neurons, float32Array(maps))
	}
	g := run.Graph()
	inputs := make([]any, len(g.Inputs))
	for i, name := range g.Inputs {
		inputs[i] = name
	}
	edges := make([]any, len(g.Edges))
	for c, e := range g.Edges {
		edges[c] = map[string]any{"to": e.To, "from": e.From, "w": float32Array(e.W)}
	}
	out := map[string]any{"layers": string(b), "neurons": neurons, "grid": n, "graph": map[string]any{"inputs": inputs, "edges": edges}}
	switch {
	case twin != nil && twin.Diverged() != nil: // said on the chart, not drawn from NaN weights: the last bars sent stay
		out["twinDiverged"] = true
		if twinHealth != "" {
			out["twinHealth"] = twinHealth
		}
	case twin != nil: // compare mode: the twin's health, for the chart to show beside the run's
		if h, err := json.Marshal(twin.Health()); err == nil {
			twinHealth = string(h)
			out["twinHealth"] = twinHealth
		}
	}
	return js.ValueOf(out)
}

// float32Array copies v into a new JavaScript Float32Array.
func float32Array(v []float32) js.Value {
	bytes := make([]byte, 4*len(v))
	for i, f := range v {
		binary.LittleEndian.PutUint32(bytes[4*i:], math.Float32bits(f))
	}
	u8 := js.Global().Get("Uint8Array").New(len(bytes))
	js.CopyBytesToJS(u8, bytes)
	return js.Global().Get("Float32Array").New(u8.Get("buffer"))
}

func unitRun(_ js.Value, args []js.Value) any {
	if run == nil {
		return fail(errNoRun)
	}
	in, bias, ok := run.Unit(args[0].Int(), args[1].Int())
	if !ok {
		return reply(map[string]string{"error": "no such unit"})
	}
	return reply(map[string]any{"in": in, "bias": bias})
}

func modelRun(js.Value, []js.Value) any {
	if run == nil {
		return js.ValueOf(map[string]any{"error": errNoRun.Error()})
	}
	var b bytes.Buffer
	if err := modelio.Write(&b, run.Model()); err != nil {
		return js.ValueOf(map[string]any{"error": err.Error()})
	}
	arr := js.Global().Get("Uint8Array").New(b.Len())
	js.CopyBytesToJS(arr, b.Bytes())
	return arr
}

func loadRun(_ js.Value, args []js.Value) any {
	cfg, err := session.ParseConfig(args[0].String())
	if err != nil {
		return fail(err)
	}
	raw := make([]byte, args[1].Get("length").Int())
	js.CopyBytesToGo(raw, args[1])
	m, err := modelio.Read(bytes.NewReader(raw))
	if err != nil {
		return fail(fmt.Errorf("not a wiggle model: %w", err))
	}
	var own *data.Dataset
	if cfg.Dataset == session.Custom && run != nil {
		own = run.Data() // the page's own points stay
	}
	s, err := session.FromModelOn(cfg, m, own)
	if err != nil {
		return fail(err)
	}
	return started(s)
}

// setWeight sets a weight of the run's network by the graph's coordinates
// (session.Session.SetWeight): column of lines, to, from, value; and of
// its twin where the twin's layer takes it.
func setWeight(_ js.Value, args []js.Value) any {
	if run == nil {
		return fail(errNoRun)
	}
	c, to, from, w := args[0].Int(), args[1].Int(), args[2].Int(), args[3].Float()
	if err := run.SetWeight(c, to, from, w); err != nil {
		return fail(err)
	}
	if twin != nil {
		twin.SetWeight(c, to, from, w) // the same edit, so that the two still differ in their activation alone; a twin of maxout keeps its own
	}
	return reply(map[string]any{})
}

// tuneRun applies config's learning rate, L1, L2 and batch size to the
// running network and its twin (session.Session.Tune), and replies with
// the run's configuration; newRun where the change needs a new run, and
// the error with the run's configuration unchanged where a value is
// refused.
func tuneRun(_ js.Value, args []js.Value) any {
	if run == nil {
		return fail(errNoRun)
	}
	cfg, err := session.ParseConfig(args[0].String())
	if err == nil {
		err = run.Tune(cfg)
	}
	switch {
	case errors.Is(err, session.ErrNewRunNeeded):
		return reply(map[string]any{"newRun": true})
	case err != nil:
		return reply(map[string]any{"error": err.Error(), "config": run.Config()})
	}
	if twin != nil {
		_ = twin.Tune(session.Tuned(twin.Config(), cfg)) // a twin that diverged stays stopped
	}
	return reply(map[string]any{"config": run.Config()})
}

// measureRun is the run's figures at its weights as they stand
// (session.Session.Measure), after a weight set by hand.
func measureRun(js.Value, []js.Value) any {
	if run == nil {
		return fail(errNoRun)
	}
	st, err := run.Measure()
	if err != nil {
		return fail(err)
	}
	return reply(st)
}

func addPoint(_ js.Value, args []js.Value) any {
	if run == nil {
		return fail(errNoRun)
	}
	x, y, class := float32(args[0].Float()), float32(args[1].Float()), args[2].Int()
	for _, s := range []*session.Session{run, twin} {
		if s == nil {
			continue
		}
		if err := s.AddPoint(x, y, class); err != nil {
			return fail(err)
		}
	}
	return reply(map[string]any{})
}
