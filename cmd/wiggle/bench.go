package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/wigglenn/wiggle/internal/jsonfmt"
	"github.com/wigglenn/wiggle/perf"
)

func newBenchCmd(e env) *cobra.Command {
	var asJSON, quick, scaling, actsOnly bool
	var acts []string
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Measure the engine: GEMM, activations, MLP training, inference",
		Long: `Measure the float32 engine on this machine, each figure beside a limit of
the machine measured in the same run:

  GEMM         GFLOP/s of sgemm 1024^3 and of the shapes of a 784-256-256-10
               MLP at batch 128, on 1 and 2 threads, beside the FMA peak
               (every thread doing multiply-adds on registers alone: the
               most any product could reach)
  activations  each one's forward and backward cost per element over 1M
               inputs, beside copy() of as many floats (the memory floor)
  MLP          training samples per second (batch 128, SGD momentum), and
               the useful GFLOP/s that is (the flops a step needs: 6 per
               weight and sample, less the first layer's input gradient) as
               fractions of the roof (this run's sgemm 1024^3 on as many
               threads) and of the peak
  hand-off     the round trip of a cache line between two threads,
               measured right before the two-thread MLP: what each
               hand-off of its step costs (it changes as a host moves virtual
               CPUs: 90 ns or 500 ns on one 2-vCPU machine, and the
               two-thread MLP with it); and the engine's own measure, taken
               in that MLP, from a loop's post to the helper thread's first
               take: above 260 ns the cores count as far apart, and a
               training step split between them copies its next batch
               with stores that go around the caches
  inference    the latency of one sample through the MLP
  plain Go     sgemm 1024^3 and relu, sigmoid, tanh and gelu with every
               kernel in plain Go, as other CPUs and the WebAssembly
               playground run them

GEMM and the MLP run on 1 and 2 threads; --threads N runs them (and
--scaling) on N threads alone, without the two-thread figures (the
cache line's round trip, the hand-off).

Each figure is the median of 5 timed runs of 200 ms; an activation's, the
median of 25 single calls (as bench/torch_baseline.py times PyTorch's);
the round trip's, of 5 runs of 20 ms.
--quick makes one short run of each: a smoke test, too short for the
figures to agree with one another.

Machines are shared and noisy: compare figures from one run, or run
bench/compare.sh (in wiggle's source) to set them beside PyTorch's on the
same machine.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opt := perf.Default
			if quick {
				opt = perf.Quick
			}
			if cmd.Flags().Changed("acts") {
				var err error
				if opt.Acts, err = actsFlag(acts, "name at least one activation (see 'wiggle act list'), or leave the flag out to time them all"); err != nil {
					return err
				}
			}
			if n, _ := cmd.Flags().GetInt("threads"); n > 0 { // the root has set the engine to them
				opt.Threads = []int{n}
			}
			if actsOnly && scaling {
				return usageError{fmt.Errorf("--acts-only and --scaling: choose one (--scaling trains whole networks)")}
			}
			opt.Scaling, opt.ActsOnly = scaling, actsOnly
			opt.Context = e.ctx // Ctrl-C stops between figures
			r, err := perf.Run(opt, func(part string) { fmt.Fprintf(e.stderr, "measuring %s...\n", part) })
			if e.ctx.Err() != nil {
				return e.ctx.Err()
			}
			if err != nil { // else Run refuses only an activation it cannot parse, before it measures
				return usageError{fmt.Errorf("--acts: %w", err)}
			}
			if asJSON {
				return sysErr(jsonfmt.Write(e.stdout, r))
			}
			if actsOnly {
				err = writeActivations(e.stdout, r)
			} else {
				err = writeBench(e.stdout, r)
			}
			if err == nil && quick {
				_, err = fmt.Fprintln(e.stdout, "\na quick run (--quick): one short run of each figure, a smoke test; the figures need not agree with one another")
			}
			return sysErr(err)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON")
	cmd.Flags().BoolVar(&quick, "quick", false, "one short run of each figure (for smoke tests)")
	cmd.Flags().BoolVar(&scaling, "scaling", false, "also train MLPs of two hidden layers of 256 to 4096 units at batches 32 to 512, with the fraction of the sgemm roof each reaches (a minute or more)")
	cmd.Flags().StringArrayVar(&acts, "acts", nil, "activations to time, names or specs such as 'softplus(beta=2)', comma-separated or repeated, each once (default: all; relu and sigmoid with --quick)")
	cmd.Flags().BoolVar(&actsOnly, "acts-only", false, "time only the activations: about a second, short enough for bench/compare.sh to alternate with PyTorch's")
	return cmd
}

func writeBench(w io.Writer, r perf.Report) error {
	fmt.Fprintf(w, "engine: %s\n\n", r.CPU)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "GEMM\tthreads\tGFLOP/s\t")
	for _, g := range r.GEMM {
		fmt.Fprintf(tw, "%s\t%d\t%.1f\t\n", g.Name, g.Threads, g.GFLOPS)
	}
	tw.Flush()
	writePeak(w, r)
	fmt.Fprintln(w)
	writeActivationTable(w, r)
	fmt.Fprintln(w)
	for _, m := range r.MLP {
		useful := m.SamplesPerSec * perf.UsefulFlops(256) / 1e9
		fmt.Fprintf(w, "MLP 784-256-256-10 training, batch 128, %d thread(s): %.0f samples/s, %.1f useful GFLOP/s: %.2f of the sgemm roof%s\n",
			m.Threads, m.SamplesPerSec, useful, useful/roof(r, m.Threads), ofPeak(r, m.Threads, useful))
	}
	if r.RoundTripNS > 0 {
		fmt.Fprintf(w, "a cache line from one thread to the other and back, right before the 2-thread MLP: %.0f ns\n", r.RoundTripNS)
	}
	if r.HandoffNS > 0 {
		fmt.Fprintf(w, "the helper's hand-off in the 2-thread MLP (the engine's measure): %.0f ns, the cores %s\n", r.HandoffNS, distance(r.CoresFar))
	}
	fmt.Fprintf(w, "single-sample inference, 784-256-256-10: %.2f µs\n\n", r.InferenceNS/1000)
	if err := writePlainGo(w, r); err != nil {
		return err
	}
	return writeScaling(w, r)
}

// distance says how far apart the engine counts its cores (perf.Report's
// CoresFar).
func distance(far bool) string {
	if far {
		return "far apart (a split training step copies its next batch around the caches)"
	}
	return "close"
}

// writePeak prints the FMA peak and how near sgemm 1024³ comes to it.
func writePeak(w io.Writer, r perf.Report) {
	for _, p := range r.Peak {
		of := roof(r, p.Threads) / p.GFLOPS
		fmt.Fprintf(w, "FMA peak (multiply-adds on registers alone), %d thread(s): %.1f GFLOP/s; sgemm 1024^3 reaches %.2f of it", p.Threads, p.GFLOPS, of)
		if of > 1 {
			fmt.Fprint(w, " (more than the peak: the machine was busier while the peak was timed; measure again)")
		}
		fmt.Fprintln(w)
	}
}

// ofPeak says what fraction of the FMA peak on threads gflops is, or
// nothing when the run has no peak (plain Go kernels).
func ofPeak(r perf.Report, threads int, gflops float64) string {
	if p := peak(r, threads); p > 0 {
		return fmt.Sprintf(", %.2f of the FMA peak", gflops/p)
	}
	return ""
}

// peak is the run's FMA peak on the given threads, 0 if it has none.
func peak(r perf.Report, threads int) float64 {
	for _, p := range r.Peak {
		if p.Threads == threads {
			return p.GFLOPS
		}
	}
	return 0
}

// writeActivations prints what --acts-only measures.
func writeActivations(w io.Writer, r perf.Report) error {
	fmt.Fprintf(w, "engine: %s\n\n", r.CPU)
	return writeActivationTable(w, r)
}

// writeActivationTable prints each activation's cost per element.
func writeActivationTable(w io.Writer, r perf.Report) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "activation\tforward ns/elem\tbackward ns/elem\t")
	for _, a := range r.Activations {
		fmt.Fprintf(tw, "%s\t%.3f\t%.3f\t\n", a.Name, a.ForwardNS, a.BackwardNS)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "copy() of the same 1M floats: %.3f ns/elem, the memory floor of a forward pass\n", r.CopyNS)
	return err
}

// writeScaling prints the MLP at other sizes, each as a fraction of the
// roof: the same run's sgemm 1024³ on as many threads.
func writeScaling(w io.Writer, r perf.Report) error {
	if len(r.Scaling) == 0 {
		return nil
	}
	fmt.Fprintln(w, "\nMNIST MLP 784-h-h-10 training (relu, SGD momentum):")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "hidden\tbatch\tthreads\tsamples/s\tuseful GFLOP/s\tof the roof\tof the peak\t")
	for _, p := range r.Scaling {
		ofPeak := "-"
		if pk := peak(r, p.Threads); pk > 0 {
			ofPeak = fmt.Sprintf("%.2f", p.UsefulGFLOPS/pk)
		}
		fmt.Fprintf(tw, "%d\t%d\t%d\t%.0f\t%.1f\t%.2f\t%s\t\n", p.Hidden, p.Batch, p.Threads, p.SamplesPerSec, p.UsefulGFLOPS, p.UsefulGFLOPS/roof(r, p.Threads), ofPeak)
	}
	return tw.Flush()
}

// roof is the run's sgemm 1024³ GFLOP/s on the given threads.
func roof(r perf.Report, threads int) float64 {
	for _, g := range r.GEMM {
		if g.Name == "1024^3" && g.Threads == threads {
			return g.GFLOPS
		}
	}
	return 0
}

// writePlainGo sets the plain Go kernels beside the engine's own.
func writePlainGo(w io.Writer, r perf.Report) error {
	fmt.Fprintln(w, "plain Go (other CPUs, the WebAssembly playground), one thread:")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	if fast := roof(r, 1); fast > 0 {
		fmt.Fprintf(tw, "GEMM 1024^3\t%.1f GFLOP/s\t(the engine is %.1f× faster)\t\n", r.PlainGo.GEMMGFLOPS, fast/r.PlainGo.GEMMGFLOPS)
	}
	for _, a := range r.PlainGo.Activations {
		than := "\t" // no engine figure to set it beside (--acts left it out)
		for _, fast := range r.Activations {
			if fast.Name == a.Name {
				than = fmt.Sprintf("(the engine is %.1f× / %.1f× faster)\t", a.ForwardNS/fast.ForwardNS, a.BackwardNS/fast.BackwardNS)
			}
		}
		fmt.Fprintf(tw, "%s forward / backward\t%.3f / %.3f ns/elem\t%s\n", a.Name, a.ForwardNS, a.BackwardNS, than)
	}
	return tw.Flush()
}
