import { z } from 'zod';
import { defineRequest } from './define';

/** Bumped on any incompatible change; daemon/hello refuses a mismatch. */
export const PROTOCOL_VERSION = 1;

export const DaemonHello = defineRequest(
  'daemon/hello',
  z.object({ protocolVersion: z.number().int(), client: z.string().max(200) }),
  z.object({
    protocolVersion: z.number().int(),
    daemonVersion: z.string(),
    workspace: z.string(),
    pid: z.number().int(),
    metrics: z.string(),
  }),
);

export const DaemonShutdown = defineRequest('daemon/shutdown', z.object({}).optional(), z.object({ stopping: z.boolean() }));
