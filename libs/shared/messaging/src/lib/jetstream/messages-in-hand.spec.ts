import { MessagesInHand } from './messages-in-hand';

/** A work's end, called from the test: `finish` or `fail`. */
function gate() {
  let finish!: () => void;
  let fail!: (error: Error) => void;
  const done = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  return { done, finish, fail };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe(MessagesInHand.name, () => {
  it('holds up to its limit at once; room() waits until one settles', async () => {
    const inHand = new MessagesInHand(3);
    const gates = [gate(), gate(), gate()];
    const started: number[] = [];
    gates.forEach((g, i) =>
      inHand.hold(undefined, async () => {
        started.push(i);
        await g.done;
      }),
    );
    expect(started).toEqual([0, 1, 2]);
    expect(inHand.size).toBe(3);

    let roomy = false;
    const room = inHand.room().then(() => (roomy = true));
    await tick();
    expect(roomy).toBe(false);
    gates[1].finish();
    await room;
    expect(inHand.size).toBe(2);
  });

  it('with a limit of 1, one at a time: room() waits for the one in hand', async () => {
    const inHand = new MessagesInHand(1);
    const g = gate();
    inHand.hold(undefined, () => g.done);
    let roomy = false;
    const room = inHand.room().then(() => (roomy = true));
    await tick();
    expect(roomy).toBe(false);
    g.finish();
    await room;
    expect(inHand.size).toBe(0);
  });

  it("gives a key's works their turn in the order taken, after the earlier one settled, failed or not", async () => {
    const inHand = new MessagesInHand(8);
    const order: string[] = [];
    const gates = { a1: gate(), a2: gate(), b1: gate(), a3: gate() };
    const take = (key: string, name: keyof typeof gates) =>
      inHand.hold(key, async (turn) => {
        await turn;
        order.push(`${name} starts`);
        await gates[name].done.catch(() => order.push(`${name} failed`));
        order.push(`${name} ends`);
      });
    take('a', 'a1');
    take('a', 'a2');
    take('b', 'b1');
    take('a', 'a3');
    await tick();
    // Another key goes at once; a's second and third wait for its first.
    expect(order).toEqual(['a1 starts', 'b1 starts']);

    gates.a2.finish(); // done early, still not its turn
    gates.a1.fail(new Error('TalentLMS down'));
    await tick();
    expect(order).toEqual([
      'a1 starts',
      'b1 starts',
      'a1 failed',
      'a1 ends',
      'a2 starts',
      'a2 ends',
      'a3 starts',
    ]);
    gates.a3.finish();
    gates.b1.finish();
    await inHand.idle();
    expect(inHand.size).toBe(0);
  });

  it('a key free again (its last work settled) gives the next one its turn at once', async () => {
    const inHand = new MessagesInHand(2);
    inHand.hold('a', async () => undefined);
    await inHand.idle();
    let started = false;
    inHand.hold('a', async (turn) => {
      await turn;
      started = true;
    });
    await tick();
    expect(started).toBe(true);
  });

  it("rethrows a work's failure from the next room(), once; idle() waits for all and swallows it", async () => {
    const inHand = new MessagesInHand(4);
    const g = gate();
    inHand.hold(undefined, async () => {
      throw new Error('ack not sent');
    });
    inHand.hold(undefined, () => g.done);
    await tick();
    await expect(inHand.room()).rejects.toThrow('ack not sent');
    await expect(inHand.room()).resolves.toBeUndefined();

    inHand.hold(undefined, () => {
      throw new Error('thrown before any await');
    });
    let idle = false;
    const all = inHand.idle().then(() => (idle = true));
    await tick();
    expect(idle).toBe(false); // the second is still in hand
    g.finish();
    await all;
    await expect(inHand.room()).resolves.toBeUndefined();
  });

  it('refuses a limit below 1', () => {
    expect(() => new MessagesInHand(0)).toThrow(RangeError);
    expect(() => new MessagesInHand(1.5)).toThrow(RangeError);
  });
});
