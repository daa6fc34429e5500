import type { ChildProcess } from "node:child_process";

export const INSTALL_HINT: string;
export function checkMoto(): void;
export function freePort(): Promise<number>;
export interface Emulator {
  endpoint: string;
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}
export function startEmulator(options?: { port?: number; quiet?: boolean; env?: Record<string, string> }): Promise<Emulator>;
export function emulatorEnv(endpoint: string): Record<string, string>;
