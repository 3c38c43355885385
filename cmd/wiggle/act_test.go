package main

import (
	"bytes"
	"cmp"
	"image/png"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/wigglenn/wiggle/act"
	"github.com/wigglenn/wiggle/internal/reftest/actref"
	"github.com/wigglenn/wiggle/internal/utf16text"
)

// TestActEvalMatchesPyTorch pipes every reference input through
// `wiggle act eval NAME` with default parameters, as other programs do.
func TestActEvalMatchesPyTorch(t *testing.T) {
	ref := actref.Load(t, "../../act/testdata/activations.json")
	for _, fn := range ref.Functions {
		x := append(append([]string{}, fn.X...), fn.SpecialX...)
		stdout, stderr, status := wiggle(t, strings.Join(x, "\n")+"\n", "act", "eval", fn.Name)
		if status != 0 {
			t.Fatalf("act eval %s: exit %d: %s", fn.Name, status, stderr)
		}
		lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
		if len(lines) != len(x) {
			t.Fatalf("act eval %s: %d lines for %d inputs", fn.Name, len(lines), len(x))
		}
		exactY, exactDY := libraryValues(t, fn.Name, x)
		for i, line := range lines {
			fields := strings.Fields(line)
			if len(fields) != 2 {
				t.Fatalf("act eval %s: line %d is %q, want \"y dy\"", fn.Name, i+1, line)
			}
			y, dy := parseExact(t, fields[0], exactY[i]), parseExact(t, fields[1], exactDY[i])
			if i >= len(fn.X) { // specials: f equal to the rounded reference
				want := float32(actref.Float(t, fn.SpecialY[i-len(fn.X)]))
				if !(y == want || y != y && want != want) {
					t.Errorf("act eval %s: f(%s) = %v, want %v", fn.Name, x[i], y, want)
				}
				continue
			}
			if w := actref.Float(t, fn.Y[i]); !actref.Close(float64(y), w) {
				t.Errorf("act eval %s: f(%s) = %v, PyTorch %v", fn.Name, x[i], y, w)
			}
			if w := actref.Float(t, fn.DY[i]); !actref.Close(float64(dy), w) {
				t.Errorf("act eval %s: f'(%s) = %v, PyTorch %v", fn.Name, x[i], dy, w)
			}
		}
	}
}

// libraryValues computes f and f′ through the act package, the float32
// values the printed text must give back exactly.
func libraryValues(t *testing.T, name string, text []string) (y, dy []float32) {
	x := make([]float32, len(text))
	for i, s := range text {
		x[i] = float32(actref.Float(t, s))
	}
	return act.Eval(act.MustNew(name), x)
}

// parseExact reads a printed float32 and checks that it gives back exactly
// the value the library computed.
func parseExact(t *testing.T, s string, want float32) float32 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 32)
	if err != nil {
		t.Fatal(err)
	}
	if got := float32(v); got != want && !(got != got && want != want) {
		t.Errorf("%q reads back as %v, not the computed float32 %v", s, got, want)
	}
	return float32(v)
}

func TestActEvalFormat(t *testing.T) {
	stdout, _, status := wiggle(t, "-2\n0.1\n1e-30\nNaN\n+Inf\n-inf\n", "act", "eval", "leaky_relu", "--param", "negative_slope=0.2")
	want := "-0.400000006 0.200000003\n0.100000001 1\n1e-30 1\nNaN NaN\n+Inf 1\n-Inf 0.200000003\n"
	if status != 0 || stdout != want {
		t.Errorf("act eval leaky_relu: exit %d, output\n%s\nwant\n%s", status, stdout, want)
	}
}

// TestActEvalReadsAByteOrderMark: Notepad starts a saved file with one.
func TestActEvalReadsAByteOrderMark(t *testing.T) {
	stdout, stderr, status := wiggle(t, "\ufeff -1\r\n2\r\n", "act", "eval", "relu")
	if want := "0 0\n2 1\n"; status != 0 || stdout != want {
		t.Errorf("act eval relu on a file with a byte-order mark: exit %d, output %q (stderr %q), want %q", status, stdout, stderr, want)
	}
}

