import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_COOKIE = 'neurolip_token';

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieToken(request: IncomingMessage): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === TOKEN_COOKIE) return rest.join('=');
  }
  return undefined;
}

/** Where the request's token came from, or null when it has none that matches. */
export function tokenSource(request: IncomingMessage, url: URL, token: string): 'query' | 'cookie' | null {
  const fromQuery = url.searchParams.get('token');
  if (fromQuery !== null && sameSecret(fromQuery, token)) return 'query';
  const fromCookie = cookieToken(request);
  if (fromCookie !== undefined && sameSecret(fromCookie, token)) return 'cookie';
  return null;
}

/**
 * The Host header values this server answers to. Anything else is a DNS-rebinding attempt:
 * a foreign name that resolves to 127.0.0.1.
 */
export function allowedHosts(bindHost: string, port: number): Set<string> {
  const names = new Set(['127.0.0.1', 'localhost', '[::1]', bindHost.includes(':') ? `[${bindHost}]` : bindHost]);
  return new Set([...names].map((name) => `${name}:${port}`));
}

export function hostAllowed(request: IncomingMessage, hosts: Set<string>): boolean {
  return hosts.has((request.headers.host ?? '').toLowerCase());
}

/** Browsers always send Origin on WebSocket and cross-origin requests; it must be our own. */
export function originAllowed(request: IncomingMessage, hosts: Set<string>): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  try {
    const parsed = new URL(origin);
    return parsed.protocol === 'http:' && hosts.has(parsed.host.toLowerCase());
  } catch {
    return false;
  }
}
