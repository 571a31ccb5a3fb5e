import { z } from 'zod';

// Application error codes live outside the JSON-RPC (-32768..-32000) and LSP (-32899..-32800)
// reserved ranges, so a client can tell them from transport errors.
export const ErrorCodes = {
  /** JSON-RPC standard codes the daemon uses. */
  InvalidParams: -32602,
  MethodNotFound: -32601,
  /** A request on a connection whose editor session was shut down (LSP `shutdown`). */
  InvalidRequest: -32600,
  /** The client cancelled the request ($/cancelRequest) or left before it was answered (LSP's code). */
  RequestCancelled: -32800,
  /** The connection has not said daemon/hello (or LSP initialize) yet, or said it with another protocol version. */
  HelloRequired: 1001,
  ProtocolMismatch: 1002,
  /** No daemon answers for the workspace (not started, failed to start, or gone mid-request). */
  DaemonUnavailable: 1003,
  /** Another daemon already serves the workspace. */
  DaemonRunning: 1004,
  /** A path named by a client resolves outside the workspace. */
  PathOutsideWorkspace: 1100,
  FileNotFound: 1101,
  InvalidConfig: 1200,
  Judge: 1300,
  /** Too few labels to measure or calibrate the judge on (the message says how many more). */
  TooFewLabels: 1301,
  /** A calibration cannot be written or reverted as asked. */
  Calibration: 1302,
  BelowThreshold: 1400,
  RunActive: 1401,
  RunNotFound: 1402,
  NothingToTrain: 1404,
  VersionNotFound: 1500,
  SampleNotFound: 1600,
  Storage: 1700,
  Internal: 1999,
} as const;

export const errorData = z.object({
  /** Stable machine-readable kind, e.g. "below-threshold". */
  kind: z.string(),
  /** What the user can do next. */
  hint: z.string().optional(),
  /** For invalid params: the dotted path of the offending field. */
  path: z.string().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type ErrorData = z.infer<typeof errorData>;
