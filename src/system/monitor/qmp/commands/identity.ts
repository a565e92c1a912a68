/** The guest's identity from -name and -uuid: query-name, query-uuid. */
import type { QmpCommand } from '../command';
import { obj, optional, required } from '../schema';

/** QEMU's UUID when -uuid is not given. */
const NIL_UUID = '00000000-0000-0000-0000-000000000000';

export const IDENTITY_COMMANDS: QmpCommand[] = [
  {
    name: 'query-name',
    params: {},
    returns: obj({ name: optional('str') }),
    run: ({ emulator }) => {
      const { name } = emulator.guest.identity;
      return name === undefined ? {} : { name };
    },
  },
  {
    name: 'query-uuid',
    params: {},
    returns: obj({ UUID: required('str') }),
    run: ({ emulator }) => ({ UUID: emulator.guest.identity.uuid ?? NIL_UUID }),
  },
];
