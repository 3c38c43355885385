package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wigglenn/wiggle/modelio"
)

// TestInputsThatAreNotFiles: a device or a folder given as data or as a
// model, and a pipe given to data show, are refused at once (exit 2), saying
// what they are and what to do, where /dev/zero had been read until memory
// ran out (a model) or forever (a table), and a pipe read to its end
// before a failed seek. A model, read once, may come through a pipe.
func TestInputsThatAreNotFiles(t *testing.T) {
	dir := t.TempDir()
	csvPath := writeCSV(t, dir)
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	pipe := fmt.Sprintf("/proc/self/fd/%d", r.Fd()) // as a shell's <(cmd) names one
	if _, err := os.Stat(pipe); err != nil {
		t.Skip("no /proc/self/fd here to name a pipe by")
	}
	model := filepath.Join(dir, "m.safetensors")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"data", "show", "/dev/zero"}, "/dev/zero is a device, not a file; give a file"},
		{[]string{"data", "show", pipe}, "is a pipe, not a file: data show reads a table more than once; save it to a file first"},
		{[]string{"data", "show", "-"}, "- (standard input) is a stream, read once, and data show reads a table more than once"},
		{[]string{"train", "--data", "/dev/zero", "--epochs", "1", "--out", model}, "/dev/zero is a device, not a file"},
		{[]string{"train", "--data", csvPath, "--target", "size", "--init", "/dev/zero", "--epochs", "1", "--out", model}, "--init /dev/zero is a device, not a file"},
		{[]string{"eval", "--model", "/dev/zero", "--data", csvPath}, "--model /dev/zero is a device, not a file"},
		{[]string{"predict", "--model", "/dev/urandom", "--data", csvPath}, "--model /dev/urandom is a device, not a file"},
		{[]string{"import", "/dev/zero", "--out", model}, "/dev/zero is a device, not a file"},
	} {
		_, stderr, status := wiggle(t, "", c.args...)
		if status != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("wiggle %s: exit %d, %q; want 2 and %q", strings.Join(c.args, " "), status, stderr, c.want)
		}
	}
	if _, stderr, status := wiggle(t, "", "data", "show", dir); status != 2 || !strings.Contains(stderr, "is a folder; give a file") {
		t.Errorf("data show of a folder: exit %d, %q; want 2 and a message saying it is a folder", status, stderr)
	}
	if _, err := os.Stat(model); err == nil {
		t.Errorf("a refused command wrote %s", model)
	}

	// A model is read once: through a pipe it predicts as from its file.
	if _, stderr, status := wiggle(t, "", "train", "--data", csvPath, "--target", "size", "--epochs", "2", "--out", model); status != 0 {
		t.Fatalf("train: exit %d: %s", status, stderr)
	}
	raw, err := os.ReadFile(model)
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		w.Write(raw)
		w.Close()
	}()
	fromPipe, stderr, status := wiggle(t, "", "predict", "--model", pipe, "--data", csvPath)
	fromFile, _, _ := wiggle(t, "", "predict", "--model", model, "--data", csvPath)
	if status != 0 || fromPipe != fromFile {
		t.Errorf("predict with the model through a pipe: exit %d, %s; want the file's predictions", status, stderr)
	}
}

// TestCheckpointRotationKeepsOtherFiles: the names a checkpoint's
// rotation renames down the line (PATH.1 ... PATH.keep) are checked before
// training: the --data file there is refused, where the first checkpoint
// had replaced it, and so is a folder, which had stopped the run at its
// first checkpoint after the training's work; an --out there too, by its
// name, before either is written.
func TestCheckpointRotationKeepsOtherFiles(t *testing.T) {
	dir := t.TempDir()
	table, err := os.ReadFile(writeCSV(t, dir))
	if err != nil {
		t.Fatal(err)
	}
	ckpt := filepath.Join(dir, "c")
	dataAt := ckpt + ".1"
	if err := os.WriteFile(dataAt, table, 0o644); err != nil {
		t.Fatal(err)
	}
	before := sha256.Sum256(table)
	args := []string{"train", "--data", dataAt, "--target", "size", "--hidden", "2", "--epochs", "3", "--out", filepath.Join(dir, "m.st"),
		"--checkpoint", ckpt, "--checkpoint-every", "1", "--keep", "2"}
	_, stderr, status := wiggle(t, "", args...)
	after, _ := os.ReadFile(dataAt)
	if status != 2 || !strings.Contains(stderr, "is the --data file, which that would replace") || sha256.Sum256(after) != before {
		t.Errorf("a checkpoint whose earlier copies' names hold the --data file: exit %d, %q, the data file unchanged %v; want 2, a message, and the file as it was",
			status, stderr, sha256.Sum256(after) == before)
	}
	if err := os.Mkdir(ckpt+".2", 0o755); err != nil {
		t.Fatal(err)
	}
	args[2] = writeCSV(t, dir)
	if _, stderr, status := wiggle(t, "", args...); status != 2 || !strings.Contains(stderr, ".2, where --keep 2 puts an earlier checkpoint, is not a file") {
		t.Errorf("a folder where an earlier checkpoint goes: exit %d, %q; want 2 before training", status, stderr)
	}
	if _, err := os.Stat(ckpt); err == nil {
		t.Error("a refused run wrote its checkpoint")
	}
	// An --out where a rotation goes, neither there yet: the first run had
	// passed, its model replacing the checkpoint rotated there.
	fresh := t.TempDir()
	c := filepath.Join(fresh, "c")
	if _, stderr, status := wiggle(t, "", "train", "--data", "spiral", "--epochs", "3", "--checkpoint", c, "--out", c+".1", "--checkpoint-every", "1"); status != 2 || !strings.Contains(stderr, "c.1, where --keep 1 puts an earlier checkpoint, is the --out file") {
		t.Errorf("--out where the first rotation goes: exit %d, %q; want 2 before training", status, stderr)
	}
}

