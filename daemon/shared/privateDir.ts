// The runtime folder's owner and mode are the socket's authentication: a folder that another
// user created first (/tmp/finetune-flywheel-<uid> when XDG_RUNTIME_DIR is unset) would let them
// swap in their own socket. Like OpenSSH and systemd, refuse it rather than repair it.
import * as fs from 'node:fs';
import * as os from 'node:os';
import { DomainError } from '../errors/DomainError';

export function assertPrivateDir(dir: string): void {
  const st = fs.lstatSync(dir);
  const uid = os.userInfo().uid;
  let problem: string | undefined;
  if (st.isSymbolicLink()) problem = 'is a symbolic link';
  else if (!st.isDirectory()) problem = 'is not a folder';
  else if (st.uid !== uid) problem = `belongs to user id ${st.uid}, not to you (${uid})`;
  else if ((st.mode & 0o077) !== 0) problem = `has mode ${(st.mode & 0o777).toString(8).padStart(4, '0')}, so others can reach it (0700 expected)`;
  if (problem) {
    throw new DomainError(
      'runtime-dir-unsafe',
      `the daemon's runtime folder ${dir} ${problem}; another user could plant a socket there, so it is not used`,
      'remove that folder (or set XDG_RUNTIME_DIR or FINETUNE_RUNTIME_DIR to a folder only you can enter), then try again',
    );
  }
}
