/**
 * Starting a user-mode guest: resolve the program, build its process image, and run the CPU loop
 * until it exits; then leave the way the guest did (same exit status, or death by the same signal).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AddressSpace } from '../memory/address-space';
import { GuestMemory } from '../memory/guest-memory';
import { LOOKUP_BASE, STATE_BASE, YIELD_REQUEST } from '../memory/layout';
import { elfBrand, LoaderError, loadElf, readElfImage, type ElfImage, type LoadedProgram } from '../loader';
import { INHERITED_FDS_VARIABLE } from '../syscalls/linux/fd-table';
import { nameThread } from '../syscalls/linux/process-name';
import { programName } from '../syscalls/linux/process-state';
import { GuestExit } from '../syscalls/types';
import { Engine } from '../translate/engine/engine';
import { openPersistentCache } from '../translate/cache/persistent';
import { addressFilter, type AddressFilter } from '../log/address-filter';
import { dumpPages } from '../log/page-dump';
import { formatStats } from '../log/stats';
import { canonicalPath } from './canonical-path';
import { childCompiles, forkedChildReports, reportCompiled } from './child-compiles';
import { cpuLoop } from './cpu-loop';
import { imageReplacer } from './exec-in-place';
import { EXEC_SIGNALS_VARIABLE, takeExecSignals } from './exec-signals';
import { guestName } from './node-environment';
import { resetHostSignals } from './signals/host-forward';
import { chooseAbi, type GuestAbiName, type UserTargetSet } from './freebsd';
import { findUserCpuModel, type UserCpuModel } from './cpu-models';
import { atGuestExit, beforeGuestExec, leaveWithSignal, leaveWithStatus } from './leave';
import type { GuestProcess } from './process';
import { guestRandomSource } from './guest-random';

export interface UserRunOptions {
  program: string;
  args: string[];
  argv0?: string;
  ldPrefix?: string;
  cpu?: string;
  unameRelease?: string;
  stackSize?: number;
  setEnv: string[];
  unsetEnv: string[];
  strace: boolean;
  /** -perfmap: V8's /tmp/perf-<pid>.map names generated code by guest pc (reentry.ts ensurePerfMap restarts Node for it). */
  perfMap: boolean;
  logItems: Set<string>;
  logFile?: string;
  log?: (line: string) => void;
  oneInsnPerTb: boolean;
  gdbPort?: string;
  /** -dfilter ranges (qemu syntax). */
  logFilter?: string;
  /** -abi: the guest OS ABI (default: the ELF brand). */
  abi?: GuestAbiName;
  /** -seed: AT_RANDOM's bytes drawn as qemu-user draws them with this seed. */
  seed?: bigint;
}

/* eslint-disable @typescript-eslint/no-require-imports */
// Required on demand: loading every target's frontend, the log formatters (with each ISA's
// disassembler) and the gdb stub would cost a hello world's start-up a third of its time.
const USER_TARGETS: Record<string, () => UserTargetSet> = {
  aarch64: () => ({
    user: (require('./aarch64') as typeof import('./aarch64')).aarch64Target,
    loader: (require('../loader') as typeof import('../loader')).LOADER_TARGETS.aarch64,
    abi: (require('../syscalls/abi/aarch64') as typeof import('../syscalls/abi/aarch64')).aarch64Abi,
  }),
  arm: () => ({
    user: (require('./arm') as typeof import('./arm')).armTarget,
    loader: (require('../loader') as typeof import('../loader')).ARM_LOADER_TARGET,
    abi: (require('./arm') as typeof import('./arm')).armUserAbi,
  }),
  ppc64: () => ({
    user: (require('./ppc64') as typeof import('./ppc64')).ppc64Target,
    loader: (require('../loader') as typeof import('../loader')).LOADER_TARGETS.ppc64,
    abi: (require('../syscalls/abi/ppc64') as typeof import('../syscalls/abi/ppc64')).ppc64Abi,
  }),
  ppc64le: () => ({
    user: (require('./ppc64') as typeof import('./ppc64')).ppc64leTarget,
    loader: (require('../loader') as typeof import('../loader')).LOADER_TARGETS.ppc64le,
    abi: (require('../syscalls/abi/ppc64') as typeof import('../syscalls/abi/ppc64')).ppc64leAbi,
  }),
};
const logs = (): typeof import('../log/user-logs') => require('../log/user-logs') as typeof import('../log/user-logs');
const gdbSession = (): typeof import('../gdbstub/user-session') =>
  require('../gdbstub/user-session') as typeof import('../gdbstub/user-session');
/* eslint-enable @typescript-eslint/no-require-imports */

/** Log items that want to see every translation happen, so they run without the persistent cache. */
const TRANSLATION_LOGS = ['in_asm', 'op', 'out_asm', 'exec', 'cpu'];

/** Finds the program the way execvp would: a name without a slash is searched in PATH. */
function resolveProgram(name: string): string {
  if (name.includes('/')) return canonicalPath(path.resolve(name));
  for (const dir of (process.env['PATH'] ?? '').split(':')) {
    const candidate = path.resolve(dir || '.', name);
    if (fs.existsSync(candidate)) return canonicalPath(candidate);
  }
  return path.resolve(name);
}

