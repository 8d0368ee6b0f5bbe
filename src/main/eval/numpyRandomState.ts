/**
 * NumPy's legacy `RandomState` (MT19937 with `init_genrand` seeding), just enough of it to shuffle
 * exactly as NumPy does. With it, our stratified K-fold splits match scikit-learn's
 * `StratifiedKFold(shuffle=True, random_state=seed)`, so results are paired with Python tools
 * (and with ../shared/reference) on identical folds.
 */
export class NumpyRandomState {
  private readonly mt = new Uint32Array(624);
  private index = 624;

  constructor(seed: number) {
    this.mt[0] = seed >>> 0;
    for (let i = 1; i < 624; i += 1) {
      const previous = this.mt[i - 1]! ^ (this.mt[i - 1]! >>> 30);
      // 1812433253 * previous + i, modulo 2^32, without losing precision.
      this.mt[i] = (((((previous & 0xffff0000) >>> 16) * 1812433253) << 16) + (previous & 0x0000ffff) * 1812433253 + i) >>> 0;
    }
  }

  private twist(): void {
    for (let i = 0; i < 624; i += 1) {
      const y = (this.mt[i]! & 0x80000000) | (this.mt[(i + 1) % 624]! & 0x7fffffff);
      this.mt[i] = this.mt[(i + 397) % 624]! ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
    }
    this.index = 0;
  }

  /** genrand_int32. */
  nextUint32(): number {
    if (this.index >= 624) this.twist();
    let y = this.mt[this.index++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** A uniform integer in [0, max], by masked rejection, as NumPy's random_interval. */
  interval(max: number): number {
    if (max === 0) return 0;
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    mask >>>= 0;
    let value: number;
    do value = (this.nextUint32() & mask) >>> 0;
    while (value > max);
    return value;
  }

  /** In-place Fisher-Yates shuffle, in NumPy's order. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i -= 1) {
      const j = this.interval(i);
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  }
}