// TestActEvalReadsUTF16: Windows PowerShell 5's > saves text as UTF-16
// with its byte-order mark (cmd.exe's < then gives it as it is).
func TestActEvalReadsUTF16(t *testing.T) {
	for _, bigEndian := range []bool{false, true} {
		stdout, stderr, status := wiggle(t, string(utf16text.Encode(" -1\r\n2\r\n", bigEndian)), "act", "eval", "relu")
		if want := "0 0\n2 1\n"; status != 0 || stdout != want {
			t.Errorf("act eval relu on UTF-16 text (big-endian %v): exit %d, output %q (stderr %q), want %q", bigEndian, status, stdout, stderr, want)
		}
	}
}

// TestActEvalBlankLinesAtTheEnd: blank lines at the end, as editors
// leave them, are no numbers and no error; within the numbers they are
// refused (each output line answers an input line).
func TestActEvalBlankLinesAtTheEnd(t *testing.T) {
	for _, stdin := range []string{"-1\n2\n\n", "-1\n2\n \r\n\n\t\n", "-1\r\n2"} {
		stdout, stderr, status := wiggle(t, stdin, "act", "eval", "relu")
		if want := "0 0\n2 1\n"; status != 0 || stdout != want {
			t.Errorf("act eval relu on %q: exit %d, output %q (stderr %q), want %q", stdin, status, stdout, stderr, want)
		}
	}
}

func TestActEvalErrors(t *testing.T) {
	plotParent := t.TempDir() // act plot's --out, which a failed plot must not create
	defer func() {
		if entries, _ := os.ReadDir(plotParent); len(entries) != 0 {
			t.Errorf("a plot that failed left %d entries in %s", len(entries), plotParent)
		}
	}()
	cases := []struct {
		stdin string
		args  []string
		want  []string
	}{
		{"1\n", []string{"act", "eval", "relux"}, []string{`unknown activation "relux"`, "relu, leaky_relu"}},
		{"1\n", []string{"act", "eval", "elu", "--param", "beta=2"}, []string{`elu has no parameter "beta"`, "alpha (default 1)"}},
		{"1\n", []string{"act", "eval", "elu", "--param", "alpha=x"}, []string{`alpha="x"`}},
		{"1\n2\nabc\n", []string{"act", "eval", "relu"}, []string{"standard input, line 3", `"abc" is not a number`}},
		{"1\n\n2\n", []string{"act", "eval", "relu"}, []string{"line 2", "is empty", "blank lines only at the end"}},
		{"1\n\n \n2\n", []string{"act", "eval", "relu"}, []string{"line 2", "is empty"}},
		{"\x1f\x8b\x08\x00\x00\x00", []string{"act", "eval", "relu"}, []string{"standard input: not a text file (it is gzipped); want one number per line"}},
		{"1\n2\x003\n", []string{"act", "eval", "relu"}, []string{"standard input, line 2: a NUL byte, which text does not hold"}},
		{"1\n0x10\n", []string{"act", "eval", "relu"}, []string{"line 2", `"0x10" is not a decimal number (hexadecimal: write 16)`}},
		{"0x1p3\n", []string{"act", "eval", "relu"}, []string{"line 1", `"0x1p3" is not a decimal number (hexadecimal: write 8)`}},
		{"1_000\n", []string{"act", "eval", "relu"}, []string{"line 1", "digits separated by '_': write 1000"}},
		{"1\n\ufeff2\n", []string{"act", "eval", "relu"}, []string{"line 2", `"\ufeff2" is not a number`}}, // a mark inside the text is no byte-order mark
		{"1e39\n", []string{"act", "eval", "relu"}, []string{"line 1", "float32 range"}},
		{string(utf16text.Encode("1\nx\n", false)), []string{"act", "eval", "relu"}, []string{"line 2", `"x" is not a number`}},
		{string(utf16text.Encode("1\n2\n", false)) + "3", []string{"act", "eval", "relu"}, []string{"standard input, line 3: the UTF-16 text is broken"}},
		{string(utf16text.Encode("1\n2", false)) + "3", []string{"act", "eval", "relu"}, []string{"standard input, line 2: the UTF-16 text is broken"}},
		{string(utf16text.Encode("1\nab", false)) + "3", []string{"act", "eval", "relu"}, []string{"standard input, line 2: the UTF-16 text is broken"}},
		{"\xff\xfe1\x00\x00\xdc", []string{"act", "eval", "relu"}, []string{"standard input: not a text file", "byte-order mark", "want one number per line"}},
		{"1\n" + strings.Repeat("9", 70000) + "\n", []string{"act", "eval", "relu"}, []string{"line 2: longer than 64 KB"}},
		{"1\n" + strings.Repeat("x", 5000) + "\n", []string{"act", "eval", "relu"}, []string{`line 2: "` + strings.Repeat("x", 40) + `"… (5000 bytes) is not a number`}},
		{"1\n", []string{"act", "eval", "softplus(beta=2)", "--param", "beta=3"}, []string{"in the spec or with --param, not both"}},
		{"1\n", []string{"act", "eval", "softplus(beta=2"}, []string{"missing closing parenthesis"}},
		{"1\n", []string{"act", "eval", "softplus(beta=2)x"}, []string{`"x" follows the closing parenthesis`}},
		{"1\n", []string{"act", "eval", "(relu)"}, []string{"no name before the parenthesis"}},
		{"1\n", []string{"act", "eval", "softplus(beta=2))"}, []string{`")" follows the closing parenthesis`}},
		{"1\n", []string{"act", "eval", ")("}, []string{"a closing parenthesis before the opening one"}},
		{"", []string{"act", "plot", "relu", "--from", "100000", "--to", "100000.001", "--out", filepath.Join(plotParent, "plots")}, []string{"at least 7.81 apart there"}},
		{"", []string{"act", "plot", "relu", "--from", "-1e308", "--to", "1e308", "--out", filepath.Join(plotParent, "plots")}, []string{"--from -1e+308 --to 1e+308", "within ±1e+06", "choose a narrower --from and --to"}},
		{"", []string{"act", "plot", "relu", "--from", "-1e30", "--to", "1e30", "--out", filepath.Join(plotParent, "plots")}, []string{"within ±1e+06"}},
		{"", []string{"act", "plot", "relu", "--from", "1e-300", "--to", "2e-300", "--out", filepath.Join(plotParent, "plots")}, []string{"at least 0.0001 apart", "choose a wider"}},
		{"", []string{"act", "plot", "relu", "--out", ""}, []string{"--out is empty"}},
		{"", []string{"act", "plot", "relu", "leaky_relu(negative_slope=0.2)", "leaky_relu", "--out", filepath.Join(plotParent, "plots")}, []string{"would both be drawn into leaky_relu.png"}},
		{"", []string{"act", "plot", "relux", "--out", filepath.Join(plotParent, "plots")}, []string{`unknown activation "relux"`}},
	}
	for _, c := range cases {
		stdout, stderr, status := wiggle(t, c.stdin, c.args...)
		if status != 2 || stdout != "" {
			t.Errorf("%v: exit %d, stdout %q; want 2 and nothing written", c.args, status, stdout)
		}
		for _, w := range c.want {
			if !strings.Contains(stderr, w) {
				t.Errorf("%v: stderr %q does not say %q", c.args, stderr, w)
			}
		}
	}
}

