/** Real Debian ppc64el programs from a .deb sysroot (the suite and its oracles: test/lib/debian-sysroot.ts). */
import { debianSysrootSuite } from '../lib/debian-sysroot';

debianSysrootSuite({ debArch: 'ppc64el', emulator: 'tsemu-ppc64le', qemu: 'qemu-ppc64le', luajit: false, triplet: 'powerpc64le-linux-gnu' });
