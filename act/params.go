package act

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/wigglenn/wiggle/internal/numtext"
)

// Param describes one parameter of an activation, by PyTorch's name.
type Param struct {
	Name    string
	Default string   // PyTorch's default, as text ("0.01", "none")
	Choices []string // the words allowed, for a word parameter; nil for a number
	NonZero bool     // a number that must not be 0 (one the activation divides by)
	Doc     string
}

type paramValue struct{ name, value string }

// paramSet holds every parameter of one activation, defaults filled in and
// values checked against their Param.
type paramSet []paramValue

func (p paramSet) get(name string) string {
	for _, v := range p {
		if v.name == name {
			return v.value
		}
	}
	panic("act: no parameter " + name) // a catalogue entry reads only its own parameters
}

func (p paramSet) float(name string) float64 {
	v, _ := strconv.ParseFloat(p.get(name), 64) // checked by resolveParams
	return v
}

// namesAndAliases lists the catalogue's names, each with its aliases:
// "identity (linear), step (heaviside), sigmoid (logistic), tanh, ...".
func namesAndAliases() string {
	names := make([]string, len(catalogue))
	for i, info := range catalogue {
		names[i] = info.Name
		if len(info.Aliases) > 0 {
			names[i] += " (" + strings.Join(info.Aliases, ", ") + ")"
		}
	}
	return strings.Join(names, ", ")
}

// New returns the activation called name (or one of its aliases) with the
// given parameters, each written "key=value" by PyTorch's name
// ("negative_slope=0.2"). Parameters left out take PyTorch's defaults.
//
// The error for an unknown name lists the valid names; the error for an
// unknown parameter or a bad value lists the valid parameters.
func New(name string, params ...string) (Func, error) {
	info, ok := Lookup(name)
	if !ok {
		return nil, fmt.Errorf("unknown activation %q; valid names: %s", name, namesAndAliases())
	}
	set, err := resolveParams(info, params)
	if err != nil {
		return nil, err
	}
	return info.newFunc(set)
}

// MustNew is New for names and parameters fixed in the program; it panics on
// an error.
func MustNew(name string, params ...string) Func {
	f, err := New(name, params...)
	if err != nil {
		panic(err)
	}
	return f
}

// Parse reads the form Func.String writes: "name" or
// "name(key=value, key=value)". Numbers are decimal, as in data
// (internal/numtext: Go's hexadecimal floats and digits with underscores
// are refused, naming the decimal value); String writes each as the
// catalogue writes its defaults ("elu(alpha=1e0)" is "elu(alpha=1)").
func Parse(spec string) (Func, error) {
	spec = strings.TrimSpace(spec)
	name, rest, hasParams := strings.Cut(spec, "(")
	if !hasParams {
		return New(name)
	}
	if strings.TrimSpace(name) == "" {
		return nil, fmt.Errorf("activation %q: no name before the parenthesis; write name(key=value, ...), as leaky_relu(negative_slope=0.2)", spec)
	}
	if strings.Contains(name, ")") {
		return nil, fmt.Errorf("activation %q: a closing parenthesis before the opening one; write name(key=value, ...)", spec)
	}
	close := strings.Index(rest, ")") // no value holds one: the first closes the list
	if close < 0 {
		return nil, fmt.Errorf("activation %q: missing closing parenthesis", spec)
	}
	if after := rest[close+1:]; after != "" {
		return nil, fmt.Errorf("activation %q: %q follows the closing parenthesis; the spec ends there", spec, after)
	}
	inner := rest[:close]
	var params []string
	for _, p := range strings.Split(inner, ",") {
		if p = strings.TrimSpace(p); p != "" {
			params = append(params, p)
		}
	}
	return New(strings.TrimSpace(name), params...)
}

// Params returns f's parameters by name, as String writes their values
// ("negative_slope": "0.01"), defaults included; none for a Func that is not
// the catalogue's.
func Params(f Func) map[string]string {
	var params []paramValue
	switch e := f.(type) {
	case *elementwise:
		params = e.params
	case *slopeLearner:
		params = e.params
	default:
		return nil
	}
	out := make(map[string]string, len(params))
	for _, p := range params {
		out[p.name] = p.value
	}
	return out
}

