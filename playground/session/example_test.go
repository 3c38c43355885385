package session_test

import (
	"fmt"

	"github.com/wigglenn/wiggle/playground/session"
)

// A run of the playground without the page: the plane regression set
// and a network without hidden layers, which fits a plane exactly; its
// predictions over a 3×3 grid of the plane, as the page draws them.
func Example() {
	cfg := session.Default()
	cfg.Dataset, cfg.Loss, cfg.Hidden = "plane", "mse", nil
	s, err := session.New(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	var st session.Stats
	for range 100 {
		if st, err = s.Epoch(); err != nil {
			fmt.Println(err)
			return
		}
	}
	r := s.Regions(3)
	fmt.Printf("epoch %d, regression %v, loss near the noise's 0.0025: %v\n", st.Epoch, st.Regression, st.TrainLoss < 0.004)
	fmt.Printf("%d predictions, rising to the top right: %v\n", len(r.Value), r.Value[2] > r.Value[0] && r.Value[0] > r.Value[6])
	// Output:
	// epoch 100, regression true, loss near the noise's 0.0025: true
	// 9 predictions, rising to the top right: true
}
