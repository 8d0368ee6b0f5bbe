import { createTRPCClient, createWSClient, wsLink, type TRPCLink } from '@trpc/client';
import type { AppRouter } from '../../../main/api/router';
import { ipcLink } from './ipcLink';

/** The desktop's IPC pipe when the preload provides it, the local server's WebSocket otherwise. */
function transport(): TRPCLink<AppRouter> {
  if (window.neurolip) return ipcLink(window.neurolip);
  const token = new URLSearchParams(window.location.search).get('token') ?? '';
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  const client = createWSClient({ url: `${scheme}://${window.location.host}/trpc?token=${encodeURIComponent(token)}` });
  return wsLink<AppRouter>({ client });
}

export const api = createTRPCClient<AppRouter>({ links: [transport()] });
export const transportName = window.neurolip ? 'Electron IPC' : 'local server (WebSocket)';
