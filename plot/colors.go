package plot

// The colours of wiggle's figures: each activation's, the others', and
// shades of one.

import (
	"image/color"
	"slices"
	"strings"

	"github.com/wigglenn/wiggle/act"
)

// activationColors gives the common activations fixed colours, so that a
// reader learns them once; the rest of the catalogue takes the palette.
var activationColors = map[string]color.RGBA{
	"relu":       {31, 119, 180, 255}, // blue
	"tanh":       {44, 160, 44, 255},  // green
	"sigmoid":    {214, 39, 40, 255},  // red
	"leaky_relu": {148, 103, 189, 255},
	"gelu":       {255, 127, 14, 255},
	"mish":       {140, 86, 75, 255},
	"silu":       {227, 119, 194, 255},
	"elu":        {23, 190, 207, 255},
	"softplus":   {188, 189, 34, 255},
	"prelu":      {127, 127, 127, 255},
	"maxout":     {30, 30, 30, 255},
	"identity":   {170, 170, 170, 255},
	"step":       {120, 60, 0, 255},
}

// ActivationColor is the colour of an activation in every wiggle figure
// (relu blue, tanh green, sigmoid red, ...). ok is false for a name that
// is not an activation's.
func ActivationColor(name string) (c color.RGBA, ok bool) {
	if c, ok := activationColors[name]; ok {
		return c, true
	}
	if i := slices.Index(act.Names(), name); i >= 0 { // the rest of the catalogue, by its order
		return palette[i%len(palette)], true
	}
	return color.RGBA{}, false
}

// seriesColor is an activation's colour for a series named after one (its
// whole name or its first word: "relu, 4 layers"), else the k-th of
// otherColors.
func seriesColor(name string, k int) color.RGBA {
	first, _, _ := strings.Cut(strings.TrimSpace(name), " ")
	for _, n := range []string{name, strings.TrimRight(first, ",:;")} {
		if c, ok := ActivationColor(n); ok {
			return c
		}
	}
	return otherColors[k%len(otherColors)]
}

// otherColors are for series that are not activations: dark, and apart
// from the activations' hues.
var otherColors = []color.RGBA{{60, 60, 60, 255}, {100, 100, 170, 255}, {170, 120, 50, 255}, {50, 130, 120, 255}}

// Shades returns n shades of an activation's colour, from light to dark:
// for several series of one activation (widths, depths).
func Shades(name string, n int) []color.Color {
	base := seriesColor(name, 0)
	out := make([]color.Color, max(n, 0)) // none for n < 1
	// From 70% of the way to white down to 55% of the way to black for
	// five shades or more, which so stay apart; fewer span less of it
	// (two from 35% to white to 27% to black), so that the lightest
	// still shows on white, as on a projector.
	k := min(1, 0.5+float64(n-2)/6)
	for i := range out {
		t := k * (0.7 - 1.25*float64(i)/float64(max(n-1, 1)))
		mix := func(c uint8) uint8 {
			if t > 0 {
				return uint8(float64(c) + t*(255-float64(c)))
			}
			return uint8(float64(c) * (1 + t))
		}
		out[i] = color.RGBA{mix(base.R), mix(base.G), mix(base.B), 255}
	}
	return out
}
