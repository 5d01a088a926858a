// One row of `npm run bench`: a measured value, and where it has one, the baseline it was measured beside in the
// same run and the ratio between them (ratios, not absolute times, are what compare across machines).
export interface BenchRow {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly baseline?: string;
  readonly ratio?: number;
  /** The target, e.g. "< 1.3", and whether this run met it. */
  readonly target?: string;
  readonly met?: boolean;
  readonly note?: string;
}

export type BenchSuite = () => Promise<BenchRow[]>;
