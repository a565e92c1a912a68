/**
 * The modules of a user-mode start's path (the engine, the interpreter, the cache, the loader, guest
 * memory, the process, the syscall layer, the command line): src/cli/snapshot-warm-up.ts compiles
 * what they export while the start-up snapshot is built, without calling it. Every one is loaded
 * by the snapshot's build already. A module left out has its functions compiled on first call in
 * each process, as before; one named here that a start does not use makes the snapshot larger.
 * The modules of one target (its frontend, its user-mode target, its signal frame) are in that
 * target's snapshot set instead (snapshot-sets.ts).
 */
import * as translateEngineDispatcher from '../translate/engine/dispatcher';
import * as translateEngineEngine from '../translate/engine/engine';
import * as translateEngineRetiredBlocks from '../translate/engine/retired-blocks';
import * as translateEngineSlowStore from '../translate/engine/slow-store';
import * as translateInterpFloatOps from '../translate/interp/float-ops';
import * as translateInterpFloatValues from '../translate/interp/float-values';
import * as translateInterpGuestAccess from '../translate/interp/guest-access';
import * as translateInterpIntOps from '../translate/interp/int-ops';
import * as translateInterpInterpreter from '../translate/interp/interpreter';
import * as translateInterpSimdLanes from '../translate/interp/simd-lanes';
import * as translateInterpWindowAccess from '../translate/interp/window-access';
import * as translateCacheCacheFile from '../translate/cache/cache-file';
import * as translateCacheCacheMerge from '../translate/cache/cache-merge';
import * as translateCacheCacheStore from '../translate/cache/cache-store';
import * as translateCacheCodeCache from '../translate/cache/code-cache';
import * as translateCacheColdFile from '../translate/cache/cold-file';
import * as translateCacheIndexedFile from '../translate/cache/indexed-file';
import * as translateCachePersistent from '../translate/cache/persistent';
import * as translateCacheProfile from '../translate/cache/profile';
import * as translateCacheSealedFile from '../translate/cache/sealed-file';
import * as translateWasmAccessGroups from '../translate/wasm/access-groups';
import * as translateWasmEmitter from '../translate/wasm/emitter';
import * as translateWasmLower from '../translate/wasm/lower';
import * as translateWasmModule from '../translate/wasm/module';
import * as translateWasmOpcodes from '../translate/wasm/opcodes';
import * as translateWasmRegions from '../translate/wasm/regions';
import * as translateWasmRunOnce from '../translate/wasm/run-once';
import * as translateWasmTiers from '../translate/wasm/tiers';
import * as loaderAuxv from '../loader/auxv';
import * as loaderBrand from '../loader/brand';
import * as loaderElfImage from '../loader/elf-image';
import * as loaderElfTarget from '../loader/elf-target';
import * as loaderIndex from '../loader/index';
import * as loaderInitialStack from '../loader/initial-stack';
import * as loaderLoadElf from '../loader/load-elf';
import * as loaderLoaderError from '../loader/loader-error';
import * as loaderMapImage from '../loader/map-image';
import * as loaderTargets from '../loader/targets';
import * as memoryAddressSpace from '../memory/address-space';
import * as memoryGuestMemory from '../memory/guest-memory';
import * as memoryLayout from '../memory/layout';
import * as memoryLinuxMm from '../memory/linux-mm';
import * as memoryMappedFile from '../memory/mapped-file';
import * as memoryRegions from '../memory/regions';
import * as memoryWindowPages from '../memory/window-pages';
import * as userCanonicalPath from '../user/canonical-path';
import * as userCpuLoop from '../user/cpu-loop';
import * as userCpuModels from '../user/cpu-models';
import * as userExecInPlace from '../user/exec-in-place';
import * as userExecSignals from '../user/exec-signals';
import * as userLeave from '../user/leave';
import * as userNodeEnvironment from '../user/node-environment';
import * as userProcess from '../user/process';
import * as userReentry from '../user/reentry';
import * as userRun from '../user/run';
import * as userTarget from '../user/target';
import * as userThreadsBlocking from '../user/threads/blocking';
import * as userThreadsPreempt from '../user/threads/preempt';
import * as userThreadsScheduler from '../user/threads/scheduler';
import * as userThreadsThreadIds from '../user/threads/thread-ids';
import * as userThreadsWritePieces from '../user/threads/write-pieces';
import * as userSignalsDeliver from '../user/signals/deliver';
import * as userSignalsDispositions from '../user/signals/dispositions';
import * as userSignalsFrameTarget from '../user/signals/frame-target';
import * as userSignalsHostAlarm from '../user/signals/host-alarm';
import * as userSignalsHostForward from '../user/signals/host-forward';
import * as userSignalsInterruptPoint from '../user/signals/interrupt-point';
import * as userSignalsPending from '../user/signals/pending';
import * as userSignalsRestart from '../user/signals/restart';
import * as userSignalsSiginfo from '../user/signals/siginfo';
import * as userSignalsStrace from '../user/signals/strace';
import * as userSignalsTargets from '../user/signals/targets';
import * as userSignalsTimers from '../user/signals/timers';
import * as userSignalsTrampoline from '../user/signals/trampoline';
import * as syscallsAbi from '../syscalls/abi';
import * as syscallsDispatch from '../syscalls/dispatch';
import * as syscallsStructView from '../syscalls/struct-view';
import * as syscallsTypes from '../syscalls/types';
import * as syscallsLinuxDefine from '../syscalls/linux/define';
import * as syscallsLinuxDirents from '../syscalls/linux/dirents';
import * as syscallsLinuxEventFds from '../syscalls/linux/event-fds';
import * as syscallsLinuxExecReset from '../syscalls/linux/exec-reset';
import * as syscallsLinuxExec from '../syscalls/linux/exec';
import * as syscallsLinuxFdKinds from '../syscalls/linux/fd-kinds';
import * as syscallsLinuxFdTable from '../syscalls/linux/fd-table';
import * as syscallsLinuxFlags from '../syscalls/linux/flags';
import * as syscallsLinuxFork from '../syscalls/linux/fork';
import * as syscallsLinuxFsFd from '../syscalls/linux/fs-fd';
import * as syscallsLinuxFsIo from '../syscalls/linux/fs-io';
import * as syscallsLinuxFsPaths from '../syscalls/linux/fs-paths';
import * as syscallsLinuxFsStat from '../syscalls/linux/fs-stat';
import * as syscallsLinuxFsXattr from '../syscalls/linux/fs-xattr';
import * as syscallsLinuxFutex from '../syscalls/linux/futex';
import * as syscallsLinuxGuestAccess from '../syscalls/linux/guest-access';
import * as syscallsLinuxHost from '../syscalls/linux/host';
import * as syscallsLinuxIoctl from '../syscalls/linux/ioctl';
import * as syscallsLinuxIpcCommands from '../syscalls/linux/ipc-commands';
import * as syscallsLinuxLegacy from '../syscalls/linux/legacy';
import * as syscallsLinuxMm from '../syscalls/linux/mm';
import * as syscallsLinuxMount from '../syscalls/linux/mount';
import * as syscallsLinuxMsghdr from '../syscalls/linux/msghdr';
import * as syscallsLinuxPaths from '../syscalls/linux/paths';
import * as syscallsLinuxPoll from '../syscalls/linux/poll';
import * as syscallsLinuxProcFiles from '../syscalls/linux/proc-files';
import * as syscallsLinuxProcessState from '../syscalls/linux/process-state';
import * as syscallsLinuxProcess from '../syscalls/linux/process';
import * as syscallsLinuxRegistry from '../syscalls/linux/registry';
import * as syscallsLinuxRobustList from '../syscalls/linux/robust-list';
import * as syscallsLinuxRobustWait from '../syscalls/linux/robust-wait';
import * as syscallsLinuxRuntime from '../syscalls/linux/runtime';
import * as syscallsLinuxSignals from '../syscalls/linux/signals';
import * as syscallsLinuxSigpipe from '../syscalls/linux/sigpipe';
import * as syscallsLinuxSigwait from '../syscalls/linux/sigwait';
import * as syscallsLinuxSockaddr from '../syscalls/linux/sockaddr';
import * as syscallsLinuxSockets from '../syscalls/linux/sockets';
import * as syscallsLinuxSockopt from '../syscalls/linux/sockopt';
import * as syscallsLinuxStraceNames from '../syscalls/linux/strace-names';
import * as syscallsLinuxSysvIpc from '../syscalls/linux/sysv-ipc';
import * as syscallsLinuxSysvShm from '../syscalls/linux/sysv-shm';
import * as syscallsLinuxTime from '../syscalls/linux/time';
import * as syscallsLinuxWaitMask from '../syscalls/linux/wait-mask';
import * as syscallsLinuxWait from '../syscalls/linux/wait';
import * as cliUser from './user';
import * as cliQemuArgs from './qemu-args';

