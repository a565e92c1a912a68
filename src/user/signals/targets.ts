/**
 * Signal frame layouts by user target name. A target without an entry keeps handler signals
 * undelivered (logged under -d unimp) until its frame is written.
 */
import { aarch64SignalFrame } from './aarch64-frame';
import { armSignalFrame } from './arm-frame';
import type { SignalFrameTarget } from './frame-target';
import { freebsdAarch64SignalFrame } from './freebsd-aarch64-frame';
import { ppc64SignalFrame } from './ppc64-frame';

const FRAME_TARGETS: Readonly<Record<string, SignalFrameTarget>> = {
  aarch64: aarch64SignalFrame,
  'aarch64-freebsd': freebsdAarch64SignalFrame,
  ppc64: ppc64SignalFrame,
  ppc64le: ppc64SignalFrame,
  arm: armSignalFrame,
};

export function signalFrameTarget(targetName: string): SignalFrameTarget | undefined {
  return FRAME_TARGETS[targetName];
}
