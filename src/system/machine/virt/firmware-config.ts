/**
 * What virt's fw_cfg holds (QEMU 7.2's hw/arm/virt.c, hw/arm/boot.c and fw_cfg.c facts): the
 * device's own items (no UUID, the -nographic flag, no boot menu), the CPU count, the SMBIOS
 * tables, the boot order (the firmware paths of the devices given a bootindex), an empty disk
 * geometry list, the boot-fail wait (none: -1), and with
 * -bios -kernel the kernel, initrd and command line for the firmware to load: the files as they
 * are (an AArch64 CPU's firmware decompresses a gzip kernel itself), the command line with its
 * NUL. QEMU's ACPI tables (etc/acpi/*, etc/table-loader, etc/tpm/log) are absent: tsemu builds
 * none, so it matches QEMU run with `-M virt,acpi=off`.
 */
import fs from 'node:fs';
import { smbiosTables } from '../../devices/fw-cfg-smbios';
import { FW_CFG_KEY, FwCfg, fwCfgU16, fwCfgU32 } from '../../devices/fw-cfg';
import type { GuestRam } from '../../devices/virtio/guest-ram';
import { MachineError, type SmpTopology } from '../machine';

export interface FirmwareConfigOptions {
  ramSize: number;
  smp: SmpTopology;
  /** The machine's versioned name (SMBIOS). */
  version: string;
  nographic: boolean;
  /** The firmware paths of the bootable devices, first to try first. */
  bootOrder: readonly string[];
  /** -kernel, -initrd and -append, given with -bios. */
  kernel?: string;
  initrd?: string;
  append?: string;
}

function readImage(path: string): Buffer {
  try {
    return fs.readFileSync(path);
  } catch {
    throw new MachineError(`failed to load "${path}"`);
  }
}

export function virtFwCfg(ram: GuestRam, o: FirmwareConfigOptions): FwCfg {
  const fwCfg = new FwCfg(ram);
  fwCfg.setItem(FW_CFG_KEY.uuid, new Uint8Array(16));
  fwCfg.setItem(FW_CFG_KEY.nographic, fwCfgU16(o.nographic ? 1 : 0));
  fwCfg.setItem(FW_CFG_KEY.bootMenu, fwCfgU16(0));
  fwCfg.setItem(FW_CFG_KEY.nbCpus, fwCfgU16(o.smp.cpus));
  fwCfg.setFile('etc/boot-fail-wait', fwCfgU32(-1));
  const smbios = smbiosTables(o);
  fwCfg.setFile('etc/smbios/smbios-tables', smbios.tables);
  fwCfg.setFile('etc/smbios/smbios-anchor', smbios.anchor);
  // QEMU's list: one path a line, NUL-terminated; nothing at all without a bootable device.
  fwCfg.setFile('bootorder', o.bootOrder.length > 0 ? Buffer.from(`${o.bootOrder.join('\n')}\0`, 'latin1') : new Uint8Array(0));
  fwCfg.setFile('bios-geometry', new Uint8Array(0));
  const image = (path: string | undefined, sizeKey: number, dataKey: number): void => {
    if (path === undefined) return;
    const data = readImage(path);
    fwCfg.setItem(sizeKey, fwCfgU32(data.length));
    fwCfg.setItem(dataKey, data);
  };
  if (o.kernel !== undefined) {
    image(o.kernel, FW_CFG_KEY.kernelSize, FW_CFG_KEY.kernelData);
    image(o.initrd, FW_CFG_KEY.initrdSize, FW_CFG_KEY.initrdData);
    if (o.append !== undefined) {
      const cmdline = Buffer.from(`${o.append}\0`, 'utf8');
      fwCfg.setItem(FW_CFG_KEY.cmdlineSize, fwCfgU32(cmdline.length));
      fwCfg.setItem(FW_CFG_KEY.cmdlineData, cmdline);
    }
  }
  return fwCfg;
}
