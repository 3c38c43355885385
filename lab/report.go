package lab

import (
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"path/filepath"

	"github.com/wigglenn/wiggle/internal/atomicfile"
)

// WriteReport writes dir/report.json and dir/index.html, a page that reads
// offline, with each experiment's claim, numbers, criterion, verdict and
// plots (files beside it).
func WriteReport(dir string, results []Result) error {
	err := atomicfile.Write(filepath.Join(dir, "report.json"), 0o644, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(results)
	})
	if err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(dir, "index.html"), 0o644, func(w io.Writer) error {
		return page.Execute(w, results)
	})
}

var page = template.Must(template.New("report").Funcs(template.FuncMap{
	"num": func(v float64) string { return fmt.Sprintf("%.4g", v) },
}).Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>wiggle lab</title>
<style>
body { font-family: sans-serif; max-width: 60em; margin: 2em auto; padding: 0 1em; color: #222; }
section { border-top: 1px solid #ccc; padding: 1em 0; }
.reproduced { color: #1a7f37; font-weight: bold; }
.not { color: #b42318; font-weight: bold; }
table { border-collapse: collapse; } td { padding: 0.1em 1em 0.1em 0; }
img { max-width: 100%; border: 1px solid #eee; margin: 0.5em 0; }
</style></head><body>
<h1>wiggle lab</h1>
<p>Each experiment states a claim about activation functions, runs, and compares what it measured
with a criterion fixed in the code before the run.</p>
{{range .}}<section id="{{.Name}}">
<h2>{{.Name}}: <span class="{{if eq .Verdict "reproduced"}}reproduced{{else}}not{{end}}">{{.Verdict}}</span></h2>
<p><b>Claim.</b> {{.Claim}} <i>({{.Source}})</i></p>
<p><b>Criterion.</b> {{.Criterion}}</p>
<table>{{range .Measured}}<tr><td>{{.Name}}</td><td>{{num .Value}}</td></tr>{{end}}</table>
{{range .Plots}}<img src="{{.}}" alt="{{.}}">{{end}}
<p><small>{{printf "%.1f" .Seconds}} s</small></p>
</section>{{end}}
</body></html>
`))
