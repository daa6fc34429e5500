import type { Summary } from "./bench-run.mjs";

export interface BenchConfig {
  quick: boolean;
  n: number;
  warmN: number;
  memoryN: number;
  batch: number;
  runs: number;
  sequentialRuns: number;
  memoryRuns: number;
  delayMs: number;
  slowDelayMs: number;
  bucket: { burst: number; perSecond: number };
  phases: string[];
  baseline: string;
}

export type BenchRow = Partial<Summary> & { label: string; n?: number; [key: string]: unknown };

export interface Target {
  target: string;
  measured: string;
  /** undefined: the rows it needs were not measured. */
  met: boolean | undefined;
}

export function targets(results: { rows: Record<string, BenchRow>; config: BenchConfig }): Target[];
export function emulatorLimits(results: { rows: Record<string, BenchRow>; config: BenchConfig }): string[];
