/* virtio.c, then waiting for 'q' on the UART before SYSTEM_OFF: the disk it wrote stays open for
   the host to act on (the serial mux's C-a s commits a -snapshot drive). */
#define WAIT_FOR_Q
#include "virtio.c"
