// The release, from package.json at build time (esbuild inlines the JSON).
import pkg from '../package.json';

export const DAEMON_VERSION: string = pkg.version;