export const START_PATH_MODULES: readonly object[] = [
  // the engine, the interpreter, the persistent cache, wasm generation
  translateEngineDispatcher,
  translateEngineEngine,
  translateEngineRetiredBlocks,
  translateEngineSlowStore,
  translateInterpFloatOps,
  translateInterpFloatValues,
  translateInterpGuestAccess,
  translateInterpIntOps,
  translateInterpInterpreter,
  translateInterpSimdLanes,
  translateInterpWindowAccess,
  translateCacheCacheFile,
  translateCacheCacheMerge,
  translateCacheCacheStore,
  translateCacheCodeCache,
  translateCacheColdFile,
  translateCacheIndexedFile,
  translateCachePersistent,
  translateCacheProfile,
  translateCacheSealedFile,
  translateWasmAccessGroups,
  translateWasmEmitter,
  translateWasmLower,
  translateWasmModule,
  translateWasmOpcodes,
  translateWasmRegions,
  translateWasmRunOnce,
  translateWasmTiers,
  // the loader and guest memory
  loaderAuxv,
  loaderBrand,
  loaderElfImage,
  loaderElfTarget,
  loaderIndex,
  loaderInitialStack,
  loaderLoadElf,
  loaderLoaderError,
  loaderMapImage,
  loaderTargets,
  memoryAddressSpace,
  memoryGuestMemory,
  memoryLayout,
  memoryLinuxMm,
  memoryMappedFile,
  memoryRegions,
  memoryWindowPages,
  // the user-mode process, its threads and signals
  userCanonicalPath,
  userCpuLoop,
  userCpuModels,
  userExecInPlace,
  userExecSignals,
  userLeave,
  userNodeEnvironment,
  userProcess,
  userReentry,
  userRun,
  userTarget,
  userThreadsBlocking,
  userThreadsPreempt,
  userThreadsScheduler,
  userThreadsThreadIds,
  userThreadsWritePieces,
  userSignalsDeliver,
  userSignalsDispositions,
  userSignalsFrameTarget,
  userSignalsHostAlarm,
  userSignalsHostForward,
  userSignalsInterruptPoint,
  userSignalsPending,
  userSignalsRestart,
  userSignalsSiginfo,
  userSignalsStrace,
  userSignalsTargets,
  userSignalsTimers,
  userSignalsTrampoline,
  // the syscall layer
  syscallsAbi,
  syscallsDispatch,
  syscallsStructView,
  syscallsTypes,
  syscallsLinuxDefine,
  syscallsLinuxDirents,
  syscallsLinuxEventFds,
  syscallsLinuxExecReset,
  syscallsLinuxExec,
  syscallsLinuxFdKinds,
  syscallsLinuxFdTable,
  syscallsLinuxFlags,
  syscallsLinuxFork,
  syscallsLinuxFsFd,
  syscallsLinuxFsIo,
  syscallsLinuxFsPaths,
  syscallsLinuxFsStat,
  syscallsLinuxFsXattr,
  syscallsLinuxFutex,
  syscallsLinuxGuestAccess,
  syscallsLinuxHost,
  syscallsLinuxIoctl,
  syscallsLinuxIpcCommands,
  syscallsLinuxLegacy,
  syscallsLinuxMm,
  syscallsLinuxMount,
  syscallsLinuxMsghdr,
  syscallsLinuxPaths,
  syscallsLinuxPoll,
  syscallsLinuxProcFiles,
  syscallsLinuxProcessState,
  syscallsLinuxProcess,
  syscallsLinuxRegistry,
  syscallsLinuxRobustList,
  syscallsLinuxRobustWait,
  syscallsLinuxRuntime,
  syscallsLinuxSignals,
  syscallsLinuxSigpipe,
  syscallsLinuxSigwait,
  syscallsLinuxSockaddr,
  syscallsLinuxSockets,
  syscallsLinuxSockopt,
  syscallsLinuxStraceNames,
  syscallsLinuxSysvIpc,
  syscallsLinuxSysvShm,
  syscallsLinuxTime,
  syscallsLinuxWaitMask,
  syscallsLinuxWait,
  // the command line
  cliUser,
  cliQemuArgs,
];
