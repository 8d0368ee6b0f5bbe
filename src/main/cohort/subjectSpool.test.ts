import { describe, expect, it } from 'vitest';
import { Float32Scratch, SpoolWriter, SubjectSpool } from './subjectSpool';

describe('the subject spool', () => {
  it('gives back exactly what each thread appended, through one reused buffer', () => {
    const spool = new SubjectSpool(2);
    try {
      const [first, second] = spool.fds.map((fd) => new SpoolWriter(fd));
      const a = Float32Array.from({ length: 40_000 }, (_, i) => Math.sin(i) * 1e-3);
      const b = Float32Array.from([1.5, -2, Number.MIN_VALUE, 3.4e38]);
      const c = Float32Array.from({ length: 30_000 }, (_, i) => i / 7);
      const spooled = [first!.append(a), second!.append(b), first!.append(c)];
      expect(spooled.map(({ offset, length }) => [offset, length])).toEqual([
        [0, 40_000],
        [0, 4],
        [160_000, 30_000],
      ]);
      const scratch = new Float32Scratch();
      expect(spool.read(spooled[2]!, scratch)).toEqual(c);
      expect(spool.read(spooled[1]!, scratch)).toEqual(b);
      expect(spool.read(spooled[0]!, scratch)).toEqual(a);
    } finally {
      spool.close();
    }
    expect(() => spool.close()).not.toThrow();
  });
});
