// Which editor documents are datasets: `file://` URIs inside the workspace that match
// dataset.glob (or are the training dataset itself). Like dataset discovery, files under dot
// folders (data/.flywheel holds the daemon's own journals) and node_modules are left out.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { globToRegExp } from '../../workspace/glob';
import { resolveInside } from '../../workspace/insideWorkspace';

export interface DatasetDocument {
  /** Absolute path as the URI names it. */
  file: string;
  /** Workspace-relative, with forward slashes. */
  rel: string;
}

export class DatasetMatcher {
  private compiled: { glob: string; re: RegExp } | undefined;
  private realRoot: string | undefined;

  constructor(
    private readonly workspace: string,
    private readonly settings: () => { glob: string; training: string },
  ) {}

  /** The dataset file a URI names, or undefined when the document gets no features. */
  match(uri: string): DatasetDocument | undefined {
    if (!uri.startsWith('file:')) return undefined;
    let file: string;
    try {
      file = path.resolve(fileURLToPath(uri));
    } catch {
      return undefined;
    }
    const rel = this.relative(file);
    if (rel === undefined || rel.split('/').some((part) => part.startsWith('.') || part === 'node_modules')) return undefined;
    const { glob, training } = this.settings();
    if (file !== training && !this.pattern(glob).test(rel)) return undefined;
    return { file, rel };
  }

  /** The file to read from disk, or undefined when it is missing or a link out of the workspace. */
  onDisk(doc: DatasetDocument): string | undefined {
    try {
      const file = resolveInside(this.workspace, doc.rel);
      return fs.statSync(file).isFile() ? file : undefined;
    } catch {
      return undefined;
    }
  }

  private relative(file: string): string | undefined {
    const direct = within(this.workspace, file);
    if (direct !== undefined) return direct;
    // The editor may name the file through a symlinked path to the workspace (macOS /tmp).
    try {
      this.realRoot ??= fs.realpathSync(this.workspace);
      const dir = fs.realpathSync(path.dirname(file));
      return within(this.realRoot, path.join(dir, path.basename(file)));
    } catch {
      return undefined;
    }
  }

  private pattern(glob: string): RegExp {
    if (this.compiled?.glob !== glob) this.compiled = { glob, re: globToRegExp(glob) };
    return this.compiled.re;
  }
}

function within(root: string, file: string): string | undefined {
  const rel = path.relative(root, file);
  if (rel === '' || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep).join('/');
}
