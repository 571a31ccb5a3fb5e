import { LogsDidAppend, LogsTail, type LogEntry } from '../../protocol';
import { printJson, type CliContext } from '../context';

export async function logs(ctx: CliContext): Promise<number> {
  const client = await ctx.connect();
  const show = (e: LogEntry) => (ctx.json ? printJson(ctx, e) : ctx.out.write(`${e.time} ${e.level.padEnd(5)} ${e.event}: ${e.message}\n`));
  let cursor = -1;
  const showNew = (entries: LogEntry[]) => {
    for (const e of entries) {
      if (e.seq <= cursor) continue;
      cursor = e.seq;
      show(e);
    }
  };
  const follow = ctx.flags.follow === true;
  // Entries that arrive while the tail is in flight are held back, then shown in order after it.
  const early: LogEntry[] = [];
  let tailDone = false;
  if (follow) client.on(LogsDidAppend, (p) => (tailDone ? showNew(p.entries) : early.push(...p.entries)));
  const tail = await client.request(LogsTail, { after: -1, limit: 200 });
  showNew(tail.entries);
  showNew(early);
  tailDone = true;
  if (!follow) {
    client.close();
    return 0;
  }
  // Follow until the daemon goes away or the user presses Ctrl-C.
  await new Promise<void>((resolve) => {
    client.onClose(resolve);
    process.once('SIGINT', resolve);
  });
  client.close();
  return 0;
}
