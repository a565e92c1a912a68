/**
 * Machine and target queries: query-cpus-fast, query-machines, query-current-machine,
 * query-hotpluggable-cpus, query-memdev, query-cpu-definitions, query-target, query-kvm,
 * query-gic-capabilities, query-iothreads. Values are QEMU's where tsemu has the same fact, and
 * QEMU's answer for a TCG guest where the fact is about KVM or host threads.
 */
import { MACHINES } from '../../../machine/registry';
import { SYSTEM_TARGET } from '../../../target';
import type { QmpCommand } from '../command';
import { QmpError } from '../errors';
import { obj, optional, required, type Schema } from '../schema';
import { memoryBackendObjects } from '../memory-backends';

const ARCH = { enum: [SYSTEM_TARGET.arch] };

const CPU_INSTANCE_PROPERTIES = obj(
  Object.fromEntries(['node-id', 'socket-id', 'die-id', 'cluster-id', 'core-id', 'thread-id'].map((k) => [k, optional('int')])),
);

/** A flat union on `target`, as in QEMU (where s390x adds members). */
const CPU_INFO_FAST: Schema = {
  base: {
    'cpu-index': required('int'),
    'qom-path': required('str'),
    'thread-id': required('int'),
    props: optional(CPU_INSTANCE_PROPERTIES),
    target: required(ARCH),
  },
  tag: 'target',
  variants: { [SYSTEM_TARGET.arch]: {} },
};

const MACHINE_INFO = obj({
  name: required('str'),
  alias: optional('str'),
  'is-default': optional('bool'),
  'cpu-max': required('int'),
  'hotpluggable-cpus': required('bool'),
  'numa-mem-supported': required('bool'),
  deprecated: required('bool'),
  'default-cpu-type': optional('str'),
  'default-ram-id': optional('str'),
});

const MEMDEV = obj({
  id: optional('str'),
  size: required('int'),
  merge: required('bool'),
  dump: required('bool'),
  prealloc: required('bool'),
  share: required('bool'),
  reserve: optional('bool'),
  'host-nodes': required({ array: 'int' }),
  policy: required({ enum: ['default', 'preferred', 'bind', 'interleave'] }),
});

const HOTPLUGGABLE_CPU = obj({
  type: required('str'),
  'vcpus-count': required('int'),
  props: required(CPU_INSTANCE_PROPERTIES),
  'qom-path': optional('str'),
});

const CPU_DEFINITION_INFO = obj({
  name: required('str'),
  'migration-safe': optional('bool'),
  static: required('bool'),
  'unavailable-features': optional({ array: 'str' }),
  typename: required('str'),
  'alias-of': optional('str'),
  deprecated: required('bool'),
});

const IOTHREAD_INFO = obj(
  Object.fromEntries([
    ['id', required('str')],
    ...['thread-id', 'poll-max-ns', 'poll-grow', 'poll-shrink', 'aio-max-batch'].map((k) => [k, required('int')]),
  ]),
);

const cpuType = (model: string): string => `${model}${SYSTEM_TARGET.cpuTypeSuffix}`;

export const MACHINE_COMMANDS: QmpCommand[] = [
  { name: 'query-cpus-fast', params: {}, returns: { array: CPU_INFO_FAST }, run: ({ emulator }) => emulator.machine.cpus() },
  {
    name: 'query-machines',
    params: {},
    returns: { array: MACHINE_INFO },
    run: () =>
      MACHINES.map((m) => ({
        name: m.qemuName ?? m.name,
        ...(m.qemuName !== undefined && { alias: m.name }),
        ...(m.isDefault && { 'is-default': true }),
        'cpu-max': m.cpuMax,
        'hotpluggable-cpus': false,
        'numa-mem-supported': false,
        deprecated: false,
        ...(m.defaultCpu !== undefined && { 'default-cpu-type': cpuType(m.defaultCpu) }),
        ...(m.defaultRamId !== undefined && { 'default-ram-id': m.defaultRamId }),
      })),
  },
  {
    name: 'query-current-machine',
    params: {},
    returns: obj({ 'wakeup-suspend-support': required('bool') }),
    run: () => ({ 'wakeup-suspend-support': false }),
  },
  {
    name: 'query-hotpluggable-cpus',
    params: {},
    returns: { array: HOTPLUGGABLE_CPU },
    run: () => {
      // No machine here plugs CPUs (query-machines says hotpluggable-cpus: false), as QEMU's virt.
      throw QmpError.generic("The feature 'query-hotpluggable-cpus' is not enabled");
    },
  },
  {
    name: 'query-memdev',
    params: {},
    returns: { array: MEMDEV },
    run: ({ emulator }) => memoryBackendObjects(emulator).map(({ id, backend }) => ({
      ...(id !== undefined && { id }),
      size: backend.size,
      // QEMU's memory-backend defaults for what tsemu's backends do not take.
      merge: true,
      dump: true,
      prealloc: backend.prealloc,
      share: backend.share,
      reserve: true,
      'host-nodes': [],
      policy: 'default',
    })),
  },
  {
    name: 'query-cpu-definitions',
    params: {},
    returns: { array: CPU_DEFINITION_INFO },
    run: () => SYSTEM_TARGET.cpuModels.map((name) => ({ name, typename: cpuType(name), static: false, deprecated: false })),
  },
  { name: 'query-target', params: {}, returns: obj({ arch: required(ARCH) }), run: () => ({ arch: SYSTEM_TARGET.arch }) },
  {
    name: 'query-kvm',
    params: {},
    returns: obj({ enabled: required('bool'), present: required('bool') }),
    run: () => ({ enabled: false, present: false }),
  },
  {
    name: 'query-gic-capabilities',
    params: {},
    returns: { array: obj({ version: required('int'), emulated: required('bool'), kernel: required('bool') }) },
    run: () => SYSTEM_TARGET.gicVersions.map((version) => ({ version, emulated: true, kernel: false })),
  },
  { name: 'query-iothreads', params: {}, returns: { array: IOTHREAD_INFO }, run: () => [] },
];