func resolveParams(info Info, given []string) (paramSet, error) {
	set := make(paramSet, len(info.Params))
	for i, p := range info.Params {
		set[i] = paramValue{p.Name, p.Default}
	}
	seen := make([]bool, len(info.Params))
	for _, kv := range given {
		key, value, ok := strings.Cut(kv, "=")
		key, value = strings.TrimSpace(key), strings.TrimSpace(value)
		i := slices.IndexFunc(info.Params, func(p Param) bool { return p.Name == key })
		switch {
		case !ok:
			return nil, fmt.Errorf("%s: %q is not key=value; %s", info.Name, kv, validParams(info))
		case i < 0:
			return nil, fmt.Errorf("%s has no parameter %q; %s", info.Name, key, validParams(info))
		case seen[i]:
			return nil, fmt.Errorf("%s: parameter %s is given twice; give it once", info.Name, key)
		}
		seen[i] = true
		if info.Params[i].Choices != nil {
			value = unquoted(value)
		}
		if err := checkValue(info.Params[i], value); err != nil {
			return nil, fmt.Errorf("%s: %v", info.Name, err)
		}
		set[i].value = canonical(info.Params[i], value)
	}
	return set, nil
}

// unquoted is a choice as PyTorch's Python spells it, in quotes
// (approximate='tanh'), without them; other values stay as they are.
func unquoted(value string) string {
	if n := len(value); n >= 2 && (value[0] == '\'' || value[0] == '"') && value[n-1] == value[0] {
		return value[1 : n-1]
	}
	return value
}

// canonical writes a number as the catalogue writes its defaults, the
// shortest decimal that reads back as it (strconv's 'g'), so that one
// activation has one spec however it was typed: "1e0", "+1" and "1.0"
// are "1", ".125" is "0.125". Choices stay as they are. value has
// passed checkValue.
func canonical(p Param, value string) string {
	if p.Choices != nil {
		return value
	}
	v, _ := strconv.ParseFloat(value, 64)
	return strconv.FormatFloat(v, 'g', -1, 64)
}

func checkValue(p Param, value string) error {
	if p.Choices != nil {
		if !slices.Contains(p.Choices, value) {
			return fmt.Errorf("parameter %s=%q: want one of %s", p.Name, value, strings.Join(p.Choices, ", "))
		}
		return nil
	}
	if hint := numtext.Hint(value); hint != "" {
		return fmt.Errorf("parameter %s=%q: %s", p.Name, value, hint)
	}
	v, err := strconv.ParseFloat(value, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return fmt.Errorf("parameter %s=%q: want a finite number", p.Name, value)
	}
	// Most kernels take their parameters in float32: beyond its range a
	// parameter becomes ±Inf there, and below its normal numbers one over
	// it does (and 0·Inf is NaN).
	if a := math.Abs(v); a > math.MaxFloat32 || a < minNormal32 && (a != 0 || p.NonZero) {
		zero := "0 or a magnitude"
		if p.NonZero {
			zero = "a non-zero magnitude"
		}
		return fmt.Errorf("parameter %s=%q: want %s from 1.2e-38 to 3.4e38 (float32's normal numbers, in which the engine computes)", p.Name, value, zero)
	}
	return nil
}

// minNormal32 is float32's least normal number, 2^−126.
const minNormal32 = 0x1p-126

func validParams(info Info) string {
	if len(info.Params) == 0 {
		return "it takes no parameters"
	}
	names := make([]string, len(info.Params))
	for i, p := range info.Params {
		names[i] = fmt.Sprintf("%s (default %s)", p.Name, p.Default)
	}
	return "valid parameters: " + strings.Join(names, ", ")
}

func formatSpec(name string, params []paramValue) string {
	if len(params) == 0 {
		return name
	}
	parts := make([]string, len(params))
	for i, p := range params {
		parts[i] = p.name + "=" + p.value
	}
	return name + "(" + strings.Join(parts, ", ") + ")"
}
