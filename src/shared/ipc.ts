import { z } from 'zod';

/** The one IPC channel the preload opens between the renderer and the main process. */
export const IPC_CHANNEL = 'neurolip:api';

export const IpcRequest = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('call'),
    id: z.number().int().nonnegative(),
    type: z.enum(['query', 'mutation', 'subscription']),
    path: z.string().min(1).max(200),
    input: z.unknown(),
  }),
  z.object({ kind: z.literal('stop'), id: z.number().int().nonnegative() }),
]);
export type IpcRequest = z.infer<typeof IpcRequest>;

export type IpcResponse =
  { kind: 'data'; id: number; data: unknown } | { kind: 'error'; id: number; error: unknown } | { kind: 'stopped'; id: number };

/** What the preload exposes as window.neurolip: a message pipe, nothing more. */
export interface NeurolipBridge {
  send(request: IpcRequest): void;
  onMessage(listener: (response: IpcResponse) => void): () => void;
}
