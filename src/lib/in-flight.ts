/**
 * The calls that change something at AWS and have not answered yet, by what they do ("the decision
 * for build-17"). A second Ctrl-C exits at once, and says which of them may still land.
 */
export class InFlight {
  private readonly running = new Map<number, string>();
  private next = 0;

  /** Run `work`, listed as `what` until it settles. */
  async track<T>(what: string, work: () => Promise<T>): Promise<T> {
    const id = this.next++;
    this.running.set(id, what);
    try {
      return await work();
    } finally {
      this.running.delete(id);
    }
  }

  /** What is in flight now, in the order it started. */
  list(): string[] {
    return [...this.running.values()];
  }
}
