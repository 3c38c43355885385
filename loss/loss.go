// Package loss holds the training objectives. Each is the mean over the
// batch, and each writes the gradient of that mean with respect to the
// network's scores (its last layer's outputs).
//
//	softmax        softmax cross-entropy over K scores (the softmax classifier)
//	logistic       sigmoid cross-entropy on one score, labels 0/1 (logistic regression)
//	hinge          the CS231n multiclass SVM: Σ_{j≠y} max(0, s_j − s_y + 1)
//	binary-hinge   max(0, 1 − t·s) on one score, t = ±1 for labels 0/1 (the binary SVM)
//	mse            mean squared error over the batch and the outputs
//
// Concurrency: the losses hold no state; any number of goroutines may use
// one at once.
package loss

import (
	"fmt"
	"strings"

	"github.com/wigglenn/wiggle/internal/kernels"
	"github.com/wigglenn/wiggle/tensor"
)

// Target is what a batch should produce: class labels for the
// classification losses, values for mse.
type Target struct {
	Labels []int          // [batch], each in [0, classes)
	Values *tensor.Matrix // [batch, outputs]
}

// Loss is one training objective.
type Loss interface {
	// Name is the name New takes.
	Name() string
	// Outputs is the network's output width for a problem of k classes (or,
	// for mse, k target columns).
	Outputs(k int) int
	// Forward returns the mean loss over the batch and sets dScores to its
	// gradient with respect to scores. It panics with a *tensor.ShapeError
	// where a matrix is nil or not whole (tensor.MustBeWhole), the shapes
	// disagree, dScores shares scores' storage (tensor.Share), or a class
	// label lies outside [0, classes) (train.Fit and Trainer check their
	// data for these first).
	//
	//	scores, dScores: [batch, Outputs(k)]
	Forward(dScores, scores *tensor.Matrix, y Target) float64
	// Classify returns the class a row of scores predicts, or −1 for a
	// regression loss.
	Classify(scores []float32) int
}

// Names lists the losses New knows.
var Names = []string{"softmax", "logistic", "hinge", "binary-hinge", "mse"}

// New returns the loss called name.
func New(name string) (Loss, error) {
	switch name {
	case "softmax":
		return Softmax{}, nil
	case "logistic":
		return Logistic{}, nil
	case "hinge":
		return Hinge{}, nil
	case "binary-hinge":
		return BinaryHinge{}, nil
	case "mse":
		return MSE{}, nil
	}
	return nil, fmt.Errorf("unknown loss %q; want one of %s", name, strings.Join(Names, ", "))
}

// Classes returns how many classes a network of this many outputs tells
// apart under l: two for the losses of one score (logistic, binary-hinge),
// else one per output; 0 for mse, which predicts values. It panics on a
// nil l.
func Classes(l Loss, outputs int) int {
	mustBeLoss("Classes", l)
	switch {
	case l.Name() == "mse":
		return 0
	case outputs == 1 && l.Outputs(2) == 1:
		return 2
	}
	return outputs
}

// CheckOutputs reports a network width that l cannot take: the losses of
// one score (logistic, binary-hinge) take one output, softmax and hinge at
// least two, mse at least one. A nil l is an error.
func CheckOutputs(l Loss, outputs int) error {
	switch {
	case l == nil:
		return fmt.Errorf("no loss; want one of %s", strings.Join(Names, ", "))
	case l.Name() != "mse" && l.Outputs(2) == 1 && l.Outputs(3) == 1 && outputs != 1:
		return fmt.Errorf("the loss %s scores one output (two classes); the network has %d", l.Name(), outputs)
	case l.Name() != "mse" && l.Outputs(2) != 1 && outputs < 2:
		return fmt.Errorf("the loss %s needs an output per class, at least two; the network has %d", l.Name(), outputs)
	case outputs < 1:
		return fmt.Errorf("a network of %d outputs", outputs)
	}
	return nil
}

// Accuracy returns the fraction of rows l classifies as their label. It
// panics with a *tensor.ShapeError where scores is nil or not whole, has
// columns l cannot take (CheckOutputs), or has rows other than labels in
// number, and with a message on a nil l.
//
//	scores: [batch, outputs]; labels: [batch]
func Accuracy(l Loss, scores *tensor.Matrix, labels []int) float64 {
	mustBeLoss("Accuracy", l)
	tensor.MustBeWhole("Accuracy", scores)
	if err := CheckOutputs(l, scores.Cols); err != nil {
		panic(&tensor.ShapeError{Op: "Accuracy", Detail: err.Error()})
	}
	if len(labels) != scores.Rows {
		panic(&tensor.ShapeError{Op: "Accuracy", Detail: fmt.Sprintf("%d labels for %d rows", len(labels), scores.Rows)})
	}
	if len(labels) == 0 {
		return 0
	}
	right := 0
	for i, y := range labels {
		if l.Classify(scores.Row(i)) == y {
			right++
		}
	}
	return float64(right) / float64(len(labels))
}

// mustBeLoss panics, naming op, on a nil l, where calling its methods
// would end in a nil dereference.
func mustBeLoss(op string, l Loss) {
	if l == nil {
		panic(fmt.Sprintf("loss: %s: a nil Loss", op))
	}
}

// Argmax returns the index of the largest value, the first on ties; a
// NaN is never the largest, but in row[0] (then 0); 0 for an empty row
// (kernels.Argmax).
func Argmax(row []float32) int { return kernels.Argmax(row) }

func checkBatch(op string, dScores, scores *tensor.Matrix, n int) {
	tensor.MustMatch(op, dScores, scores)
	mustNotShare(op, dScores, scores)
	if n != scores.Rows {
		panic(&tensor.ShapeError{Op: op, Detail: fmt.Sprintf("%d targets for %d rows", n, scores.Rows)})
	}
}

// mustNotShare panics where dScores shares scores' storage: the gradient
// would be written over the scores as they are read.
func mustNotShare(op string, dScores, scores *tensor.Matrix) {
	if tensor.Share(dScores, scores) {
		panic(&tensor.ShapeError{Op: op, Detail: "dScores and scores share storage: the gradient would be written over the scores as they are read; give dScores its own matrix"})
	}
}

// checkLabels is checkBatch for class labels, each of which must lie in
// [0, classes): a class a column of scores, or two classes of one column
// for the losses of one score (oneScore). A label outside would index past
// a row of scores, or, for the losses of one score, count as a target other
// than 0 or 1.
func checkLabels(op string, dScores, scores *tensor.Matrix, labels []int, oneScore bool) {
	checkBatch(op, dScores, scores, len(labels))
	classes := scores.Cols
	switch {
	case oneScore && scores.Cols != 1:
		panic(&tensor.ShapeError{Op: op, Detail: fmt.Sprintf("scores of %d columns; this loss takes one", scores.Cols)})
	case oneScore:
		classes = 2
	case classes == 0 && len(labels) > 0:
		panic(&tensor.ShapeError{Op: op, Detail: fmt.Sprintf("%d labels for scores of no columns", len(labels))})
	}
	for i, y := range labels {
		if y < 0 || y >= classes {
			panic(&tensor.ShapeError{Op: op, Detail: fmt.Sprintf("row %d has label %d; want 0 to %d", i, y, classes-1)})
		}
	}
}
