import { afterEach, describe, expect, it } from 'vitest';
import type { IpcResponse } from '../../shared/ipc';
import { useTestCore } from '../../test-support/testCore';
import type { Core } from '../core';
import { createIpcDispatcher } from './ipcDispatcher';
import { appRouter } from './router';

/** The JSON Schema that zod derives from a procedure's input: enough to know each field's kind. */
interface FieldSchema {
  type?: string;
  enum?: unknown[];
  maxLength?: number;
  maxItems?: number;
  minimum?: number;
  exclusiveMinimum?: number;
  anyOf?: FieldSchema[];
  properties?: Record<string, FieldSchema>;
}

interface Procedure {
  path: string;
  type: 'query' | 'mutation' | 'subscription';
  input: FieldSchema | null;
}

/** Every procedure of the real router, walked from its definition (nothing listed by hand). */
function procedures(): Procedure[] {
  return Object.entries(appRouter._def.procedures).map(([path, procedure]) => {
    const def = (procedure as unknown as { _def: { type: Procedure['type']; inputs: { toJSONSchema(o: object): FieldSchema }[] } })._def;
    const parser = def.inputs[0];
    return { path, type: def.type, input: parser ? parser.toJSONSchema({ unrepresentable: 'any', io: 'input' }) : null };
  });
}

const HUGE = 'x'.repeat(5 * 1024 * 1024);
const TRAVERSAL = ['../../../../etc/passwd', 'data/../../etc/shadow', '..\\..\\windows\\system32', '/tmp/\0/etc/passwd'];
const POLLUTION = '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"prototype":{"polluted":"yes"}}';

/** Values that the field's schema must refuse, whatever the rest of the input is. */
function hostileValues(name: string, field: FieldSchema): unknown[] {
  const kinds = field.anyOf ? field.anyOf.map((f) => f.type) : [field.type];
  const values: unknown[] = [];
  if (!kinds.includes('object')) values.push({ nested: true }, JSON.parse(POLLUTION));
  if (!kinds.includes('array')) values.push([1, 2, 3]);
  if (!kinds.includes('string')) values.push('a string');
  if (!kinds.includes('boolean') && !kinds.includes('integer') && !kinds.includes('number')) values.push(true, 12);
  if (kinds.includes('string')) {
    values.push(HUGE);
    if (field.enum) values.push('not-one-of-them');
    if (/path|image/i.test(name)) values.push(...TRAVERSAL);
  }
  if (kinds.includes('integer')) values.push(1.5, -1, 2 ** 64, 'NaN');
  if (kinds.includes('array')) values.push(Array.from({ length: Math.max(100_000, (field.maxItems ?? 0) + 1) }, () => 1));
  return values;
}

/** The renderer's side of the desktop pipe: raw messages in, responses by id out. */
function rawPipe(core: Core) {
  const dispatcher = createIpcDispatcher(appRouter, () => ({ core }));
  const waiting = new Map<number, (response: IpcResponse) => void>();
  const peer = { id: 1, send: (response: IpcResponse) => waiting.get(response.id)?.(structuredClone(response)) };
  let next = 1;
  return {
    call(type: Procedure['type'], path: string, input: unknown): Promise<IpcResponse> {
      const id = next++;
      const answered = new Promise<IpcResponse>((resolve) => waiting.set(id, resolve));
      dispatcher.handle(peer, structuredClone({ kind: 'call', id, type, path, input }));
      if (type === 'subscription') dispatcher.handle(peer, { kind: 'stop', id });
      return answered;
    },
    send: (raw: unknown) => dispatcher.handle(peer, raw),
  };
}

const messageOf = (response: IpcResponse): string =>
  response.kind === 'error' ? String((response.error as { message?: unknown }).message) : `(${response.kind})`;

describe('every API procedure under invalid and hostile input', () => {
  const testCore = useTestCore();
  afterEach(() => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('walks a router with procedures of every kind', () => {
    const all = procedures();
    expect(all.length).toBeGreaterThan(20);
    expect(new Set(all.map((p) => p.type))).toEqual(new Set(['query', 'mutation', 'subscription']));
  });

  it('refuses wrong types at the top, huge strings, bad numbers and path traversal, field by field, with the field named', async () => {
    const pipe = rawPipe(testCore());
    let checked = 0;
    for (const procedure of procedures().filter((p) => p.input?.properties)) {
      for (const top of [42, 'text', [], null, true, HUGE]) {
        const response = await pipe.call(procedure.type, procedure.path, top);
        expect(messageOf(response), `${procedure.path} <- ${JSON.stringify(top)?.slice(0, 40)}`).toMatch(/^Invalid input: /);
        checked += 1;
      }
      for (const [name, field] of Object.entries(procedure.input!.properties!)) {
        for (const value of hostileValues(name, field)) {
          const response = await pipe.call(procedure.type, procedure.path, { [name]: value });
          const where = `${procedure.path}.${name} <- ${JSON.stringify(value)?.slice(0, 60)}`;
          expect(response.kind, where).toBe('error');
          expect(messageOf(response), where).toMatch(new RegExp(`^Invalid input: (.*; )?${name}(\\.[^:]*)?: `));
          checked += 1;
        }
      }
    }
    console.log(`hostile inputs refused by the schemas: ${checked}`);
    expect(checked).toBeGreaterThan(300);
  }, 120_000);

  it('never lets __proto__ or constructor keys reach an object prototype, at the top or nested', async () => {
    const core = testCore();
    const pipe = rawPipe(core);
    for (const procedure of procedures()) {
      const nested = Object.fromEntries(
        Object.entries(procedure.input?.properties ?? {}).map(([name]) => [name, JSON.parse(POLLUTION) as unknown]),
      );
      for (const input of [JSON.parse(POLLUTION) as unknown, { ...nested, ...(JSON.parse(POLLUTION) as object) }]) {
        const response = await pipe.call(procedure.type, procedure.path, input);
        // Refused by the schema, or answered with the hostile keys stripped; never an internal error.
        if (response.kind === 'error') expect(messageOf(response), procedure.path).toMatch(/^Invalid input: |^No such /);
      }
    }
    expect(await pipe.call('query', 'project.summary', undefined)).toMatchObject({ kind: 'data' });
    expect(core.store.summary()).toMatchObject({ cohorts: 0, runs: 0 });
  });

  it('drops malformed messages and answers unknown procedures with NOT_FOUND, and keeps working', async () => {
    const pipe = rawPipe(testCore());
    for (const raw of [null, 42, 'call', [], {}, { kind: 'call' }, { kind: 'call', id: -1, type: 'query', path: 'project.summary' }]) {
      pipe.send(raw);
    }
    pipe.send({ kind: 'call', id: 1e6, type: 'query', path: HUGE, input: null });
    for (const path of ['__proto__', 'constructor', 'project.__proto__', '../../etc/passwd', 'app.info.constructor', 'toString']) {
      const response = await pipe.call('query', path, undefined);
      expect(response.kind, path).toBe('error');
      expect((response as { error: { data: { code: string } } }).error.data.code, path).toBe('NOT_FOUND');
    }
    expect(await pipe.call('query', 'project.summary', undefined)).toMatchObject({ kind: 'data' });
  });
});
