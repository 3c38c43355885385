package train

import (
	"fmt"
	"math"

	"github.com/wigglenn/wiggle/nn"
)

// Explosion is how many times its first batch's loss a batch's loss may
// reach before training counts as diverged. No healthy run comes near it:
// in every run of `wiggle lab` (full) that does not diverge, no batch's
// loss exceeds 2.4 times the first's, and the test suite passes with the
// guard on; runs that do diverge pass it by far (relu on the spiral at lr
// 1e6: over 100,000 times; prelu and maxout on MNIST at lr 0.1 with
// momentum, which wiggle lab's dying-relu reports as diverged: up to
// 2·10¹⁴). A first loss below MinFirstLoss counts as MinFirstLoss, so a
// run that starts near perfect is not stopped for a small rise.
const (
	Explosion    = 1000
	MinFirstLoss = 1e-2
)

// DivergedError is the error of Fit and Epoch when training diverges: a
// batch's loss is not a finite number, or it exceeds Explosion times the
// first batch's, or the weights are not finite at the end of an epoch.
// Nothing has been saved then; the network holds the weights that failed.
type DivergedError struct {
	Epoch     int     // from 1 (0 when an Epoch call of one's own diverged)
	Batch     int     // from 1; 0 when the weights were found non-finite after the epoch
	Batches   int     // in the epoch
	Loss      float64 // the batch's loss
	FirstLoss float64 // the first batch's loss
	Param     string  // the first parameter holding a value that is not finite ("0.weight"), or ""
	LR        float64 // the learning rate of the epoch (Fit only)

	// Cause names the option of Config, as OptionError names them, that
	// with the learning rate makes the steps grow without bound (or, for
	// L1, moves every weight by more than 1 a step), where Fit can tell;
	// "" otherwise. See unstableSetting.
	Cause      string
	CauseValue float64 // the value of the option Cause names
	CauseBelow float64 // the value below which it would not, at LR (for L1, a bound to keep well below)
	ClipNorm   float64 // the run's gradient clipping, or 0 for none (Fit only)
}

func (e *DivergedError) Error() string {
	where := fmt.Sprintf("in epoch %d, batch %d of %d", e.Epoch, e.Batch, e.Batches)
	switch {
	case e.Batch == 0:
		where = fmt.Sprintf("in epoch %d", e.Epoch)
	case e.Epoch == 0:
		where = fmt.Sprintf("in batch %d of %d", e.Batch, e.Batches)
	}
	var what string
	switch {
	case (math.IsNaN(e.Loss) || math.IsInf(e.Loss, 0)) && e.FirstLoss == 0: // no batch's loss was finite, or none was kept
		what = fmt.Sprintf("the loss is %v", e.Loss)
	case math.IsNaN(e.Loss) || math.IsInf(e.Loss, 0):
		what = fmt.Sprintf("the loss is %v (the first batch's was %s)", e.Loss, firstLossText(e.FirstLoss))
	case e.Batch == 0:
		what = "the weights are no longer finite numbers"
	default:
		what = fmt.Sprintf("the loss grew to %.4g, over %d times the first batch's %s", e.Loss, Explosion, firstLossText(e.FirstLoss))
	}
	if e.Param != "" {
		what += "; values that are not finite first appear in " + e.Param
	}
	if cause := e.causeText(); cause != "" {
		return fmt.Sprintf("training diverged %s: %s. %s", where, what, cause)
	}
	lr := "a lower learning rate"
	if e.LR > 0 {
		lr = fmt.Sprintf("a lower learning rate (now %g)", e.LR)
	}
	clip := ", clipping the gradient norm,"
	if e.ClipNorm > 0 {
		clip = fmt.Sprintf(" (clipped at %g, each step still moves the weights by up to the two's product),", e.ClipNorm)
	}
	return fmt.Sprintf("training diverged %s: %s. %s%s or another activation or initialisation usually helps",
		where, what, capitalize(lr), clip)
}

