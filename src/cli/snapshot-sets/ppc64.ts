/** The ppc64 snapshot's own modules and tables (snapshot-set.ts), for ppc64 and ppc64le. */
import * as syscallsAbiPpc64 from '../../syscalls/abi/ppc64';
import { ppc64Frontend } from '../../translate/ppc64/frontend';
import { PPC_TABLE } from '../../translate/ppc64/insns';
import * as userPpc64 from '../../user/ppc64';
import * as userSignalsPpc64Frame from '../../user/signals/ppc64-frame';
import type { SnapshotSet } from './snapshot-set';

export const SET: SnapshotSet = {
  modules: [userPpc64, syscallsAbiPpc64, userSignalsPpc64Frame],
  warmUps: [{ frontend: ppc64Frontend, table: PPC_TABLE, pcBit: 0, width: 32 }],
};
