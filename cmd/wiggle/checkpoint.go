package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/internal/atomicfile"
	"github.com/wigglenn/wiggle/internal/quote"
	"github.com/wigglenn/wiggle/modelio"
	"github.com/wigglenn/wiggle/nn"
	"github.com/wigglenn/wiggle/optim"
	"github.com/wigglenn/wiggle/train"
)

// A checkpoint is train's checkpoint file (train.Checkpoint.File), with
// the flags that made it in its metadata (keyRun), so that `wiggle eval
// --model CHECKPOINT` reads it like a model and `--resume` goes on from
// it with the same flags.
const keyRun = "run" // runFlags as JSON

// runFlags are the flags of `wiggle train` a resumed run must share with
// the run it goes on from (--epochs, --out and the checkpoint flags may
// differ).
type runFlags struct {
	Data, Target, Act, Loss, WeightInit, Init string
	// DataFile and InitFile are --data's and --init's files, absolute
	// (recordedPath); a checkpoint written before them has neither.
	DataFile string `json:",omitempty"`
	InitFile string `json:",omitempty"`
	// DataPrint identifies --data's rows as read (fingerprint), so that a
	// file changed since is found; a checkpoint written before has none.
	DataPrint                  string `json:",omitempty"`
	Standardize, Shuffle       bool
	Val, Dropout, L2, ClipNorm float64
	L1                         float64 // 0 in a checkpoint written before --l1
	Hidden                     []int
	Ignore                     []string // --ignore's columns, sorted; none in a checkpoint written before it
	Pieces                     int
	PReLUPerUnit               bool
	Optimizer                  optim.Config
	Schedule                   optim.Schedule
	Batch, Patience            int
	Seed                       uint64
}

func (j trainJob) flags() runFlags {
	sched := j.Schedule // its cosine length left 0, to --epochs, which may change
	return runFlags{Data: j.Data, DataFile: recordedPath(j.Data), Target: j.Target, Act: j.Act, Loss: j.Loss, WeightInit: j.WeightInit,
		Init: j.Init, InitFile: recordedPath(j.Init), DataPrint: j.dataPrint,
		Standardize: j.Standardize, Shuffle: j.Shuffle, Val: j.Val, Dropout: j.MLP.Dropout, L2: j.L2, L1: j.L1, ClipNorm: j.ClipNorm,
		Hidden: j.Hidden, Ignore: slices.Sorted(slices.Values(j.Ignore)), Pieces: j.MLP.Pieces, PReLUPerUnit: j.MLP.PReLUPerUnit, Optimizer: j.Optimizer, Schedule: sched,
		Batch: j.Batch, Patience: j.Patience, Seed: j.Seed}
}

// recordedPath is the file a --data or --init argument names, absolute,
// so that a run resumed from another directory, or naming the file
// through a link, is found to read the same file (samePath); "" for a
// built-in set's name, "", or where the working directory is unknown.
func recordedPath(name string) string {
	if name == "" || isBuiltin(name) {
		return ""
	}
	abs, err := filepath.Abs(name)
	if err != nil {
		return ""
	}
	return abs
}

// samePath reports whether a run's --data (or --init), as typed and as
// recordedPath found it, names what a checkpoint's does: the same file,
// where both files are recorded and still there; else the same text, as
// for a built-in set, a checkpoint written before files were recorded, or
// a run whose folder has moved since.
func samePath(typed, file, ckptTyped, ckptFile string) bool {
	if same, there := sameFile(file, ckptFile); there {
		return same
	}
	return typed == ckptTyped
}

// alignPaths makes a checkpoint's --data (or --init) read as this run's
// where samePath finds them the same, so that differences passes them;
// else, where both files are recorded, it sets the files in place of the
// text typed, so that the difference names them.
func alignPaths(typed, file, ckptTyped, ckptFile *string) {
	switch {
	case samePath(*typed, *file, *ckptTyped, *ckptFile):
		*ckptTyped = *typed
	case *file != "" && *ckptFile != "":
		*typed, *ckptTyped = *file, *ckptFile
	}
	*ckptFile = *file // the files are compared here, not again as fields
}

