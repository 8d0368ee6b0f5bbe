import { createTRPCClient, createWSClient, wsLink } from '@trpc/client';
import { mkdirSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { useTempDir } from '../../test-support/tempDir';
import { useTestCore } from '../../test-support/testCore';
import type { AppRouter } from '../api/router';
import { startLocalServer, type LocalServer } from './localServer';

interface Reply {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

function get(server: LocalServer, path: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port: server.port, path, headers: { Host: `127.0.0.1:${server.port}`, ...headers } },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** The HTTP status a WebSocket handshake gets, or 101 when it is accepted. */
function handshake(server: LocalServer, path: string, headers: Record<string, string> = {}): Promise<number> {
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

describe('local server', () => {
  const tempDir = useTempDir();
  const testCore = useTestCore();
  const servers: LocalServer[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.close();
  });

  async function start(): Promise<LocalServer> {
    const root = tempDir();
    const staticDir = join(root, 'renderer');
    mkdirSync(join(staticDir, 'assets'), { recursive: true });
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>app</title>');
    writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(root, 'secret.txt'), 'PRIVATE COHORT');
    const server = await startLocalServer({ core: testCore(), staticDir });
    servers.push(server);
    return server;
  }

  it('binds to 127.0.0.1 and prints a URL with a token', async () => {
    const server = await start();
    expect(server.host).toBe('127.0.0.1');
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(server.token.length).toBeGreaterThanOrEqual(32);
  });

  it('refuses HTTP requests without the token or with a wrong one', async () => {
    const server = await start();
    expect((await get(server, '/')).status).toBe(401);
    expect((await get(server, '/?token=wrong')).status).toBe(401);
    expect((await get(server, '/assets/app.js', { Cookie: 'neurolip_token=wrong' })).status).toBe(401);
  });

  it('serves the app with the token, and sets a cookie that later requests can use', async () => {
    const server = await start();
    const page = await get(server, `/?token=${server.token}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>app</title>');
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    const cookie = String(page.headers['set-cookie']).split(';')[0]!;
    const asset = await get(server, '/assets/app.js', { Cookie: cookie });
    expect(asset.status).toBe(200);
    expect(asset.body).toBe('console.log(1)');
  });

  it('refuses a foreign Host (DNS rebinding) and a foreign Origin', async () => {
    const server = await start();
    expect((await get(server, `/?token=${server.token}`, { Host: `evil.example:${server.port}` })).status).toBe(403);
    expect((await get(server, `/?token=${server.token}`, { Origin: 'http://evil.example' })).status).toBe(403);
    expect((await get(server, `/?token=${server.token}`, { Origin: `http://127.0.0.1:${server.port}` })).status).toBe(200);
  });

  it('never serves a file outside its folder', async () => {
    const server = await start();
    for (const path of [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/assets%2f..%2f..%2fsecret.txt',
      '/%2e%2e%5csecret.txt',
      '/index.html%00.js',
    ]) {
      const reply = await get(server, `${path}?token=${server.token}`);
      expect(reply.status, path).toBe(404);
      expect(reply.body).not.toContain('PRIVATE COHORT');
    }
  });

  it('refuses WebSocket connections without the token, with a wrong one, or from a foreign Origin', async () => {
    const server = await start();
    const origin = `http://127.0.0.1:${server.port}`;
    expect(await handshake(server, '/trpc', { Origin: origin })).toBe(401);
    expect(await handshake(server, '/trpc?token=wrong', { Origin: origin })).toBe(401);
    expect(await handshake(server, `/trpc?token=${server.token}`, { Origin: 'http://evil.example' })).toBe(403);
    expect(await handshake(server, `/elsewhere?token=${server.token}`, { Origin: origin })).toBe(404);
    expect(await handshake(server, `/trpc?token=${server.token}`, { Origin: origin })).toBe(101);
  });

  it('answers API calls over the WebSocket and rejects invalid input with the schema message', async () => {
    const server = await start();
    const wsClient = createWSClient({ url: `ws://127.0.0.1:${server.port}/trpc?token=${server.token}`, WebSocket: WebSocket as never });
    const client = createTRPCClient<AppRouter>({ links: [wsLink({ client: wsClient })] });
    try {
      expect(await client.project.summary.query()).toMatchObject({ cohorts: 0, runs: 0 });
      const error = await client.jobs.get.query({ jobId: 42 as never }).catch((e: unknown) => e);
      expect((error as Error).message).toMatch(/^Invalid input: jobId: /);
    } finally {
      await wsClient.close();
    }
  });
});
