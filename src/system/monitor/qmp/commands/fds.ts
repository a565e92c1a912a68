/** Named descriptors: getfd (the descriptor arrives with SCM_RIGHTS on the same message) and closefd. */
import { QmpError } from '../errors';
import type { QmpCommand } from '../command';
import { EMPTY, required } from '../schema';

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
];
