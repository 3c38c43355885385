package onnx

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wigglenn/wiggle/data"
	"github.com/wigglenn/wiggle/model"
	"github.com/wigglenn/wiggle/modelio"
	"github.com/wigglenn/wiggle/nn"
)

// debianPython returns Debian's python3 when it imports onnx, or skips.
func debianPython(t *testing.T) string {
	t.Helper()
	if exec.Command("/usr/bin/python3", "-c", "import onnx").Run() != nil {
		t.Skip("Debian's python3-onnx is not installed (apt-get install python3-onnx); the ONNX checker test needs it")
	}
	return "/usr/bin/python3"
}

// ortModules returns the folder holding onnxruntime-node, or skips: .ci/run
// installs it with `npm install --ignore-scripts --prefix DIR onnxruntime-node@1.30.0`
// into the user cache's wiggle/npm (or $WIGGLE_NODE_MODULES).
func ortModules(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("WIGGLE_NODE_MODULES")
	if dir == "" {
		cache, _ := os.UserCacheDir()
		dir = filepath.Join(cache, "wiggle", "npm", "node_modules")
	}
	if _, err := os.Stat(filepath.Join(dir, "onnxruntime-node", "package.json")); err != nil {
		t.Skipf("onnxruntime-node is not installed in %s (npm install --ignore-scripts onnxruntime-node@1.30.0); the ONNX Runtime test needs it", dir)
	}
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node is not installed; the ONNX Runtime test needs it")
	}
	return dir
}

// runONNXRuntime runs each model file on its input rows in ONNX Runtime and
// returns the first output of each.
func runONNXRuntime(t *testing.T, modules string, files []string, inputs [][][]float32) [][][]float32 {
	t.Helper()
	dir := t.TempDir()
	job, _ := json.Marshal(map[string]any{"files": files, "inputs": inputs})
	jobPath := filepath.Join(dir, "job.json")
	os.WriteFile(jobPath, job, 0o644)
	script := `
const ort = require('onnxruntime-node');
const job = require(process.argv[2]);
(async () => {
  const out = [];
  for (let i = 0; i < job.files.length; i++) {
    const rows = job.inputs[i];
    const s = await ort.InferenceSession.create(job.files[i]);
    const x = new ort.Tensor('float32', Float32Array.from(rows.flat()), [rows.length, rows[0].length]);
    const r = await s.run({ input: x });
    const y = r.output, w = y.dims[1];
    const res = [];
    for (let k = 0; k < y.dims[0]; k++) res.push(Array.from(y.data.slice(k * w, (k + 1) * w)));
    out.push(res);
  }
  console.log(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(1); });
`
	scriptPath := filepath.Join(dir, "run.js")
	os.WriteFile(scriptPath, []byte(script), 0o644)
	cmd := exec.Command("node", scriptPath, jobPath)
	cmd.Env = append(os.Environ(), "NODE_PATH="+modules)
	out, err := cmd.Output()
	if err != nil {
		var stderr string
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("ONNX Runtime: %v\n%s", err, stderr)
	}
	var results [][][]float32
	if err := json.Unmarshal(out, &results); err != nil {
		t.Fatalf("ONNX Runtime's output %q: %v", out, err)
	}
	return results
}

// exported is a model made for the test and what wiggle predicts.
type exported struct {
	name string
	file string
	rows [][]float32
	want [][]float32
}

// TestEveryActivationInONNXRuntime exports a network of every activation
// (several with parameters other than the defaults), PReLU and maxout layers,
// under each loss, with and without standardisation: onnx's checker passes
// every file, and ONNX Runtime's first output equals wiggle's prediction
// within 1e-5 + 1e-5·|value|.
func TestEveryActivationInONNXRuntime(t *testing.T) {
	py := debianPython(t)
	modules := ortModules(t)
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(1, 1))
	var cases []exported
	for i, a := range testActivations {
		lossName := []string{"softmax", "logistic", "hinge", "mse"}[i%4]
		standardise := i%3 == 0
		c := exportCase(t, dir, a, lossName, standardise, MinOpset+i%(MaxOpset-MinOpset+1), rng) // every opset Write writes, over the activations
		cases = append(cases, c)
	}
	var files []string
	var inputs [][][]float32
	for _, c := range cases {
		files, inputs = append(files, c.file), append(inputs, c.rows)
	}
	check := `import onnx, sys
for f in sys.argv[1:]:
    m = onnx.load(f)
    onnx.checker.check_model(m, full_check=True)
    want = onnx.helper.find_min_ir_version_for(list(m.opset_import))
    if m.ir_version != want:
        sys.exit("%s: IR version %d for opset %d; onnx's table says %d" % (f, m.ir_version, m.opset_import[0].version, want))
print("ok")`
	if out, err := exec.Command(py, append([]string{"-c", check}, files...)...).CombinedOutput(); err != nil {
		t.Fatalf("onnx.checker: %v\n%s", err, out)
	}
	got := runONNXRuntime(t, modules, files, inputs)
	for k, c := range cases {
		for i := range c.want {
			for j, w := range c.want[i] {
				if g := got[k][i][j]; math.Abs(float64(g-w)) > 1e-5+1e-5*math.Abs(float64(w)) {
					t.Errorf("%s: row %d, output %d: ONNX Runtime %v, wiggle %v", c.name, i, j, g, w)
					break
				}
			}
		}
	}
}

// exportCase builds, exports and predicts one model.
func exportCase(t *testing.T, dir, a, lossName string, standardise bool, opset int, rng *rand.Rand) exported {
	t.Helper()
	const in, rows = 3, 40
	outputs := map[string]int{"softmax": 3, "logistic": 1, "hinge": 3, "mse": 2}[lossName]
	net, err := nn.Build(nn.NewMLPSpec(in, []int{6, 5}, outputs, a, nn.MLPOptions{Dropout: 0.1}), rng)
	if err != nil {
		t.Fatalf("%s: %v", a, err)
	}
	nn.InitDefault(net, rng)
	for _, p := range net.Params() { // larger weights reach each activation's kinks and tails
		for i := range p.Value {
			p.Value[i] *= 3
		}
	}
	m := &modelio.Model{Net: net, Loss: lossName}
	x := make([][]float32, rows)
	for i := range x {
		x[i] = make([]float32, in)
		for j := range x[i] {
			x[i][j] = float32(4 * rng.NormFloat64())
		}
	}
	x[0] = []float32{0, 0, 0} // kinks at 0
	if standardise {
		m.Scaler = &data.Standardizer{Mean: []float32{1, -2, 0.5}, Std: []float32{2, 0.5, 3}}
	}
	served, err := model.New(m)
	if err != nil {
		t.Fatalf("%s: %v", a, err)
	}
	want, err := served.Predict(x)
	if err != nil {
		t.Fatalf("%s: %v", a, err)
	}
	name := fmt.Sprintf("%s-%s-std%v", a, lossName, standardise)
	file := filepath.Join(dir, strings.NewReplacer("(", "_", ")", "", "=", "", ",", "", " ", "").Replace(name)+".onnx")
	if err := Save(file, m, opset); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if err := modelio.Save(file+".safetensors", m); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return exported{name: name, file: file, rows: x, want: want}
}
