/** Real Debian armhf programs from a .deb sysroot (the suite and its oracles: test/lib/debian-sysroot.ts). */
import { debianSysrootSuite } from '../lib/debian-sysroot';

debianSysrootSuite({ debArch: 'armhf', emulator: 'tsemu-arm', qemu: 'qemu-arm', luajit: true, triplet: 'arm-linux-gnueabihf' });
