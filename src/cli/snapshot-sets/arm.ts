/** The arm snapshot's own modules and tables (snapshot-set.ts). */
import { armFrontend } from '../../translate/arm/frontend';
import { ARMV8_TABLES } from '../../translate/arm/insns';
import * as userArm from '../../user/arm';
import * as userArmKuser from '../../user/arm-kuser';
import * as userSignalsArmFrame from '../../user/signals/arm-frame';
import type { SnapshotSet } from './snapshot-set';

export const SET: SnapshotSet = {
  modules: [userArm, userArmKuser, userSignalsArmFrame],
  warmUps: [
    { frontend: armFrontend, table: ARMV8_TABLES.a32, pcBit: 0, width: 32 },
    { frontend: armFrontend, table: ARMV8_TABLES.a32Unconditional, pcBit: 0, width: 32 },
    { frontend: armFrontend, table: ARMV8_TABLES.t16, pcBit: 1, width: 16 },
    { frontend: armFrontend, table: ARMV8_TABLES.t32, pcBit: 1, width: 32 },
  ],
};