// TestActEvalTakesASpec: 'softplus(beta=2)' is softplus with --param
// beta=2, as --act takes it.
func TestActEvalTakesASpec(t *testing.T) {
	spec, stderr, status := wiggle(t, "-1\n0\n2\n", "act", "eval", "softplus(beta=2, threshold=5)")
	params, _, _ := wiggle(t, "-1\n0\n2\n", "act", "eval", "softplus", "--param", "beta=2", "--param", "threshold=5")
	plain, _, _ := wiggle(t, "-1\n0\n2\n", "act", "eval", "softplus")
	if spaced, stderr, status := wiggle(t, "-1\n0\n2\n", "act", "eval", " softplus "); status != 0 || spaced != plain {
		t.Errorf("' softplus ': exit %d, %q (%q); want softplus's %q", status, spaced, stderr, plain)
	}
	if status != 0 || spec != params || spec == plain {
		t.Errorf("the spec gives %q (exit %d, %q), --param %q, the defaults %q", spec, status, stderr, params, plain)
	}
}

func TestActListShowsTheCatalogue(t *testing.T) {
	stdout, _, status := wiggle(t, "", "act", "list")
	if status != 0 {
		t.Fatalf("exit %d", status)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	infos := act.Catalogue()
	if len(lines) != len(infos)+1 {
		t.Fatalf("%d lines for %d activations and a header", len(lines), len(infos))
	}
	// the sides where f′ tends to 0, a side where f and f′ are 0 called off
	saturates := map[string]string{"relu": "no (x -> -inf: off)", "relu6": "x -> +inf (x -> -inf: off)", "hardsigmoid": "x -> +inf (x -> -inf: off)",
		"hardswish": "no (x -> -inf: off)", "tanh": "both sides", "hardtanh": "both sides", "gelu": "x -> -inf", "logsigmoid": "x -> +inf", "leaky_relu": "no"}
	for i, info := range infos {
		want := append([]string{info.Name, info.Range, info.FlatWhere, "  " + cmp.Or(saturates[info.Name], info.Saturates) + "  "}, info.Aliases...)
		for _, w := range want {
			if !strings.Contains(lines[i+1], w) {
				t.Errorf("line %q does not show %q", lines[i+1], w)
			}
		}
	}
}

// TestActPlotTakesASpec draws leaky_relu(negative_slope=0.2) into
// leaky_relu.png, a different picture from the default slope's, and the
// default slope spelt out into the same picture as the name alone.
func TestActPlotTakesASpec(t *testing.T) {
	specs := []string{"leaky_relu(negative_slope=0.2)", "leaky_relu", "leaky_relu(negative_slope=0.01)"}
	pngs := make([][]byte, len(specs))
	for i, spec := range specs {
		dir := filepath.Join(t.TempDir(), "plots")
		if _, stderr, status := wiggle(t, "", "act", "plot", spec, "--out", dir); status != 0 {
			t.Fatalf("act plot %s: exit %d: %s", spec, status, stderr)
		}
		var err error
		if pngs[i], err = os.ReadFile(filepath.Join(dir, "leaky_relu.png")); err != nil {
			t.Fatal(err)
		}
	}
	if bytes.Equal(pngs[0], pngs[1]) || !bytes.Equal(pngs[1], pngs[2]) {
		t.Errorf("slope 0.2 drawn as the default %v, the default spelt out drawn as the name alone %v; want false and true",
			bytes.Equal(pngs[0], pngs[1]), bytes.Equal(pngs[1], pngs[2]))
	}
}

// TestOutputFoldersCheckedFirst: a folder no file can be written in, or a
// folder where a plot or the report would go, is refused (exit 2, naming
// --out) before anything is drawn or run, and nothing is written.
func TestOutputFoldersCheckedFirst(t *testing.T) {
	busy, busyPlot := t.TempDir(), t.TempDir()
	for _, path := range []string{filepath.Join(busy, "grid.png"), filepath.Join(busy, "index.html"), filepath.Join(busy, "regions.png"),
		filepath.Join(busyPlot, "step-perceptron.png")} {
		if err := os.Mkdir(path, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"act", "plot", "relu", "sigmoid", "--out", busy}, "grid.png is a folder"},
		{[]string{"lab", "--quick", "tanh-identity", "--out", busy}, "index.html is a folder"},
		{[]string{"lab", "--quick", "step", "--out", busyPlot}, "step-perceptron.png is a folder"},
		{[]string{"compare", "--epochs", "1", "--seeds", "1", "--plot", busy}, "regions.png is a folder"},
	}
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	cases = append(cases, struct {
		args []string
		want string
	}{[]string{"act", "plot", "relu", "--out", filepath.Join(file, "plots")}, file + " is a file, so no folder can be made under it"})
	if dangling := filepath.Join(t.TempDir(), "dangling"); os.Symlink(filepath.Join(busy, "missing"), dangling) == nil {
		cases = append(cases, struct {
			args []string
			want string
		}{[]string{"act", "plot", "relu", "--out", dangling}, dangling + " is a link to something that is not there"})
	}
	if runtime.GOOS == "linux" { // /proc takes no new files, even from root
		cases = append(cases,
			struct {
				args []string
				want string
			}{[]string{"act", "plot", "relu", "--out", "/proc/wiggle-test/plots"}, "--out /proc/wiggle-test/plots: nothing can be written in /proc"},
			struct {
				args []string
				want string
			}{[]string{"lab", "--quick", "tanh-identity", "--out", "/proc/wiggle-test/lab"}, "--out /proc/wiggle-test/lab: nothing can be written in /proc"})
	}
	for _, c := range cases {
		stdout, stderr, status := wiggle(t, "", c.args...)
		if status != 2 || stdout != "" || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, %q, %q; want exit 2 saying %q", c.args, status, stdout, stderr, c.want)
		}
	}
	for dir, want := range map[string]int{busy: 3, busyPlot: 1} {
		if entries, _ := os.ReadDir(dir); len(entries) != want {
			t.Errorf("%s holds %d entries after the refusals, want the %d folders alone", dir, len(entries), want)
		}
	}
}

