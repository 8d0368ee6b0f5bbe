import { mkdirSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { useTempDir } from '../../test-support/tempDir';
import { useTestCore } from '../../test-support/testCore';
import { startLocalServer, type LocalServer } from './localServer';

/** This machine's own non-loopback IPv4 address, where it has one. */
const outsideAddress = Object.values(networkInterfaces())
  .flat()
  .find((address) => address && !address.internal && address.family === 'IPv4')?.address;

/** Whether a TCP connection to address:port is accepted. */
function reachable(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** The HTTP status a WebSocket handshake gets, or 101 when it is accepted. */
function handshake(server: LocalServer, path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`ws://127.0.0.1:${server.port}${path}`, { headers });
    socket.on('open', () => {
      socket.close();
      resolve(101);
    });
    socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    socket.on('error', () => undefined);
  });
}

function status(server: LocalServer, path: string, headers: Record<string, string>, method = 'GET'): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: server.port, path, method, headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('local server hardening', () => {
  const tempDir = useTempDir();
  const testCore = useTestCore();
  const servers: LocalServer[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.close();
  });

  async function start(host?: string): Promise<LocalServer> {
    const staticDir = join(tempDir(), 'renderer');
    mkdirSync(staticDir, { recursive: true });
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>app</title>');
    const server = await startLocalServer({ core: testCore(), staticDir, ...(host ? { host } : {}) });
    servers.push(server);
    return server;
  }

  it.runIf(outsideAddress !== undefined)(
    'is unreachable from other machines by default, and reachable only when a host is given',
    async () => {
      const local = await start();
      expect(await reachable('127.0.0.1', local.port)).toBe(true);
      expect(await reachable(outsideAddress!, local.port)).toBe(false);
      const open = await start('0.0.0.0');
      expect(await reachable(outsideAddress!, open.port)).toBe(true);
    },
  );

  it('refuses cross-site WebSocket hijacking: a foreign or opaque Origin, even with the cookie, and a foreign Host', async () => {
    const server = await start();
    const own = `http://127.0.0.1:${server.port}`;
    const cookie = `neurolip_token=${server.token}`;
    // A page on another site that opens ws://127.0.0.1:PORT: the browser adds our cookie, and its own Origin.
    expect(await handshake(server, '/trpc', { Origin: 'http://evil.example', Cookie: cookie })).toBe(403);
    expect(await handshake(server, '/trpc', { Origin: 'null', Cookie: cookie })).toBe(403);
    expect(await handshake(server, '/trpc', { Origin: `http://127.0.0.1:${server.port + 1}`, Cookie: cookie })).toBe(403);
    expect(await handshake(server, '/trpc', { Origin: `https://127.0.0.1:${server.port}`, Cookie: cookie })).toBe(403);
    // DNS rebinding: a foreign name resolving to 127.0.0.1 sends its own Host and Origin.
    expect(
      await handshake(server, '/trpc', {
        Host: `rebind.example:${server.port}`,
        Origin: `http://rebind.example:${server.port}`,
        Cookie: cookie,
      }),
    ).toBe(403);
    expect(await handshake(server, '/trpc', { Origin: own, Cookie: cookie })).toBe(101);
  });

  it('keeps serving after hostile WebSocket messages: prototype keys, garbage, and a frame over the size limit', async () => {
    const server = await start();
    const url = `ws://127.0.0.1:${server.port}/trpc?token=${server.token}`;
    const headers = { Origin: `http://127.0.0.1:${server.port}` };
    const hostile = new WebSocket(url, { headers });
    await new Promise((resolve) => hostile.once('open', resolve));
    const replies: string[] = [];
    hostile.on('message', (data: Buffer) => replies.push(data.toString()));
    hostile.send('{"id":1,"method":"query","params":{"path":"jobs.get","input":{"__proto__":{"polluted":"yes"},"jobId":"job-1"}}}');
    hostile.send('{"id":2,"method":"query","params":{"path":"constructor","input":null}}');
    hostile.send('not json at all');
    await expect.poll(() => replies.length).toBeGreaterThanOrEqual(2);
    expect(replies.join('\n')).toContain('No such job.');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const closed = new Promise<number>((resolve) => hostile.once('close', (code) => resolve(code)));
    hostile.send('x'.repeat(17 * 1024 * 1024));
    expect(await closed).toBe(1009);

    const next = new WebSocket(url, { headers });
    await new Promise((resolve) => next.once('open', resolve));
    const answer = new Promise<string>((resolve) => next.once('message', (data: Buffer) => resolve(data.toString())));
    next.send('{"id":3,"method":"query","params":{"path":"project.summary","input":null}}');
    expect(JSON.parse(await answer)).toMatchObject({ id: 3, result: { type: 'data', data: { cohorts: 0 } } });
    next.close();
  });

  it('answers only GET and HEAD, and refuses the API over plain HTTP', async () => {
    const server = await start();
    const cookie = { Cookie: `neurolip_token=${server.token}` };
    expect(await status(server, '/', cookie, 'POST')).toBe(405);
    expect(await status(server, '/', cookie, 'PUT')).toBe(405);
    expect(await status(server, '/trpc/project.summary', cookie)).toBe(404);
    expect(await status(server, '/', cookie)).toBe(200);
  });
});
