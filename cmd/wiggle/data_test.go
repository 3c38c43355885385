package main

import (
	"bytes"
	"compress/gzip"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wigglenn/wiggle/data"
)

func TestDataGen(t *testing.T) {
	a, _, status := wiggle(t, "", "data", "gen", "spiral", "--n", "100", "--classes", "3", "--seed", "1")
	b, _, _ := wiggle(t, "", "data", "gen", "spiral", "--n", "100", "--classes", "3", "--seed", "1")
	c, _, _ := wiggle(t, "", "data", "gen", "spiral", "--n", "100", "--classes", "3", "--seed", "2")
	lines := strings.Split(strings.TrimSpace(a), "\n")
	if status != 0 || len(lines) != 301 || lines[0] != "x0,x1,label" {
		t.Fatalf("exit %d, %d lines, header %q; want 300 rows under x0,x1,label", status, len(lines), lines[0])
	}
	if a != b || a == c {
		t.Error("the same seed must give the same bytes, another seed others")
	}
	for _, args := range [][]string{{"gen", "swirl"}, {"gen", "xor", "--classes", "3"}, {"gen", "spiral", "--n", "0x"}} {
		if _, stderr, status := wiggle(t, "", append([]string{"data"}, args...)...); status != 2 || stderr == "" {
			t.Errorf("data %v: exit %d, stderr %q", args, status, stderr)
		}
	}
}

// data gen --out writes the bytes standard output gets, whole, and checks
// the path as predict's --out does before any work.
func TestDataGenOut(t *testing.T) {
	dir := t.TempDir()
	want, _, _ := wiggle(t, "", "data", "gen", "moons", "--n", "40")
	path := filepath.Join(dir, "moons.csv")
	stdout, stderr, status := wiggle(t, "", "data", "gen", "moons", "--n", "40", "--out", path)
	if status != 0 || stdout != "wrote "+path+": 80 rows\n" {
		t.Fatalf("exit %d, stdout %q, stderr %q; want it to say it wrote 80 rows", status, stdout, stderr)
	}
	if got, err := os.ReadFile(path); err != nil || string(got) != want {
		t.Errorf("the file holds %d bytes (%v), standard output %d; want the same bytes", len(got), err, len(want))
	}
	if stdout, _, _ := wiggle(t, "", "data", "gen", "moons", "--n", "40", "--out", "-"); stdout != want {
		t.Error(`--out - must be standard output`)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"moons", "--out", dir}, "--out " + dir + " is a folder; give a file name such as " + filepath.Join(dir, "moons.csv")},
		{[]string{"swirl", "--out", dir}, "swirl"}, // the name first: no file name made of it
	} {
		_, stderr, status := wiggle(t, "", append([]string{"data", "gen"}, c.args...)...)
		if status != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("data gen %v: exit %d, stderr %q; want 2 and %q", c.args, status, stderr, c.want)
		}
		if c.args[0] == "swirl" && strings.Contains(stderr, "folder") {
			t.Errorf("data gen %v: %q; want the unknown set named, not the folder", c.args, stderr)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("the folder holds %d entries; want the one file, no temporary left", len(entries))
	}
}

func TestDataShowAndPlot(t *testing.T) {
	out := filepath.Join(t.TempDir(), "moons.png")
	stdout, stderr, status := wiggle(t, "", "data", "show", "moons", "--plot", out)
	if status != 0 {
		t.Fatalf("exit %d: %s", status, stderr)
	}
	for _, want := range []string{"rows      200", "classes   2: 0=100 (50.0%) 1=100 (50.0%)", "x0", "x1"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("show lacks %q:\n%s", want, stdout)
		}
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := png.Decode(f); err != nil {
		t.Errorf("--plot wrote no PNG: %v", err)
	}
}

