// The fault wrapper for code that calls node's fs promises directly (the model registry, the
// store's appends in a daemon run in-process): while
// installed, every write, fsync and rename of a path under `root` is counted, and the one at
// `at` (once) or every one from `at` on (forever) fails with ENOSPC or EIO before it happens.
// The real calls are made otherwise. A file handle's path is remembered when it is opened.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

type Fsp = typeof fs.promises;
type HandleProto = { write: (...a: unknown[]) => Promise<unknown>; sync: () => Promise<void> };

export interface FaultPlan {
  root: string;
  /** Narrows the paths under root that count (e.g. one file and the store's probe files). */
  only?: (file: string) => boolean;
  at: number;
  mode: 'once' | 'forever';
  code: 'ENOSPC' | 'EIO';
}

export class FaultyFs {
  ops = 0;
  /** Operations that failed, as "write <path>", in order. */
  readonly injected: string[] = [];
  healed = false;
  private readonly handlePaths = new WeakMap<object, string>();
  private restore: (() => void) | undefined;

  private constructor(private readonly plan: FaultPlan) {}

  static async install(plan: FaultPlan): Promise<FaultyFs> {
    const faulty = new FaultyFs(plan);
    const fsp = fs.promises as Fsp & Record<string, unknown>;
    const probe = path.join(os.tmpdir(), `ft-faulty-${process.pid}-${Date.now()}`);
    const handle = await fsp.open(probe, 'w');
    const proto = Object.getPrototypeOf(handle) as HandleProto;
    await handle.close();
    await fsp.rm(probe, { force: true });

    const real = { open: fsp.open, rename: fsp.rename, write: proto.write, sync: proto.sync };
    fsp.open = (async (file: fs.PathLike, ...rest: unknown[]) => {
      const h = await (real.open as (...a: unknown[]) => Promise<object>)(file, ...rest);
      faulty.handlePaths.set(h, String(file));
      return h;
    }) as Fsp['open'];
    fsp.rename = (async (from: fs.PathLike, to: fs.PathLike) => {
      faulty.check('rename', String(to));
      return real.rename(from, to);
    }) as Fsp['rename'];
    proto.write = function (this: object, ...args: unknown[]) {
      faulty.check('write', faulty.handlePaths.get(this));
      return real.write.apply(this, args);
    };
    proto.sync = function (this: object) {
      faulty.check('fsync', faulty.handlePaths.get(this));
      return real.sync.apply(this);
    };
    faulty.restore = () => {
      fsp.open = real.open;
      fsp.rename = real.rename;
      proto.write = real.write;
      proto.sync = real.sync;
    };
    return faulty;
  }

  uninstall(): void {
    this.restore?.();
    this.restore = undefined;
  }

  private check(what: string, file: string | undefined): void {
    if (!file || !isUnder(this.plan.root, file) || (this.plan.only && !this.plan.only(path.resolve(file)))) return;
    this.ops++;
    if (this.healed) return;
    const { at, mode, code } = this.plan;
    if (this.ops === at || (mode === 'forever' && this.ops > at)) {
      this.injected.push(`${what} ${file}`);
      // Thrown synchronously inside an async call: the caller sees a rejected promise.
      throw Object.assign(new Error(`${code}: injected, ${what} '${file}'`), { code, syscall: what });
    }
  }
}

function isUnder(root: string, file: string): boolean {
  const rel = path.relative(root, path.resolve(file));
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
