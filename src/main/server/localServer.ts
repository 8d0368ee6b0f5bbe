import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { applyWSSHandler } from '@trpc/server/adapters/ws';
import { WebSocketServer } from 'ws';
import { appRouter } from '../api/router';
import type { Core } from '../core';
import { allowedHosts, hostAllowed, newToken, originAllowed, TOKEN_COOKIE, tokenSource } from './accessControl';
import { resolveStaticPath, sendFile } from './staticFiles';

export interface LocalServerOptions {
  core: Core;
  /** Folder of the built renderer; nothing outside it is ever served. */
  staticDir: string;
  host?: string;
  port?: number;
  token?: string;
}

export interface LocalServer {
  url: string;
  host: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export const API_PATH = '/trpc';

const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

function refuse(response: ServerResponse, status: number, message: string): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS });
  response.end(`${message}\n`);
}

function refuseUpgrade(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** Serves the renderer and the API over HTTP + WebSocket, to whoever holds the token. */
export async function startLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? newToken();
  let hosts = new Set<string>();

  const checkAccess = (request: IncomingMessage): { url: URL; status: number; message: string } => {
    const url = new URL(request.url ?? '/', 'http://placeholder');
    if (!hostAllowed(request, hosts)) return { url, status: 403, message: 'Forbidden: unexpected Host header.' };
    if (!originAllowed(request, hosts)) return { url, status: 403, message: 'Forbidden: foreign Origin.' };
    if (tokenSource(request, url, token) === null) {
      return { url, status: 401, message: 'Unauthorized: open the URL that `neurolip serve` printed; it carries the access token.' };
    }
    return { url, status: 200, message: '' };
  };

  const server = createServer((request, response) => {
    const access = checkAccess(request);
    if (access.status !== 200) return refuse(response, access.status, access.message);
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(response, 405, 'Method not allowed.');
    const file = resolveStaticPath(options.staticDir, access.url.pathname);
    if (file === null) return refuse(response, 404, 'Not found.');
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value);
    response.setHeader('Set-Cookie', `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`);
    sendFile(response, file, request.method === 'HEAD');
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
  const handler = applyWSSHandler({ wss, router: appRouter, createContext: () => ({ core: options.core }) });

  server.on('upgrade', (request, socket, head) => {
    const access = checkAccess(request);
    if (access.status === 403) return refuseUpgrade(socket, '403 Forbidden');
    if (access.status === 401) return refuseUpgrade(socket, '401 Unauthorized');
    if (access.url.pathname !== API_PATH) return refuseUpgrade(socket, '404 Not Found');
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  });

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolveListen());
  });
  const port = (server.address() as AddressInfo).port;
  hosts = allowedHosts(host, port);
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}/?token=${token}`,
    host,
    port,
    token,
    close: async () => {
      handler.broadcastReconnectNotification();
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolveClose) => server.close(() => resolveClose()));
    },
  };
}