func TestDataShowIDXByContent(t *testing.T) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte{0, 0, 8, 1, 0, 0, 0, 4, 3, 1, 3, 3})
	zw.Close()
	path := filepath.Join(t.TempDir(), "labels.bin") // not named .gz: told by content
	os.WriteFile(path, buf.Bytes(), 0o644)
	stdout, stderr, status := wiggle(t, "", "data", "show", path)
	if status != 0 || !strings.Contains(stdout, "dimensions [4]") || !strings.Contains(stdout, "1=1 3=3") {
		t.Errorf("exit %d, stdout %q, stderr %q", status, stdout, stderr)
	}
	// A table's flags are refused, not ignored: --plot had printed the
	// description and drawn nothing.
	png := filepath.Join(t.TempDir(), "p.png")
	for _, args := range [][]string{{"--plot", png}, {"--target", "y"}, {"--ignore", "a"}, {"--decimal-comma"}} {
		stdout, stderr, status := wiggle(t, "", append([]string{"data", "show", path}, args...)...)
		if status != 2 || stdout != "" || !strings.Contains(stderr, args[0]+" does not apply to an IDX file") || !strings.Contains(stderr, "which "+path+" is: leave it out") {
			t.Errorf("data show IDX %v: exit %d, stdout %q, stderr %q; want 2 and %s refused", args, status, stdout, stderr, args[0])
		}
	}
	if _, err := os.Stat(png); !os.IsNotExist(err) {
		t.Errorf("--plot of an IDX file: %s is there (%v)", png, err)
	}
}

// TestShowOneClass: a table whose rows are all of one class cannot train a
// classifier, but show describes it.
func TestShowOneClass(t *testing.T) {
	path := filepath.Join(t.TempDir(), "one.csv")
	os.WriteFile(path, []byte("x0,x1,label\n1,2,a\n3,4,a\n5,6,a\n"), 0o644)
	stdout, stderr, status := wiggle(t, "", "data", "show", path)
	if status != 0 || !strings.Contains(stdout, "classes   1: a=3 (100.0%)") || !strings.Contains(stdout, "x1    2     4    6") {
		t.Errorf("data show of one class: exit %d, stdout %q, stderr %q; want its description", status, stdout, stderr)
	}
}

// malformed is a corpus of broken data files: each must give exit status 2
// and a message naming the problem (and, for CSV, the line), quickly, with
// no panic.
var malformed = []struct{ name, content, want string }{
	{"empty.csv", "", "the file is empty"},
	{"header-only.csv", "x0,x1,label\n", "header but no rows"},
	{"ragged.csv", "x0,x1,label\n1,2,0\n3,1\n", "line 3: 2 fields, the header has 3"},
	{"text-feature.csv", "x0,x1,label\n1,2,0\n3,abc,1\n", `line 3, column 2 ("x1"): "abc" is not a number`},
	{"nan.csv", "x0,x1,label\n1,NaN,0\n", `line 2, column 2 ("x1"): "NaN" is not a number: a missing value's mark`},
	{"inf.csv", "x0,x1,label\n1,2,0\n+Inf,2,1\n", "line 3, column 1"},
	{"dup.csv", "x0,x0,label\n1,2,0\n", `both named "x0"`},
	{"no-target.csv", "x0,x1,y\n1,2,0\n", `no target column "label"`},
	{"one-class.csv", "x0,x1,label\n1,2,0\n3,4,0\n", "at least two classes"},
	{"binary.csv", "\x00\x01\x02\x03garbage", "not a text file"},
	{"quotes.csv", "x0,x1,label\n1,\"2,0\n", "line 2, byte 8 of the line"},
	{"latin1.csv", "x0,x1,label\n1,2,caf\xe9\n3,4,b\n", "UTF-8"},
	{"truncated.idx", "\x00\x00\x08\x03\x00\x00\x00\x0a\x00\x00\x00\x1c\x00\x00\x00\x1c\x01\x02", "truncated IDX data"},
	{"oversized.idx", "\x00\x00\x08\x01\x00\x00\x00\x02\x01\x02\x03", "oversized IDX"},
	{"idx-float.idx", "\x00\x00\x0d\x01\x00\x00\x00\x01\x00\x00\x00\x00", "IDX type 0x0d"},
	{"idx-unknown.idx", "\x00\x00\x07\x01\x00\x00\x00\x02ab", "IDX type 0x07"}, // no IDX type at all: still not "not a text file"
}

