package session

import (
	"bytes"
	"testing"

	"github.com/wigglenn/wiggle/data"

	"github.com/wigglenn/wiggle/modelio"
)

// FuzzSession: the page's settings (JSON) and, where csv is not empty, an
// uploaded table go through ParseConfig, New or NewFromCSV, two epochs and
// every view with the page's indexes; errors are fine, panics are not.
func FuzzSession(f *testing.F) {
	f.Add(`{}`, "", 1, 0, 8, float32(0.5), float32(0.5), 0, 1.0)
	f.Add(`{"data":"xor","hidden":[3,2],"act":"maxout","vs":"tanh","test":0.3,"inputs":["x","y","xy","sinx"]}`, "", 1, 2, 4, float32(1), float32(-1), 1, 50.0)
	f.Add(`{"data":"sine","loss":"mse","hidden":[4],"act":"prelu","opt":"adam","lr":0.01}`, "", 1, 3, 3, float32(0), float32(0), 0, -3.0)
	f.Add(`{"data":"plane","loss":"mse","hidden":[],"acts":["","elu(alpha=2)"],"dropout":0.2}`, "", 0, 0, 1, float32(0), float32(0), 0, 0.0)
	f.Add(`{"hidden":[2,2],"acts":["relu","leaky_relu(negative_slope=0.3)"],"loss":"hinge","opt":"sgd","batch":1,"k":4}`, "a,b,c\n1,2,x\n3,4,y\n5,6,x\n", 2, 1, 2, float32(3), float32(3), 1, 5.0)
	f.Add(`{"loss":"logistic"}`, "a,b\n1,2\n2,3.5\n3,1e9\n", 1, 0, 2, float32(0), float32(0), 0, 0.0)
	f.Add(`{"scale":1000,"lr":10}`, "x,y,label\n1,2,0\n3,4,1\n-1,-1,2\n", 1, 0, 2, float32(0), float32(0), 2, 0.0)
	f.Fuzz(func(t *testing.T, cfgText, csv string, k, j, n int, x, y float32, label int, w float64) {
		cfg, err := ParseConfig(cfgText)
		if err != nil {
			return
		}
		if len(cfg.Hidden) > 3 || cfg.Points > 300 || cfg.Points < 0 { // keep a case fast
			return
		}
		for _, h := range cfg.Hidden {
			if h > 16 {
				return
			}
		}
		var s *Session
		if csv != "" {
			s, err = NewFromCSV(cfg, "up.csv", csv)
		} else {
			s, err = New(cfg)
		}
		if err != nil {
			return
		}
		if s.TrainSet.Len() > 2000 {
			return
		}
		n %= 40
		for range 2 {
			st, err := s.Epoch()
			if err == nil {
				s.Test(&st)
			}
		}
		s.Measure()
		s.Layers()
		s.Health()
		s.Graph()
		s.Unit(k, j)
		s.Neurons(n)
		s.Regions(n)
		s.Points()
		s.Bounds()
		s.Divergence()
		s.SetWeight(k, j, label, w)
		s.AddPoint(x, y, label)
		s.Data()
		if tw, err := s.Twin(); err == nil && tw != nil {
			tw.Epoch()
			tw.Regions(n)
		}
		if m := s.Model(); m != nil {
			if f, err := m.File(); err == nil {
				if m2, err := modelio.FromFile(f); err == nil {
					FromModel(cfg, m2)
				}
			}
		}
		s.Epoch()
	})
}

// FuzzFromModel: a model file uploaded to the page (the worker's loadRun:
// modelio.Read, then FromModelOn on the page's settings, or on points of
// one's own), then training and the views; errors, never a panic.
func FuzzFromModel(f *testing.F) {
	for _, text := range []string{`{}`, `{"data":"xor","hidden":[3,2],"act":"maxout","dropout":0.1}`, `{"data":"sine","loss":"mse","hidden":[4],"act":"prelu"}`,
		`{"data":"plane","loss":"mse","hidden":[2],"acts":["tanh"],"inputs":["x","y","xy"]}`, `{"data":"blobs","k":4,"hidden":[3,3],"acts":["relu","elu(alpha=2)"],"loss":"hinge"}`,
		`{"data":"moons","hidden":[],"loss":"logistic"}`} {
		cfg, err := ParseConfig(text)
		if err != nil {
			f.Fatal(err)
		}
		s, err := New(cfg)
		if err != nil {
			f.Fatal(text, err)
		}
		var b bytes.Buffer
		if err := modelio.Write(&b, s.Model()); err != nil {
			f.Fatal(err)
		}
		f.Add(b.Bytes(), text, false)
		f.Add(b.Bytes(), `{"data":"spiral"}`, true)
		f.Add(bytes.Replace(b.Bytes(), []byte(`"crc32c"`), []byte(`"crc32x"`), 1), text, false)
	}
	own, err := New(Config{Dataset: "circles", Noise: -1, TestFraction: 0.2, Hidden: []int{2}, Act: "relu", InitScale: 1, Loss: "softmax", Optimizer: "sgd", LR: 0.1, Batch: 10, Seed: 3})
	if err != nil {
		f.Fatal(err)
	}
	own.AddPoint(0.1, 0.2, 1)
	f.Fuzz(func(t *testing.T, raw []byte, cfgText string, onOwn bool) {
		m, err := modelio.Read(bytes.NewReader(raw))
		if err != nil {
			return
		}
		cfg, err := ParseConfig(cfgText)
		if err != nil {
			return
		}
		var all *data.Dataset
		if onOwn {
			all = own.Data()
			cfg.Dataset = Custom
		}
		s, err := FromModelOn(cfg, m, all)
		if err != nil {
			return
		}
		s.Epoch()
		s.Layers()
		s.Health()
		s.Graph()
		s.Neurons(5)
		s.Regions(5)
		s.Unit(1, 0)
		if tw, err := s.Twin(); err == nil && tw != nil {
			tw.Epoch()
		}
	})
}
