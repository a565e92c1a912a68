/** Real Debian arm64 programs from a .deb sysroot (the suite and its oracles: test/lib/debian-sysroot.ts). */
import { debianSysrootSuite } from '../lib/debian-sysroot';

debianSysrootSuite({ debArch: 'arm64', emulator: 'tsemu-aarch64', qemu: 'qemu-aarch64', luajit: true, triplet: 'aarch64-linux-gnu' });