// differences names the flags whose values differ between a and b, as
// "--lr 0.1 here, 0.05 in the checkpoint". --data is compared by the rows
// it holds where both have a fingerprint (so a folder moved since, or a
// copy, resumes, and a file changed since does not; named only where no
// other flag differs, since --target or a generated set's --seed change
// the rows read too), else, as --init always, by the file it names
// (samePath); two built-in sets of other names by their names.
func differences(a, b runFlags) []string {
	ckptData := b.Data
	switch {
	case isBuiltin(a.Data) && isBuiltin(b.Data) && a.Data != b.Data: // two sets: their names say more than their rows
		b.DataPrint = a.DataPrint
	case a.DataPrint != "" && b.DataPrint != "": // the rows decide, wherever the file lies now
		b.Data, b.DataFile = a.Data, a.DataFile
	default: // a checkpoint from before prints
		alignPaths(&a.Data, &a.DataFile, &b.Data, &b.DataFile)
		b.DataPrint = a.DataPrint
	}
	alignPaths(&a.Init, &a.InitFile, &b.Init, &b.InitFile)
	a.Act, b.Act = canonicalAct(a.Act), canonicalAct(b.Act)
	rowsDiffer := a.DataPrint != b.DataPrint
	a.DataPrint, b.DataPrint = "", ""
	am, bm := flatFlags(a), flatFlags(b)
	var out []string
	for k, v := range am {
		if fmt.Sprint(v) == fmt.Sprint(bm[k]) {
			continue
		}
		name, ok := runFlagNames[k]
		if !ok {
			name = k // a setting no flag of this version sets
		}
		out = append(out, fmt.Sprintf("%s %s here, %s in the checkpoint", name, flagValue(v), flagValue(bm[k])))
	}
	switch {
	case !rowsDiffer || len(out) > 0: // other flags (--target, a set's --seed) change the rows read too: those are named instead
	case isBuiltin(a.Data) && isBuiltin(ckptData):
		out = append(out, fmt.Sprintf("--data %s makes other rows than it made for the checkpoint's run: another version of wiggle wrote the checkpoint", a.Data))
	case isBuiltin(a.Data):
		out = append(out, fmt.Sprintf("--data %s makes other rows than the checkpoint's run read from %s: give that file", a.Data, ckptData))
	case isBuiltin(ckptData):
		out = append(out, fmt.Sprintf("--data holds other rows than the checkpoint's run made with --data %s: give --data %s", ckptData, ckptData))
	default:
		out = append(out, "--data holds other rows than the checkpoint's run read: the file has changed since, or is another; give the file it trained on")
	}
	slices.Sort(out)
	return out
}

// canonicalAct is an --act value as act.Parse writes it, so that
// elu(alpha=1.0) and elu(alpha=1) are one; as typed where it does not
// parse (prelu and maxout are the network's, not the catalogue's).
func canonicalAct(spec string) string {
	if f, err := act.Parse(spec); err == nil {
		return f.String()
	}
	return spec
}

// flatFlags is f as JSON's fields, the optimizer's and schedule's as
// "Optimizer.LR" and so on.
func flatFlags(f runFlags) map[string]any {
	var m map[string]any
	raw, _ := json.Marshal(f)
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber() // a uint64 seed as it is, not rounded to a float64
	dec.Decode(&m)
	flat := make(map[string]any, len(m))
	for k, v := range m {
		sub, ok := v.(map[string]any)
		if !ok {
			flat[k] = v
			continue
		}
		for sk, sv := range sub {
			flat[k+"."+sk] = sv
		}
	}
	return flat
}

// flagValue prints a value as it would be typed; "" for an empty string
// or list.
func flagValue(v any) string {
	switch v := v.(type) {
	case nil:
		return `""` // --hidden ""
	case string:
		if v == "" {
			return `""`
		}
		return v
	case []any: // --hidden
		if len(v) == 0 {
			return `""`
		}
		parts := make([]string, len(v))
		for i, p := range v {
			parts[i] = fmt.Sprint(p)
		}
		return strings.Join(parts, ",")
	}
	return fmt.Sprint(v)
}

