/** The arm snapshot's own modules and tables (snapshot-set.ts). */
import { armFrontend } from '../../translate/arm/frontend';
import { A32_TABLE, A32_UNCONDITIONAL_TABLE, T16_TABLE, T32_TABLE } from '../../translate/arm/insns';
import * as userArm from '../../user/arm';
import * as userArmKuser from '../../user/arm-kuser';
import * as userSignalsArmFrame from '../../user/signals/arm-frame';
import type { SnapshotSet } from './snapshot-set';

export const SET: SnapshotSet = {
  modules: [userArm, userArmKuser, userSignalsArmFrame],
  warmUps: [
    { frontend: armFrontend, table: A32_TABLE, pcBit: 0, width: 32 },
    { frontend: armFrontend, table: A32_UNCONDITIONAL_TABLE, pcBit: 0, width: 32 },
    { frontend: armFrontend, table: T16_TABLE, pcBit: 1, width: 16 },
    { frontend: armFrontend, table: T32_TABLE, pcBit: 1, width: 32 },
  ],
};
