module github.com/wigglenn/wiggle/bench/ortgo

go 1.26.0

require github.com/wigglenn/wiggle v0.0.0

require (
	github.com/yalue/onnxruntime_go v1.27.0
	golang.org/x/sys v0.50.0 // indirect
	google.golang.org/protobuf v1.36.12 // indirect
)

replace github.com/wigglenn/wiggle => ../..