// runFlagNames are the flags that set runFlags' fields.
var runFlagNames = map[string]string{
	"Data": "--data", "Target": "--target", "Act": "--act", "Loss": "--loss", "WeightInit": "--weight-init", "Init": "--init",
	"Standardize": "--standardize", "Shuffle": "--shuffle", "Val": "--val", "Dropout": "--dropout", "L2": "--l2", "L1": "--l1",
	"ClipNorm": "--clip-norm", "Hidden": "--hidden", "Ignore": "--ignore", "Pieces": "--maxout-pieces", "PReLUPerUnit": "--prelu-per-unit",
	"Optimizer.Name": "--optimizer", "Optimizer.LR": "--lr", "Optimizer.Momentum": "--momentum",
	"Optimizer.WeightDecay": "--weight-decay", "Schedule.Name": "--schedule", "Schedule.StepSize": "--lr-step",
	"Schedule.Gamma": "--lr-gamma", "Batch": "--batch", "Patience": "--patience", "Seed": "--seed",
}

// checkpointFile is the safetensors content of a checkpoint of m.
func checkpointFile(m *modelio.Model, c *train.Checkpoint, flags runFlags) (*modelio.File, error) {
	f, err := c.File(m)
	if err != nil {
		return nil, err
	}
	fb, err := json.Marshal(flags)
	if err != nil {
		return nil, err
	}
	f.Metadata[keyRun] = string(fb)
	return f, nil
}

// readCheckpoint reads a checkpoint file: the file (whose model tensors
// hold the weights) and the flags that made it, which the run must share
// before the state it holds is read for the network (checkpointOf).
func readCheckpoint(ctx context.Context, path string) (*modelio.File, runFlags, error) {
	f, err := readInput(ctx, path, modelio.ReadFile, decodeAll)
	if errors.Is(err, modelio.ErrNotSafetensors) { // a checkpoint's header damaged reads as another kind of file
		return nil, runFlags{}, fmt.Errorf("%w (a checkpoint damaged in its header, or another file)%s", err, earlierCheckpoints(path, ";"))
	}
	if errors.Is(err, modelio.ErrDamaged) || errors.Is(err, os.ErrNotExist) { // a PATH.1 without PATH: a run of a wiggle before checkpoints rotated by a link, killed between two renames
		return nil, runFlags{}, fmt.Errorf("%w%s", err, earlierCheckpoints(path, ";"))
	}
	if errors.Is(err, modelio.ErrONNX) {
		return nil, runFlags{}, fmt.Errorf("%s is an ONNX file, not a checkpoint (wiggle train --checkpoint-every writes those)", path)
	}
	if err != nil {
		return nil, runFlags{}, err
	}
	if f.Metadata[train.CheckpointKey] == "" || f.Metadata[keyRun] == "" {
		return nil, runFlags{}, fmt.Errorf("%s is a model file, not a checkpoint (wiggle train --checkpoint-every writes those)", path)
	}
	var flags runFlags
	if err := json.Unmarshal([]byte(f.Metadata[keyRun]), &flags); err != nil {
		return nil, runFlags{}, fmt.Errorf("%s: metadata %q is not valid: %v", path, keyRun, err)
	}
	return f, flags, nil
}

// decodeAll decodes a safetensors file read from r to its end, as
// modelio.ReadFile reads one from a path.
func decodeAll(r io.Reader) (*modelio.File, error) {
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	return modelio.Decode(raw)
}

// earlierCheckpoints suggests resuming from the checkpoints --keep left
// before path (path.1, path.2, ...), after sep, where the first is there;
// "" where it is not.
func earlierCheckpoints(path, sep string) string {
	path = atomicfile.Target(path) // a link's earlier checkpoints lie beside the file it leads to
	first := path + ".1"
	if info, err := os.Stat(first); err != nil || !info.Mode().IsRegular() {
		return ""
	}
	if info, err := os.Stat(path + ".2"); err == nil && info.Mode().IsRegular() {
		return fmt.Sprintf("%s resume from an earlier checkpoint (%s, %s, ...)", sep, shellArg(first), shellArg(path+".2"))
	}
	return fmt.Sprintf("%s resume from the checkpoint before it, %s", sep, shellArg(first))
}

// sameClasses refuses a resume whose data names its classes otherwise
// than the checkpoint's run did, as its model saved records them: the
// same rows with their labels renamed pass the rows' print, and the model
// would go on under other names.
func sameClasses(path string, saved *modelio.Model, classes []string) error {
	if slices.Equal(saved.Classes, classes) {
		return nil
	}
	return fmt.Errorf("--resume %s: --data's classes are %s, the checkpoint's run's were %s (its labels renamed, or other data): give the data it trained on, its labels as they were",
		path, quote.ShortList(classes), quote.ShortList(saved.Classes))
}

