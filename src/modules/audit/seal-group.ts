/**
 * Runs seals one at a time (a group commit): a writer that committed while a seal was running waits
 * for the next seal, which chains its entries together with those of every writer that committed
 * meanwhile. Under concurrency that is one seal statement (and one take of the chain lock) for many
 * writes instead of one each, and a writer still returns only once its entries are chained: the
 * promise `after` gives settles with a seal that started after the call.
 */
export class SealGroup<R> {
  private running: Promise<unknown> | null = null;
  private queued: Promise<unknown> | null = null;

  constructor(private readonly seal: (runner: R) => Promise<unknown>) {}

  /** `runner` runs the seal if this call starts one; the caller holds it until the promise settles. */
  after(runner: R): Promise<unknown> {
    if (!this.running) return this.start(runner);
    this.queued ??= this.running.catch(() => undefined).then(() => {
      this.queued = null;
      return this.start(runner);
    });
    return this.queued;
  }

  private start(runner: R): Promise<unknown> {
    const seal = this.seal(runner);
    this.running = seal;
    const done = () => {
      if (this.running === seal) this.running = null;
    };
    seal.then(done, done);
    return seal;
  }
}