/** The guest environment: the host's (Node's own variables under their names again), edited by -E/-U. */
function guestEnvironment(options: UserRunOptions): string[] {
  const env = new Map<string, string>();
  for (const [k, v] of Object.entries(process.env)) {
    const name = guestName(k);
    if (name !== undefined && v !== undefined) env.set(name, v);
  }
  for (const assignment of options.setEnv) {
    const eq = assignment.indexOf('=');
    if (eq > 0) env.set(assignment.slice(0, eq), assignment.slice(eq + 1));
  }
  for (const name of options.unsetEnv) env.delete(name);
  env.delete(INHERITED_FDS_VARIABLE);
  env.delete(EXEC_SIGNALS_VARIABLE);
  return [...env].map(([k, v]) => `${k}=${v}`);
}

/** The target as CPU `model` (validated by the command line) decides: its decoder, AT_HWCAP and AT_HWCAP2. */
function withCpuModel(target: UserTargetSet, model: UserCpuModel | undefined): UserTargetSet {
  if (!model) return target;
  return {
    ...target,
    user: model.frontend ? { ...target.user, frontend: model.frontend() } : target.user,
    loader: {
      ...target.loader,
      hwcap: model.hwcap ? model.hwcap(target.loader.hwcap) : target.loader.hwcap,
      hwcap2: model.hwcap2 ? model.hwcap2(target.loader.hwcap2) : target.loader.hwcap2,
    },
  };
}

