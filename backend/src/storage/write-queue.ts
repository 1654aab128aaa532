/**
 * One writer. The sqlite driver shares a single connection, so overlapping transactions collide
 * ("no such savepoint"); every write goes through this queue and runs alone. Reads run beside it.
 */
export class WriteQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work, work);
    // Keep the chain alive after a failure; the caller still sees its own rejection.
    this.tail = result.catch(() => undefined);
    return result;
  }
}
