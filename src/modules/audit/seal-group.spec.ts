import { SealGroup } from './seal-group';

/** A seal that finishes when the test says so. */
function controllableSeals() {
  const started: { runner: string; finish: () => void; fail: (e: Error) => void }[] = [];
  const seal = (runner: string) => new Promise<void>((finish, fail) => started.push({ runner, finish, fail }));
  return { started, seal };
}

const settled = async (p: Promise<unknown>) => {
  let done = false;
  p.then(() => (done = true), () => (done = true));
  await new Promise((r) => setImmediate(r));
  return done;
};

describe('SealGroup', () => {
  it('starts a seal at once when none runs', async () => {
    const { started, seal } = controllableSeals();
    const group = new SealGroup(seal);
    const a = group.after('a');
    expect(started.map((s) => s.runner)).toEqual(['a']);
    started[0].finish();
    await a;
  });

  it('makes writers that arrive during a seal wait for one next seal, run on the first waiter’s runner', async () => {
    const { started, seal } = controllableSeals();
    const group = new SealGroup(seal);
    const a = group.after('a');
    const b = group.after('b');
    const c = group.after('c');
    expect(started).toHaveLength(1);
    started[0].finish();
    await a;
    expect(await settled(b)).toBe(false); // the running seal may have read the pending entries before b committed
    expect(started.map((s) => s.runner)).toEqual(['a', 'b']);
    started[1].finish();
    await Promise.all([b, c]);
    expect(started).toHaveLength(2);
    const d = group.after('d'); // nothing runs: a fresh seal
    expect(started.map((s) => s.runner)).toEqual(['a', 'b', 'd']);
    started[2].finish();
    await d;
  });

  it('goes on after a failed seal: its waiters see the failure, the queued ones get their own seal', async () => {
    const { started, seal } = controllableSeals();
    const group = new SealGroup(seal);
    const a = group.after('a');
    const b = group.after('b');
    started[0].fail(new Error('connection lost'));
    await expect(a).rejects.toThrow('connection lost');
    expect(started.map((s) => s.runner)).toEqual(['a', 'b']);
    started[1].finish();
    await b;
  });
});