// causeText says why the option Cause names makes the steps grow, and
// what helps; "" when there is no Cause.
func (e *DivergedError) causeText() string {
	switch e.Cause {
	case "L2":
		return fmt.Sprintf("L2 %g at learning rate %g is past what the optimizer's steps can hold: the penalty alone makes the weights grow, whatever the data. It must stay below %.4g (or the learning rate lower) not to diverge; L2 usually lies between 1e-5 and 1e-2", e.CauseValue, e.LR, e.CauseBelow)
	case "L1":
		return fmt.Sprintf("L1 %g at learning rate %g moves every weight by %.4g a step, whatever the data: the weights swing about 0 by more than 1. It must stay well below %.4g (or the learning rate lower); L1 usually lies between 1e-6 and 1e-3", e.CauseValue, e.LR, e.LR*e.CauseValue, e.CauseBelow)
	case "Optimizer.WeightDecay":
		return fmt.Sprintf("The weight decay %g with learning rate %g makes each step multiply the weights by %g. It must stay below %.4g (or the learning rate lower) not to diverge, and below %.4g for the weights to keep their sign; weight decay usually lies between 0.01 and 0.1", e.CauseValue, e.LR, 1-e.LR*e.CauseValue, e.CauseBelow, e.CauseBelow/2)
	case "Schedule.Gamma":
		return fmt.Sprintf("The schedule's gamma %g has raised the learning rate to %.4g; a gamma below 1 (or a lower learning rate) helps", e.CauseValue, e.LR)
	}
	return ""
}

// unstableSetting names the option of cfg (with its value, and the value
// below which it would not) that with the learning rate lr makes the steps
// grow without bound, or returns "":
//
//   - Schedule.Gamma when the schedule has raised lr above Optimizer.LR;
//   - Optimizer.WeightDecay (adamw) when lr·decay > 2: each step multiplies
//     the weights by 1 − lr·decay, below −1;
//   - L2 with sgd, momentum or nesterov, and no clipping, when lr·L2
//     passes the bound past which gradient descent on the penalty ½·L2·w²
//     alone diverges: 2 for sgd, 2(1+μ) with momentum μ, 2(1+μ)/(1+2μ) for
//     nesterov. Adam, RMSProp and Adagrad scale their steps by the
//     gradient's size, and clipping caps them, so a large L2 does not by
//     itself make those grow;
//   - L1 with sgd, momentum or nesterov, and no clipping, when lr·L1 > 1:
//     its penalty moves every weight by lr·L1 a step whatever the data, so
//     the weights swing by more than 1 about 0.
func unstableSetting(cfg Config, lr float64) (option string, value, below float64) {
	opt := cfg.Optimizer.Effective()
	if lr > opt.LR {
		return "Schedule.Gamma", cfg.Schedule.Gamma, 1
	}
	if opt.Name == "adamw" && lr*opt.WeightDecay > 2 {
		return "Optimizer.WeightDecay", opt.WeightDecay, 2 / lr
	}
	mu := opt.Momentum
	bound := map[string]float64{"sgd": 2, "momentum": 2 * (1 + mu), "nesterov": 2 * (1 + mu) / (1 + 2*mu)}
	if b, ok := bound[opt.Name]; ok && cfg.ClipNorm <= 0 && lr*cfg.L2 > b {
		return "L2", cfg.L2, b / lr
	}
	if _, ok := bound[opt.Name]; ok && cfg.ClipNorm <= 0 && lr*cfg.L1 > 1 {
		return "L1", cfg.L1, 1 / lr
	}
	return "", 0, 0
}

// firstLossText writes the guard's yardstick: the first batch's loss, and
// MinFirstLoss where it counts in its place. A first loss of 0 (weights
// so large that the first batch was classified with certainty) is kept
// as the smallest float64 above it, and written as 0.
func firstLossText(first float64) string {
	if first <= math.SmallestNonzeroFloat64 {
		first = 0
	}
	if first < MinFirstLoss {
		return fmt.Sprintf("%.4g (counted as %g)", first, MinFirstLoss)
	}
	return fmt.Sprintf("%.4g", first)
}

func capitalize(s string) string { return string(s[0]-'a'+'A') + s[1:] }

// ResetGuard makes the next batch's loss the divergence guard's yardstick,
// as the first batch's is: for weights changed by hand between steps,
// whose loss may start far from where training did.
func (t *Trainer) ResetGuard() { t.firstLoss = 0 }

// diverging is the guard: it reports whether a batch's loss is not finite
// or exceeds Explosion times the first batch's (which the first call
// records). The step makes no update then, and the epoch stops with a
// *DivergedError.
func (t *Trainer) diverging(l float64) bool {
	finite := !math.IsNaN(l) && !math.IsInf(l, 0)
	if t.firstLoss == 0 && finite {
		t.firstLoss = max(l, math.SmallestNonzeroFloat64)
	}
	return !finite || l > Explosion*max(t.firstLoss, MinFirstLoss)
}

// firstNonFinite names the first parameter, in state_dict order, holding a
// value that is not finite; "" if none does.
func firstNonFinite(net *nn.Sequential) string {
	if p, _ := net.NonFinite(); p != nil {
		return p.Name
	}
	return ""
}