func TestMalformedFiles(t *testing.T) {
	dir := t.TempDir()
	for _, m := range malformed {
		path := filepath.Join(dir, m.name)
		if err := os.WriteFile(path, []byte(m.content), 0o644); err != nil {
			t.Fatal(err)
		}
		var commands [][]string
		if m.name != "no-target.csv" && m.name != "one-class.csv" { // show reads a table without a target as features only, and describes one class
			commands = append(commands, []string{"data", "show", path})
		}
		if strings.HasSuffix(m.name, ".csv") {
			commands = append(commands, []string{"train", "--data", path, "--out", filepath.Join(dir, "m.safetensors")})
		}
		for _, args := range commands {
			start := time.Now()
			stdout, stderr, status := wiggle(t, "", args...)
			if status != 2 || !strings.Contains(stderr, m.want) || !strings.Contains(stderr, m.name) {
				t.Errorf("wiggle %s %s: exit %d, stderr %q; want 2, the file name and %q", args[0], m.name, status, stderr, m.want)
			}
			if strings.Contains(stderr, "goroutine") || strings.Contains(stderr, "panic") || (args[0] == "train" && stdout != "") {
				t.Errorf("wiggle %s %s: stdout %q stderr %q", args[0], m.name, stdout, stderr)
			}
			if d := time.Since(start); d > time.Second {
				t.Errorf("wiggle %s %s took %v", args[0], m.name, d)
			}
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "m.safetensors")); err == nil {
		t.Error("a model was written from malformed data")
	}
}

// TestDataShowFigures: figures that four significant figures blur are
// written with as many more as tell them apart (a column 10000 ± 5: its
// mean and maximum had both read 1e+04; a mean id of 1050.5 read 1050;
// float32's 0.3 beside millions, 0.30000001),
// each column's std is given, −0 reads 0, and a class of one row in
// 3,000 reads <0.1%, not 0.0%.
func TestDataShowFigures(t *testing.T) {
	for _, c := range []struct {
		f    data.FeatureStats
		want [4]string
	}{
		{data.FeatureStats{Min: 9995.123, Mean: 9999.98, Max: 10004.75, Std: 1.9034}, [4]string{"9995.1", "10000", "10004.8", "1.903"}},
		{data.FeatureStats{Min: float64(float32(0.3)), Mean: 833733.4333, Max: 2500000}, [4]string{"0.3", "833733.4", "2500000", "0"}},
		{data.FeatureStats{Min: 9999.91, Mean: 9999.94, Max: 9999.99}, [4]string{"9999.91", "9999.94", "9999.99", "0"}},
		{data.FeatureStats{Min: -0.04, Mean: 500, Max: 1000}, [4]string{"-0.04", "500", "1000", "0"}},
		{data.FeatureStats{Min: 1e-7, Mean: 500, Max: 1000.00001}, [4]string{"1e-07", "500", "1000", "0"}},
		{data.FeatureStats{Min: 1001, Mean: 1050.5, Max: 1100, Std: 28.866}, [4]string{"1001", "1050.5", "1100", "28.87"}},
		{data.FeatureStats{Min: -0.8355581, Mean: -0.01953864, Max: 0.98896, Std: 0.4216}, [4]string{"-0.8356", "-0.01954", "0.989", "0.4216"}},
		{data.FeatureStats{Min: 0.100001, Mean: 0.1000015, Max: 0.100002}, [4]string{"0.100001", "0.1000015", "0.100002", "0"}},
		{data.FeatureStats{Min: math.Copysign(0, -1), Mean: 0, Max: 2e6}, [4]string{"0", "0", "2000000", "0"}},
	} {
		if got := statTexts(c.f); got != c.want {
			t.Errorf("statTexts(%+v) = %q; want %q", c.f, got, c.want)
		}
	}
	for _, c := range []struct {
		count, rows int
		want        string
	}{
		{1, 3005, "<0.1%"}, {5, 3005, "0.2%"}, {2999, 3000, ">99.9%"}, {3000, 3000, "100.0%"}, {0, 10, "0.0%"}, {1, 3, "33.3%"},
	} {
		if got := shareText(c.count, c.rows); got != c.want {
			t.Errorf("shareText(%d, %d) = %q; want %q", c.count, c.rows, got, c.want)
		}
	}
}

// TestDataShowSaysWhereNoTargetIs: a table without a column named label
// (a regression set written by data gen) is said to have no target, every
// column read as a feature, and --target is offered.
func TestDataShowSaysWhereNoTargetIs(t *testing.T) {
	file := newcomerFile(t, "sine.csv", "x0,y\n0,0\n1,0.84\n2,0.91\n")
	stdout, stderr, status := wiggle(t, "", "data", "show", file)
	if status != 0 || !strings.Contains(stdout, "target    none: no column is named label, so every column is read as a feature (--target NAME names the one to predict)") {
		t.Errorf("exit %d, %q, %q; want the missing target said", status, stdout, stderr)
	}
	stdout, _, _ = wiggle(t, "", "data", "show", file, "--target", "y")
	if strings.Contains(stdout, "target    none") {
		t.Errorf("with --target y: %q; want no word of a missing target", stdout)
	}
}
