import { TRPCClientError, type TRPCLink } from '@trpc/client';
import { observable } from '@trpc/server/observable';
import type { AppRouter } from '../../../main/api/router';
import type { IpcResponse, NeurolipBridge } from '../../../shared/ipc';

/** A tRPC link over the desktop preload's message pipe (window.neurolip). */
export function ipcLink(bridge: NeurolipBridge): TRPCLink<AppRouter> {
  let nextId = 1;
  const handlers = new Map<number, (response: IpcResponse) => void>();
  bridge.onMessage((response) => handlers.get(response.id)?.(response));

  return () =>
    ({ op }) =>
      observable((observer) => {
        const id = nextId++;
        handlers.set(id, (response) => {
          if (response.kind === 'data') {
            observer.next({ result: { type: 'data', data: response.data as never } });
            if (op.type !== 'subscription') {
              handlers.delete(id);
              observer.complete();
            }
          } else if (response.kind === 'error') {
            handlers.delete(id);
            observer.error(TRPCClientError.from({ error: response.error as never }));
          } else {
            handlers.delete(id);
            observer.complete();
          }
        });
        bridge.send({ kind: 'call', id, type: op.type, path: op.path, input: op.input });
        return () => {
          if (!handlers.delete(id)) return;
          if (op.type === 'subscription') bridge.send({ kind: 'stop', id });
        };
      });
}
