/** Named descriptors: getfd (the descriptor arrives with SCM_RIGHTS on the same message) and closefd; query-fdsets (-add-fd's sets). */
import { fdSets } from '../../../fd-sets';
import { QmpError } from '../errors';
import type { QmpCommand } from '../command';
import { EMPTY, obj, optional, required } from '../schema';

export const FD_COMMANDS: QmpCommand[] = [
  {
    name: 'getfd',
    params: { fdname: required('str') },
    returns: EMPTY,
    run: (ctx, args) => {
      const fd = ctx.takeReceivedFd();
      if (fd === undefined) throw QmpError.generic('No file descriptor supplied via SCM_RIGHTS');
      ctx.fds.put(args['fdname'] as string, fd);
      return {};
    },
  },
  {
    name: 'closefd',
    params: { fdname: required('str') },
    returns: EMPTY,
    run: (ctx, args) => (ctx.fds.close(args['fdname'] as string), {}),
  },
  {
    name: 'query-fdsets',
    params: {},
    returns: {
      array: obj({
        'fdset-id': required('int'),
        fds: required({ array: obj({ fd: required('int'), opaque: optional('str') }) }),
      }),
    },
    run: () =>
      fdSets().map(({ id, entries }) => ({
        'fdset-id': id,
        fds: entries.map(({ fd, opaque }) => ({ fd, ...(opaque !== undefined && { opaque }) })),
      })),
  },
];