// TestTablesShowNamesSafely: names from a file that hold what a terminal
// acts on (an escape sequence, a tab) are printed quoted with escapes in
// data show's table and eval's confusion matrix, where they had coloured
// the terminal and shifted the columns; past 30 classes data show counts
// the rest and eval leaves the matrix to --json.
func TestTablesShowNamesSafely(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "esc.csv")
	if err := os.WriteFile(path, []byte("x0,\"x\t1\",label\n1,2,\x1b[31mRED\n2,3,b\n3,4,b\n4,1,\x1b[31mRED\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, status := wiggle(t, "", "data", "show", path)
	if status != 0 || strings.ContainsRune(stdout, 0x1b) || !strings.Contains(stdout, `"\x1b[31mRED"=2`) || !strings.Contains(stdout, `"x\t1"    1   2.5    4`) {
		t.Errorf("data show: exit %d, %q, %s; want the names quoted with escapes and the columns in place", status, stdout, stderr)
	}
	model := filepath.Join(dir, "m.st")
	if _, stderr, status := wiggle(t, "", "train", "--data", path, "--epochs", "2", "--out", model); status != 0 {
		t.Fatalf("train: exit %d: %s", status, stderr)
	}
	stdout, stderr, status = wiggle(t, "", "eval", "--model", model, "--data", path)
	if status != 0 || strings.ContainsRune(stdout, 0x1b) || !strings.Contains(stdout, `"\x1b[31mRED"`) {
		t.Errorf("eval: exit %d, %q, %s; want the labels quoted with escapes", status, stdout, stderr)
	}

	var many strings.Builder
	many.WriteString("x,label\n")
	for i := range 40 {
		fmt.Fprintf(&many, "%d,c%02d\n", i, i)
	}
	path = filepath.Join(dir, "many.csv")
	if err := os.WriteFile(path, []byte(many.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, _, status = wiggle(t, "", "data", "show", path)
	if status != 0 || !strings.Contains(stdout, "c29=1 (2.5%) … and 10 more") || strings.Contains(stdout, "c30=") {
		t.Errorf("data show of 40 classes: exit %d, %q; want 30 named and the other 10 counted", status, stdout)
	}
	if _, stderr, status := wiggle(t, "", "train", "--data", path, "--epochs", "1", "--out", model); status != 0 {
		t.Fatalf("train on 40 classes: exit %d: %s", status, stderr)
	}
	stdout, _, status = wiggle(t, "", "eval", "--model", model, "--data", path)
	if status != 0 || !strings.Contains(stdout, "confusion: 40 classes, too many to print a matrix of; --json gives it") || strings.Count(stdout, "\n") > 8 {
		t.Errorf("eval of 40 classes: exit %d, %q; want no matrix, and a word on --json", status, stdout)
	}
}

// TestTableFromStandardInput: train, eval and predict read a table once,
// and --data - reads it from standard input, as from its file (they had
// refused a pipe, saying wiggle reads a table twice, which only data show
// does).
func TestTableFromStandardInput(t *testing.T) {
	dir := t.TempDir()
	csvPath := writeCSV(t, dir)
	table, err := os.ReadFile(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	model := filepath.Join(dir, "m.safetensors")
	if _, stderr, status := wiggle(t, string(table), "train", "--data", "-", "--target", "size", "--epochs", "2", "--out", model); status != 0 {
		t.Fatalf("train --data -: exit %d, %s", status, stderr)
	}
	fromFile := filepath.Join(dir, "f.safetensors")
	if _, stderr, status := wiggle(t, "", "train", "--data", csvPath, "--target", "size", "--epochs", "2", "--out", fromFile); status != 0 {
		t.Fatalf("train: exit %d, %s", status, stderr)
	}
	a, _ := os.ReadFile(model)
	b, _ := os.ReadFile(fromFile)
	if sha256.Sum256(a) != sha256.Sum256(b) {
		t.Error("a model trained on standard input differs from one trained on the file")
	}
	for _, cmd := range []string{"predict", "eval"} {
		piped, stderr, status := wiggle(t, string(table), cmd, "--model", model, "--data", "-")
		direct, _, _ := wiggle(t, "", cmd, "--model", model, "--data", csvPath)
		if status != 0 || piped != direct || piped == "" {
			t.Errorf("%s --data -: exit %d, %q; want what the file gives, %q (%s)", cmd, status, piped, direct, stderr)
		}
	}
	if _, stderr, status := wiggle(t, "a,b\n1,2\n", "predict", "--model", model, "--data", "-"); status != 2 || !strings.Contains(stderr, "standard input, line 1: no column") {
		t.Errorf("predict on standard input without the model's columns: exit %d, %q; want it named standard input", status, stderr)
	}
	// - is standard input even beside a file named -, as --out - is
	// standard output; data show refuses it before reading that file.
	t.Chdir(dir)
	if err := os.WriteFile("-", []byte("p,q,z\n1,2,0\n3,4,1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if piped, stderr, status := wiggle(t, string(table), "predict", "--model", model, "--data", "-"); status != 0 || piped == "" {
		t.Errorf("predict --data - beside a file named -: exit %d, %q", status, stderr)
	}
	if _, stderr, status := wiggle(t, "", "data", "show", "-"); status != 2 || !strings.Contains(stderr, "(a file named - is ./-)") {
		t.Errorf("data show - beside a file named -: exit %d, %q; want standard input refused", status, stderr)
	}
}

// TestStandardInputWaitStops: Ctrl-C while train waits on standard input
// (a pipe still open, a terminal) ends the command at once (exit 130),
// where the read had held it until its writer closed the pipe.
func TestStandardInputWaitStops(t *testing.T) {
	r, w := io.Pipe()
	defer w.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	var stderr strings.Builder
	go func() {
		done <- run(ctx, []string{"train", "--data", "-", "--out", filepath.Join(t.TempDir(), "m.safetensors")}, r, io.Discard, &stderr)
	}()
	w.Write([]byte("a,label\n1,0\n"))  // returns once the command has read it
	time.Sleep(200 * time.Millisecond) // for its next read to block on the pipe, past the context's checks between reads
	cancel()
	select {
	case status := <-done:
		if status != exitInterrupted || !strings.Contains(stderr.String(), "interrupted (--data: standard input)") {
			t.Errorf("exit %d, %q; want %d, interrupted", status, stderr.String(), exitInterrupted)
		}
	case <-time.After(20 * time.Second): // a bound on a hang, not a timing: it ends in milliseconds
		t.Fatal("train waiting on standard input did not stop when its context was done")
	}
}

// TestNoPromptForADevice: standard input that is /dev/null (a cron job's)
// is a device, not a terminal: no prompt to type a table.
func TestNoPromptForADevice(t *testing.T) {
	null, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	dir := scratchDir(t, "wiggle-noprompt")
	var out, errOut bytes.Buffer
	status := run(context.Background(), []string{"train", "--data", "-", "--out", filepath.Join(dir, "m.safetensors")}, null, &out, &errOut)
	if status != 2 || strings.Contains(errOut.String(), "from the terminal") || !strings.Contains(errOut.String(), "standard input: the file is empty") {
		t.Errorf("train --data - < %s: exit %d, stderr %q; want 2, the input called empty and no prompt", os.DevNull, status, errOut.String())
	}
}

// TestFailedCheckpointKeepsTheEarlierOnes: a checkpoint that cannot be
// written (a disk that fills; here a file Encode refuses) leaves the
// earlier checkpoints where they were. The rotation came first, and a full
// disk left no checkpoint at --checkpoint, only PATH.1.
func TestFailedCheckpointKeepsTheEarlierOnes(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "run.ckpt")
	good := &modelio.File{Tensors: []modelio.Tensor{{Name: "w", Shape: []int{2}, Data: []float32{1, 2}}}}
	for range 2 {
		if err := writeCheckpoint(path, 1, good); err != nil {
			t.Fatal(err)
		}
	}
	before := map[string][]byte{}
	for _, name := range []string{path, path + ".1"} {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatalf("after two checkpoints: %v", err)
		}
		before[name] = b
	}
	bad := &modelio.File{Tensors: []modelio.Tensor{{Name: "w", Shape: []int{3}, Data: []float32{1, 2}}}}
	if err := writeCheckpoint(path, 1, bad); err == nil || !strings.Contains(err.Error(), "not written") {
		t.Fatalf("a checkpoint that cannot be written: %v; want it said", err)
	}
	for name, b := range before {
		if got, err := os.ReadFile(name); err != nil || !bytes.Equal(got, b) {
			t.Errorf("%s after a failed checkpoint: %v, %d bytes; want it as it was", filepath.Base(name), err, len(got))
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("the folder holds %d entries after a failed checkpoint; want the two checkpoints, no litter", len(entries))
	}
}

// TestRotationKeepsTheLatestAtItsPath: while the earlier checkpoints move
// down a place, before the new one is renamed over PATH (where a kill -9
// had left PATH empty, the newest checkpoint in a temporary file), PATH
// still holds the latest checkpoint and PATH.1 the same bytes; the rest
// move down, keep of them.
func TestRotationKeepsTheLatestAtItsPath(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "run.ckpt")
	for i, text := range []string{"third", "second", "first"} { // path.2, path.1, path
		name := path
		if i < 2 {
			name = fmt.Sprintf("%s.%d", path, 2-i)
		}
		if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := rotateCheckpoints(path, 3); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{path: "first", path + ".1": "first", path + ".2": "second", path + ".3": "third"} {
		if got, err := os.ReadFile(name); err != nil || string(got) != want {
			t.Errorf("%s after the rotation: %q, %v; want %q", filepath.Base(name), got, err, want)
		}
	}
	if err := rotateCheckpoints(filepath.Join(dir, "none.ckpt"), 2); err != nil {
		t.Errorf("a rotation before the first checkpoint: %v", err)
	}
}

// TestOutputThroughALoopOfLinks: an --out whose links lead round in a
// loop is refused before training, the links left; the model had replaced
// the first link with a file, exit 0.
func TestOutputThroughALoopOfLinks(t *testing.T) {
	dir := t.TempDir()
	loop1, loop2 := filepath.Join(dir, "loop1"), filepath.Join(dir, "loop2")
	if err := os.Symlink("loop2", loop1); err != nil {
		t.Skipf("no links here: %v", err)
	}
	if err := os.Symlink("loop1", loop2); err != nil {
		t.Fatal(err)
	}
	_, stderr, status := wiggle(t, "", "train", "--data", "xor", "--epochs", "1", "--out", loop1)
	if info, err := os.Lstat(loop1); status != 2 || !strings.Contains(stderr, "--out "+loop1+": a link whose links lead round in a loop") || err != nil || info.Mode()&os.ModeSymlink == 0 {
		t.Errorf("--out through a loop of links: exit %d, %q; want 2, saying so, the link left", status, stderr)
	}
}

// TestCheckpointThroughALink: a --checkpoint that is a link has the file
// it leads to rotated, the link left naming the latest; the rotation had
// moved the link down and the new checkpoint replaced the earlier one.
func TestCheckpointThroughALink(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "other"), 0o755); err != nil {
		t.Fatal(err)
	}
	link, real := filepath.Join(dir, "c"), filepath.Join(dir, "other", "real.ckpt")
	if err := os.Symlink(filepath.Join("other", "real.ckpt"), link); err != nil {
		t.Skipf("no links here: %v", err)
	}
	first := &modelio.File{Tensors: []modelio.Tensor{{Name: "w", Shape: []int{1}, Data: []float32{1}}}}
	second := &modelio.File{Tensors: []modelio.Tensor{{Name: "w", Shape: []int{1}, Data: []float32{2}}}}
	for _, f := range []*modelio.File{first, second} {
		if err := writeCheckpoint(link, 1, f); err != nil {
			t.Fatal(err)
		}
	}
	if info, err := os.Lstat(link); err != nil || info.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link is gone after two checkpoints: %v, %v", info, err)
	}
	for path, want := range map[string]float32{link: 2, real: 2, real + ".1": 1} {
		f, err := modelio.ReadFile(path)
		if err != nil || f.Tensors[0].Data[0] != want {
			t.Errorf("%s: %v; want the checkpoint of w = %v", path, err, want)
		}
	}
}
