// A goroutine that loops without calls can only be stopped by Go's asynchronous preemption: the
// sysmon thread sends its thread SIGURG, and the handler makes the interrupted code call
// runtime.asyncPreempt. With one P, the sleeping main goroutine runs again only when the spinner
// is preempted, and runtime.GC's stop-the-world needs it stopped at an async safe point. Output
// goes through the runtime's own print (stderr), so the program links nothing but the runtime.
package main

import (
	"runtime"
	"sync/atomic"
	"time"
)

func spin(stop *atomic.Bool, laps *atomic.Uint64, done chan<- struct{}) {
	for !stop.Load() {
		laps.Add(1)
	}
	close(done)
}

func main() {
	runtime.GOMAXPROCS(1)
	var stop atomic.Bool
	var laps atomic.Uint64
	done := make(chan struct{})
	go spin(&stop, &laps, done)
	for laps.Load() == 0 {
		runtime.Gosched()
	}
	time.Sleep(5 * time.Millisecond)
	println("main ran beside the spinner")
	runtime.GC()
	println("stop-the-world GC done")
	stop.Store(true)
	<-done
	println("spinner stopped; laps counted:", laps.Load() > 0)
}
