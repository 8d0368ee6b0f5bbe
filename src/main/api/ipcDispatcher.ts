import { callTRPCProcedure, getErrorShape, getTRPCErrorFromUnknown } from '@trpc/server';
import type { ApiContext } from './trpc';
import type { AppRouter } from './router';
import { IpcRequest, type IpcResponse } from '../../shared/ipc';

/** One renderer on the other end of the pipe. */
export interface IpcPeer {
  readonly id: number;
  send(response: IpcResponse): void;
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/**
 * Runs tRPC calls that arrive as IPC messages. It knows nothing of Electron: the main process
 * feeds it messages from checked senders, and tests feed it from an in-memory pipe.
 */
export function createIpcDispatcher(router: AppRouter, createContext: () => ApiContext) {
  const active = new Map<string, AbortController>();
  const key = (peer: IpcPeer, id: number): string => `${peer.id}:${id}`;

  async function call(peer: IpcPeer, request: Extract<IpcRequest, { kind: 'call' }>): Promise<void> {
    const controller = new AbortController();
    active.set(key(peer, request.id), controller);
    const ctx = createContext();
    try {
      const result: unknown = await callTRPCProcedure({
        router,
        path: request.path,
        getRawInput: async () => request.input,
        ctx,
        type: request.type,
        signal: controller.signal,
        batchIndex: 0,
      });
      if (request.type === 'subscription' && isAsyncIterable(result)) {
        for await (const data of result) {
          if (controller.signal.aborted) break;
          peer.send({ kind: 'data', id: request.id, data });
        }
        peer.send({ kind: 'stopped', id: request.id });
      } else {
        peer.send({ kind: 'data', id: request.id, data: result });
      }
    } catch (cause) {
      const error = getTRPCErrorFromUnknown(cause);
      const shape = getErrorShape({
        config: router._def._config,
        error,
        type: request.type,
        path: request.path,
        input: request.input,
        ctx,
      });
      peer.send({ kind: 'error', id: request.id, error: shape });
    } finally {
      active.delete(key(peer, request.id));
    }
  }

  return {
    /** Handles one raw message; anything that is not a valid request is answered or dropped. */
    handle(peer: IpcPeer, raw: unknown): void {
      const parsed = IpcRequest.safeParse(raw);
      if (!parsed.success) return;
      const request = parsed.data;
      if (request.kind === 'stop') active.get(key(peer, request.id))?.abort();
      else void call(peer, request);
    },
    /** Stops everything a renderer had running, e.g. when its window closes. */
    dropPeer(peer: IpcPeer): void {
      for (const [k, controller] of active) if (k.startsWith(`${peer.id}:`)) controller.abort();
    },
  };
}
