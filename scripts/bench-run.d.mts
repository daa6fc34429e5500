export interface Sample {
  ms?: number;
  cpuMs?: number;
  rssKb?: number;
  calls?: number;
  throttled?: number;
  cacheBytes?: number;
  found?: number;
  byOperation?: Record<string, number>;
  ok: boolean;
  code?: number | null;
  error?: string;
}

export interface Summary {
  runs: number;
  ms: { min?: number; median?: number; max?: number };
  cpuMs?: number;
  calls?: number;
  callsMax?: number;
  throttled?: number;
  rssKb?: number;
  cacheBytes?: number;
  found?: number;
  byOperation?: Record<string, number>;
  ok: boolean;
  errors: string[];
}

export function measureProcess(
  command: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; scratch: string; input?: string },
): Promise<{ code: number | null; stdout: string; stderr: string; ms: number; cpuMs?: number; rssKb?: number }>;
export function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  input?: string,
): Promise<{ code: number | null; stdout: string; stderr: string }>;
export function alternate(
  runs: number,
  cases: Record<string, (round: number) => Promise<Sample | undefined>>,
): Promise<Record<string, Sample[]>>;
export function summarize(samples: Sample[]): Summary;
export function median(values: number[]): number;
export function folderBytes(dir: string): number;
