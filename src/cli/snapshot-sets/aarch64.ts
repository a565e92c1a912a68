/** The aarch64 snapshot's own modules and tables (snapshot-set.ts). */
import * as syscallsAbiAarch64 from '../../syscalls/abi/aarch64';
import { aarch64Frontend } from '../../translate/aarch64/frontend';
import { A64_TABLE } from '../../translate/aarch64/insns';
import * as userAarch64 from '../../user/aarch64';
import * as userSignalsAarch64Frame from '../../user/signals/aarch64-frame';
import type { SnapshotSet } from './snapshot-set';

export const SET: SnapshotSet = {
  modules: [userAarch64, syscallsAbiAarch64, userSignalsAarch64Frame],
  warmUps: [{ frontend: aarch64Frontend, table: A64_TABLE, pcBit: 0, width: 32 }],
};
