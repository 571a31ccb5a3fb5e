// `finetune daemon --detach` sends the daemon's stderr to <key>.stderr beside the socket. The
// file is made fresh each start (the previous one kept as .stderr.1, renamed, never followed)
// and opened with O_EXCL, so a planted link is never written through; the daemon caps it.
import * as fs from 'node:fs';

export const STDERR_CAP_BYTES = 1024 * 1024;

/** A new private file at `file` for a detached daemon's stderr; the old one becomes `file`.1. */
export function openStderrFile(file: string): number {
  if (fs.lstatSync(file, { throwIfNoEntry: false })) fs.renameSync(file, `${file}.1`);
  const C = fs.constants;
  return fs.openSync(file, C.O_WRONLY | C.O_CREAT | C.O_EXCL | C.O_APPEND | C.O_NOFOLLOW, 0o600);
}

/**
 * In a detached daemon: every `everyMs`, empty stderr when it has grown past `capBytes` (it is
 * opened O_APPEND, so writes carry on at the new end). Returns a stop function.
 */
export function capStderr(capBytes = STDERR_CAP_BYTES, everyMs = 10_000, fd = 2): () => void {
  const timer = setInterval(() => {
    try {
      const st = fs.fstatSync(fd);
      if (!st.isFile() || st.size <= capBytes) return;
      fs.ftruncateSync(fd, 0);
      fs.writeSync(fd, `(stderr emptied at ${st.size} bytes; the cap is ${capBytes}; logs/finetuning.log has the daemon's log)\n`);
    } catch {
      // stderr is not a file we may truncate: nothing to cap
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