// checkpointOf is the run's state a checkpoint file read from path holds,
// for net, built from the flags that wrote it.
func checkpointOf(path string, f *modelio.File, net *nn.Sequential) (*train.Checkpoint, error) {
	c, err := train.CheckpointFromFile(f, net)
	if errors.Is(err, train.ErrDamagedCheckpoint) {
		return nil, fmt.Errorf("%s: %w%s", path, err, earlierCheckpoints(path, ";"))
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// writeCheckpoint writes f to path, whole or not at all, moving the earlier
// checkpoints down a place (path → path.1 → path.2, keeping keep of them)
// once the new one is written and synced beside them: a disk that fills
// leaves them where they were. At every moment each of these paths holds a
// whole checkpoint or nothing.
//
// A path that is a link has the file it leads to written and rotated (its
// earlier ones beside that file), the link left to name the latest: its
// rotation had moved the link itself down, and the new file replaced the
// one the earlier checkpoint was in.
func writeCheckpoint(path string, keep int, f *modelio.File) error {
	real := atomicfile.Target(path)
	return atomicfile.WriteBeforeRename(real, 0o644, func(w io.Writer) error { return modelio.Encode(w, f) },
		func() error { return rotateCheckpoints(real, keep) })
}

// checkpointWriter writes a training's checkpoints (a test's stand-in
// replaces it, to fail as a full disk does).
var checkpointWriter = writeCheckpoint

// rotateCheckpoints moves the checkpoints at path.1, path.2, ... a place
// down, keeping keep of them (the last goes), and makes path.1 a second
// name of path's file (a hard link), so that path holds its checkpoint
// until the new one is renamed over it: a run killed between the two
// leaves path whole (a rename had left path empty, the newest checkpoint
// in a temporary file). Where the file system has no hard links, path is
// renamed to path.1.
func rotateCheckpoints(path string, keep int) error {
	for k := keep; k >= 2; k-- {
		if err := atomicfile.Rename(fmt.Sprintf("%s.%d", path, k-1), fmt.Sprintf("%s.%d", path, k)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	if keep < 1 {
		return nil
	}
	first := path + ".1"
	if err := os.Remove(first); err != nil && !errors.Is(err, os.ErrNotExist) { // with keep 1, the one that goes
		return err
	}
	err := os.Link(path, first)
	if err == nil {
		return atomicfile.SyncDir(filepath.Dir(path))
	}
	if errors.Is(err, os.ErrNotExist) { // the run's first checkpoint
		return nil
	}
	if err := atomicfile.Rename(path, first); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

// leftBehind says what a run whose checkpoint at path could not be written
// leaves: the checkpoint of an earlier epoch there (written whole or not at
// all), and how to go on from it, or none.
func leftBehind(path string) string {
	if _, err := os.Stat(path); err != nil {
		return "neither the model nor a checkpoint of this run was saved"
	}
	return fmt.Sprintf("the model was not saved; %s holds the checkpoint of an earlier epoch: once the cause is mended (room on the disk, say), go on from it with the same command and --resume %s", path, shellArg(path))
}

// pathError puts flag before err, and path too unless err begins with it
// (the writer's errors mostly do).
func pathError(flag, path string, err error) error {
	if strings.HasPrefix(err.Error(), path+": ") {
		return fmt.Errorf("%s: %w", flag, err)
	}
	return fmt.Errorf("%s %s: %w", flag, path, err)
}

// interruptedError is a training run stopped by Ctrl-C whose checkpoint
// was saved: exit status 130, and how to go on.
type interruptedError struct {
	err        error
	checkpoint string
}

func (e *interruptedError) Error() string {
	return fmt.Sprintf("interrupted: %v\nThe run is saved in %s; to go on, run the same command with --resume %s", e.err, e.checkpoint, shellArg(e.checkpoint))
}

func (e *interruptedError) Unwrap() error { return e.err }

// partlyWrittenError is an interruption after some files were written
// whole: wrote says which, where run would say that none was.
type partlyWrittenError struct {
	err   error
	wrote string
}

func (e *partlyWrittenError) Error() string {
	return fmt.Sprintf("interrupted (%v); %s", e.err, e.wrote)
}

func (e *partlyWrittenError) Unwrap() error { return e.err }