export function runUserProgram(arch: string, options: UserRunOptions): never {
  const linuxTarget = USER_TARGETS[arch]?.();
  if (!linuxTarget) throw new Error(`unknown target ${arch}`);
  // Logs go through fs.writeSync: process.stderr would switch a pipe on fd 2 to O_NONBLOCK under the guest.
  const log = options.log ?? logToStderr;
  const exePath = resolveProgram(options.program);
  const model = findUserCpuModel(arch, options.cpu);
  const target = withCpuModel(chooseAbi(arch, linuxTarget, exePath, options.abi), model);
  let logFilter: AddressFilter;
  try {
    logFilter = addressFilter(options.logFilter);
  } catch (e) {
    fs.writeSync(2, `tsemu-${arch}: ${(e as Error).message}\n`);
    leaveWithStatus(1);
  }
  try {
    const image = readElfImage(exePath, target.loader);
    const memory = new GuestMemory(image.littleEndian);
    const space = new AddressSpace(memory);
    const argv = [options.argv0 ?? options.program, ...options.args];
    const envp = guestEnvironment(options);
    const interpreterPath = (guestPath: string): string => {
      const prefixed = options.ldPrefix ? path.join(options.ldPrefix, guestPath) : undefined;
      return prefixed && fs.existsSync(prefixed) ? prefixed : guestPath;
    };
    const randomBytes = guestRandomSource(options.seed);
    const load = (elf: ElfImage, args: readonly string[], env: readonly string[], execfn: string): LoadedProgram =>
      loadElf(space, elf, {
        target: target.loader,
        argv: args,
        envp: env,
        execfn,
        random: randomBytes(16),
        ...(options.stackSize !== undefined ? { stackSize: options.stackSize } : {}),
        resolveInterpreter: interpreterPath,
      });
    const loaded = load(image, argv, envp, options.program);
    target.user.prepareAddressSpace?.(space);
    const gdb =
      options.gdbPort !== undefined ? gdbSession().UserDebugSession.waitForGdb(arch, Number(options.gdbPort)) : undefined;
    const maxInsns = options.oneInsnPerTb ? 1 : 512;
    const seesTranslations = gdb !== undefined || TRANSLATION_LOGS.some((item) => options.logItems.has(item));
    // Modules with names (-perfmap) are other bytes: cached apart.
    const codeOptions = `maxInsns=${maxInsns} cpu=${options.cpu ?? ''}${options.perfMap ? ' names' : ''}`;
    const persistent = seesTranslations
      ? undefined
      : openPersistentCache(
          process.env,
          target.user.frontend.name,
          (addr) => space.regionAt(addr),
          codeOptions,
          exePath,
        );
    const engine = new Engine(target.user.frontend, memory, target.user.endian, {
      maxInsns,
      lookupBase: LOOKUP_BASE,
      yieldWord: YIELD_REQUEST,
      forks: true,
      topByteIgnored: target.user.topByteIgnored === true,
      ...(persistent ? { cache: persistent.cache } : {}),
      retainCold: !seesTranslations,
      ...(options.perfMap ? { nameCode: true } : {}),
      ...(options.logItems.size > 0
        ? logs().engineLogHooks({
            items: options.logItems,
            log,
            filter: logFilter,
            frontend: target.user.frontend.name,
            memory,
            stateBase: STATE_BASE,
          })
        : {}),
      ...(gdb ? { pollInterrupt: gdb.pollInterrupt } : {}),
    });
    space.onCodeChange = (start, length) => engine.invalidate(start, length);
    space.onClear = () => engine.flushAll();
    const proc: GuestProcess = {
      memory,
      space,
      abi: target.abi,
      target: target.user,
      options: {
        ...(options.ldPrefix !== undefined ? { ldPrefix: options.ldPrefix } : {}),
        ...(options.cpu !== undefined ? { cpu: options.cpu } : {}),
        ...(options.unameRelease !== undefined ? { unameRelease: options.unameRelease } : {}),
        strace: options.strace || options.logItems.has('strace'),
        logItems: options.logItems,
        log,
        oneInsnPerTb: options.oneInsnPerTb,
        hwcap: target.loader.hwcap,
        hwcap2: target.loader.hwcap2,
        ...(model?.identity ? { cpuIdentity: model.identity() } : {}),
      },
      exePath,
      argv,
      envp,
      stateBase: STATE_BASE,
      invalidateCode: (start, length) => engine.invalidate(start, length),
      ...(persistent && {
        atFork: {
          before: () => engine.prepareCached(childCompiles()),
          inChild: () => {
            forkedChildReports();
            persistent.forgetUnsaved();
          },
        },
      }),
    };
    persistent?.cache.onCompiled(reportCompiled);
    target.user.initState(memory.view, STATE_BASE, loaded.entry, loaded.sp, loaded.entryBias);
    nameThread(proc, programName(options.program));
    resetHostSignals();
    takeExecSignals(proc);
    // A forked child leaves what was unsaved at the fork to its parent and saves what it adds itself,
    // before an exec too: a shell's child runs code between fork and exec that turns hot in every
    // child and never in the parent (its parent compiles it from there, child-compiles.ts).
    const saveCache = (): void => {
      try {
        persistent?.save();
      } catch {
        // The cache only saves time: failing to extend it must not change how the guest ends.
      }
    };
    if (persistent) {
      // The save runs when a run is at its largest: the guest's memory is no longer needed by then.
      atGuestExit(() => {
        space.releaseMemory();
        saveCache();
      });
      beforeGuestExec(saveCache);
    }
    if (!gdb) {
      const brand = options.abi ?? elfBrand(exePath);
      proc.replaceImage = imageReplacer(proc, {
        target,
        sameAbi: (program) => (options.abi ?? elfBrand(program)) === brand,
        interpreterPath,
        load,
        programChanged: (program) => {
          saveCache();
          persistent?.switchProgram(program);
        },
      });
    }
    if (options.logItems.has('stats')) {
      const started = performance.now();
      atGuestExit(() => log(formatStats(engine.stats, performance.now() - started)));
    }
    if (options.logItems.has('page')) log(dumpPages(space.regions()));
    if (gdb) {
      gdb.run(proc, target.user, engine, {
        auxv: loaded.auxv,
        wordSize: target.loader.elfClass === 64 ? 8 : 4,
        littleEndian: image.littleEndian,
      });
    }
    cpuLoop(proc, target.user, engine);
  } catch (e) {
    if (e instanceof GuestExit) exitLike(arch, e);
    if (e instanceof LoaderError) {
      fs.writeSync(2, `tsemu-${arch}: ${e.path}: ${e.message}\n`);
      leaveWithStatus(e.status);
    }
    // A bug in tsemu: reported, and the process ends without Node's exit path (see leave.ts).
    fs.writeSync(2, `tsemu-${arch}: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    leaveWithStatus(1);
  }
}

/**
 * Writes a log line (-strace, -d) to descriptor 2. The guest may have closed it (coreutils and xz
 * close stderr as they exit): the line is then lost, as qemu's is. Letting the error through made
 * -strace and -d stats end such a program in Node's exit path, which a forked child cannot take
 * (it crashed with SIGSEGV).
 */
function logToStderr(line: string): void {
  try {
    fs.writeSync(2, line + '\n');
  } catch {
    // Descriptor 2 is closed or not writable: nothing to report it on.
  }
}

const SIGNAL_DESCRIPTIONS: Record<number, string> = {
  [os.constants.signals.SIGILL]: 'Illegal instruction',
  [os.constants.signals.SIGTRAP]: 'Trace/breakpoint trap',
  [os.constants.signals.SIGABRT]: 'Aborted',
  [os.constants.signals.SIGBUS]: 'Bus error',
  [os.constants.signals.SIGFPE]: 'Floating point exception',
  [os.constants.signals.SIGSEGV]: 'Segmentation fault',
};

/** Leaves the process as the guest left it: its exit status, or killed by its signal (as qemu does). */
function exitLike(arch: string, exit: GuestExit): never {
  if (exit.signal) {
    const description = SIGNAL_DESCRIPTIONS[exit.signal];
    if (description) {
      try {
        fs.writeSync(2, `tsemu-${arch}: uncaught target signal ${exit.signal} (${description}) - core dumped\n`);
      } catch {
        // The guest may have closed or replaced descriptor 2; the report is lost, the signal is not.
      }
    }
    leaveWithSignal(exit.signal);
  }
  leaveWithStatus(exit.status);
}
