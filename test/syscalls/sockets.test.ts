/**
 * Sockets on every user target against its QEMU: the sockets guest program (TCP echo over IPv4
 * loopback within one process, UDP with sender addresses, AF_UNIX SCM_RIGHTS and SCM_CREDENTIALS,
 * MSG_CTRUNC, options of several levels and value kinds, error numbers) prints the same under
 * tsemu and qemu-<target>; and a TCP echo between two guest processes (fork).
 */
import { sameAsQemuOnEveryTarget } from './user-targets';

sameAsQemuOnEveryTarget('sockets', 'sockets');

sameAsQemuOnEveryTarget('TCP echo between two guest processes', 'tcp_echo_fork');