// TestActPlotRangeGivenIsForAll: --from -6 --to 6, the default range's
// own ends, draws relu6 over them, not over relu6's own -8 to 8.
func TestActPlotRangeGivenIsForAll(t *testing.T) {
	own, given := filepath.Join(t.TempDir(), "own"), filepath.Join(t.TempDir(), "given")
	for _, args := range [][]string{{"--out", own}, {"--out", given, "--from", "-6", "--to", "6"}} {
		if _, stderr, status := wiggle(t, "", append([]string{"act", "plot", "relu6"}, args...)...); status != 0 {
			t.Fatalf("act plot relu6 %v: exit %d: %s", args, status, stderr)
		}
	}
	a, errA := os.ReadFile(filepath.Join(own, "relu6.png"))
	b, errB := os.ReadFile(filepath.Join(given, "relu6.png"))
	if errA != nil || errB != nil || bytes.Equal(a, b) {
		t.Errorf("relu6 over its own range and over -6 to 6: %v, %v, the same picture %v; want two", errA, errB, bytes.Equal(a, b))
	}
}

func TestActPlotWritesPNGs(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "plots")
	stdout, stderr, status := wiggle(t, "", "act", "plot", "sigmoid", "relu", "--out", dir)
	if status != 0 {
		t.Fatalf("exit %d: %s", status, stderr)
	}
	for _, name := range []string{"sigmoid.png", "relu.png", "grid.png"} {
		path := filepath.Join(dir, name)
		if !strings.Contains(stdout, path) {
			t.Errorf("output %q does not name %s", stdout, path)
		}
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if b := img.Bounds(); b.Dx() < 200 || b.Dy() < 150 {
			t.Errorf("%s is only %v", name, b)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 3 {
		t.Errorf("%s holds %d files, want 3 (no temporary files left)", dir, len(entries))
	}
}

// TestSpecsTakeTheHelpsQuotes: the help's examples quote specs for sh
// ('leaky_relu(negative_slope=0.2)'); cmd.exe passes the quotes on, and
// they are dropped, as sh and PowerShell drop them.
func TestSpecsTakeTheHelpsQuotes(t *testing.T) {
	quoted, _, status := wiggle(t, "-1\n2\n", "act", "eval", "'leaky_relu(negative_slope=0.2)'")
	plain, _, _ := wiggle(t, "-1\n2\n", "act", "eval", "leaky_relu(negative_slope=0.2)")
	if status != 0 || quoted != plain {
		t.Errorf("act eval of a quoted spec: exit %d, %q; want %q", status, quoted, plain)
	}
	specs, err := actsFlag([]string{"'relu,softplus(beta=2)'", "'tanh','elu'"}, "")
	if want := []string{"relu", "softplus(beta=2, threshold=20)", "tanh", "elu"}; err != nil || !slices.Equal(specs, want) {
		t.Errorf("actsFlag of quoted values: %q, %v; want %q", specs, err, want)
	}
	if funcs, err := parsePlotted([]string{"'elu(alpha=2)'"}); err != nil || len(funcs) != 1 || funcs[0].String() != "elu(alpha=2)" {
		t.Errorf("parsePlotted of a quoted spec: %v, %v", funcs, err)
	}
	if _, _, status := wiggle(t, "1\n", "act", "eval", "'relu"); status != 2 {
		t.Errorf("act eval 'relu (one quote): exit %d; want 2", status)
	}
}

// TestActEvalTakesDOSsEndOfFile: a Ctrl-Z (0x1A) ending the numbers, as
// copy a+b and old editors write it, ends them; among them it is refused.
func TestActEvalTakesDOSsEndOfFile(t *testing.T) {
	if stdout, stderr, status := wiggle(t, "1\r\n-2\r\n\x1a", "act", "eval", "relu"); status != 0 || stdout != "1 1\n0 0\n" { // y and dy of each
		t.Errorf("numbers ending in a Ctrl-Z: exit %d, %q, %q; want both evaluated", status, stdout, stderr)
	}
	if _, stderr, status := wiggle(t, "1\r\n\x1a\r\n3\r\n", "act", "eval", "relu"); status != 2 || !strings.Contains(stderr, "line 2: a Ctrl-Z (the byte 0x1A") {
		t.Errorf("a Ctrl-Z among the numbers: exit %d, %q; want 2 and the Ctrl-Z named at line 2", status, stderr)
	}
}
