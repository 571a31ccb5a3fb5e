// The run panel's protocol: JSON-RPC 2.0 shaped messages between the extension host and the
// webview, carried by postMessage. Each side parses what it receives with these schemas.
//
// Host → panel: events (notifications with a `seq`, kept in the host's event log so they can be
// replayed) and one control notification, `webview/didSync`, that opens each replay.
// Panel → host: `webview/ready` (a notification) and the `panel/*` requests, answered with a
// JSON-RPC response (`result` or `error: { code, message, data?: ErrorData }`).
import { z } from 'zod';
import { defineNotification, defineRequest, type NotificationDef } from './define';
import { status } from './status';
import { runProgress, runSummary } from './runs';
import { logEntry } from './logs';
import { modelVersion } from './models';
import { calibrateReport, calibrationsResult, evalReport } from './judge';

/** Bumped on any incompatible change to the messages below. */
export const WEBVIEW_PROTOCOL_VERSION = 1;

/** Position of an event in the host's event log: 0, 1, 2, ... within one epoch. */
export const panelSeq = z.number().int().min(0);
/** The last event a panel has applied; -1 before the first. */
export const panelCursor = z.number().int().min(-1);
/** Names one host event log; a new log (a restarted extension host) has a new epoch. */
export const panelEpoch = z.string().min(1).max(100);

/** The fine-tuning settings a run will use, as the panel shows them. */
export const panelConfig = z.object({
  baseModel: z.string(),
  task: z.string(),
  threshold: z.number().int(),
  runner: z.string(),
  batchSize: z.number().int(),
  learningRate: z.number(),
  epochs: z.number(),
  /** lora | qlora | full */
  method: z.string().optional(),
  /** True when a run starts by itself at the threshold. */
  autoRun: z.boolean().optional(),
});
export type PanelConfig = z.infer<typeof panelConfig>;

/** The Judge section: labels so far, the calibration in use, and the last measurement or why there is none. */
export const panelJudge = z.object({
  overview: calibrationsResult.nullable(),
  evaluation: evalReport.nullable(),
  /** Why the last measurement could not be made (too few labels, an unreachable judge). */
  problem: z.object({ message: z.string(), hint: z.string().optional(), kind: z.string().optional() }).nullable(),
  /** A measurement is running. */
  measuring: z.boolean(),
});
export type PanelJudge = z.infer<typeof panelJudge>;

export const connectionState = z.enum(['connecting', 'connected', 'disconnected']);
export type ConnectionState = z.infer<typeof connectionState>;

// ---- panel → host -------------------------------------------------------------------------

/**
 * The panel has loaded (or noticed a gap in the events) and wants what it is missing.
 * `fresh`: the page has just loaded and holds no data, so the host sends everything it has;
 * the saved `cursor` then only marks what the user had already seen. Otherwise the host replays
 * the events after `cursor` when it still has them, and everything when it does not.
 */
export const WebviewReady = defineNotification(
  'webview/ready',
  z.object({
    protocolVersion: z.number().int(),
    cursor: panelCursor,
    epoch: panelEpoch.nullable(),
    fresh: z.boolean(),
  }),
);

/** Start a run; below the threshold only with `force`. */
export const PanelRun = defineRequest('panel/run', z.object({ force: z.boolean() }), runSummary);
/** Cancel the active run (or the run named). */
export const PanelCancel = defineRequest('panel/cancel', z.object({ id: z.string().max(200).optional() }), runSummary);
/** Show the daemon's log (for a run, when named). */
export const PanelOpenLogs = defineRequest('panel/openLogs', z.object({ runId: z.string().max(200).optional() }), z.null());
/** Open the model card of a landed version; `path` is that version's folder (ModelVersion.path). */
export const PanelOpenModelCard = defineRequest('panel/openModelCard', z.object({ path: z.string().min(1).max(4096) }), z.null());

/** Measure the judge against the workspace's Accept / Reject overrides; the figures arrive as judge/didChange. */
export const PanelJudgeEvaluate = defineRequest('panel/judgeEvaluate', z.object({}), z.null());
/** Fit a calibration on the overrides: what it would change (apply: false), or write it (apply: true, expect: the preview's id). */
export const PanelJudgeCalibrate = defineRequest('panel/judgeCalibrate', z.object({ apply: z.boolean(), expect: z.string().max(100).optional() }), calibrateReport);
/** Go back to the calibration the current one replaced. */
export const PanelJudgeRevert = defineRequest('panel/judgeRevert', z.object({}), z.object({ reverted: z.string(), current: z.string().nullable() }));

export const panelRequests = [PanelRun, PanelCancel, PanelOpenLogs, PanelOpenModelCard, PanelJudgeEvaluate, PanelJudgeCalibrate, PanelJudgeRevert] as const;

// ---- host → panel -------------------------------------------------------------------------

/**
 * Opens a replay. `reset`: forget everything, what follows is the whole retained log; `resume`:
 * what follows are the events after the panel's cursor. Replayed events may skip numbers (the
 * log keeps only the latest status, config, ...); live events after `upTo` do not.
 */
export const WebviewDidSync = defineNotification(
  'webview/didSync',
  z.object({ epoch: panelEpoch, mode: z.enum(['reset', 'resume']), upTo: panelCursor }),
);

export const PanelConnectionDidChange = defineNotification(
  'connection/didChange',
  z.object({ seq: panelSeq, state: connectionState, message: z.string().optional() }),
);
export const PanelStatusDidChange = defineNotification('status/didChange', z.object({ seq: panelSeq, status }));
export const PanelConfigDidChange = defineNotification('config/didChange', z.object({ seq: panelSeq, config: panelConfig }));
/** The run history, newest first; replaces what the panel had. */
export const PanelRunsDidList = defineNotification('runs/didList', z.object({ seq: panelSeq, runs: z.array(runSummary) }));
/** One run was created or changed. */
export const PanelRunsDidChange = defineNotification('runs/didChange', z.object({ seq: panelSeq, run: runSummary }));
/** A training step; `at` is when the host received it (for the ETA). */
export const PanelRunsDidProgress = defineNotification(
  'runs/didProgress',
  z.object({ seq: panelSeq, id: z.string(), progress: runProgress, at: z.string() }),
);
export const PanelLogsDidAppend = defineNotification('logs/didAppend', z.object({ seq: panelSeq, entries: z.array(logEntry) }));
/** Every landed model version, newest first; replaces what the panel had. */
export const PanelModelsDidList = defineNotification('models/didList', z.object({ seq: panelSeq, versions: z.array(modelVersion) }));
/** The Judge section's state; replaces what the panel had. */
export const PanelJudgeDidChange = defineNotification('judge/didChange', z.object({ seq: panelSeq, judge: panelJudge }));

/** The params of every host → panel event by method; each carries a `seq`. */
export interface PanelEventParams {
  'connection/didChange': z.output<typeof PanelConnectionDidChange.params>;
  'status/didChange': z.output<typeof PanelStatusDidChange.params>;
  'config/didChange': z.output<typeof PanelConfigDidChange.params>;
  'runs/didList': z.output<typeof PanelRunsDidList.params>;
  'runs/didChange': z.output<typeof PanelRunsDidChange.params>;
  'runs/didProgress': z.output<typeof PanelRunsDidProgress.params>;
  'logs/didAppend': z.output<typeof PanelLogsDidAppend.params>;
  'models/didList': z.output<typeof PanelModelsDidList.params>;
  'judge/didChange': z.output<typeof PanelJudgeDidChange.params>;
}
export type PanelEventMethod = keyof PanelEventParams;
/** A host → panel event, e.g. `{ method: 'runs/didProgress', params: { seq, id, progress, at } }`. */
export type PanelEvent = { [M in PanelEventMethod]: { method: M; params: PanelEventParams[M] } }[PanelEventMethod];
/** An event's params without the `seq` the host's log assigns. */
export type PanelEventBody<M extends PanelEventMethod> = Omit<PanelEventParams[M], 'seq'>;

/** Every host → panel event definition by method. */
export const panelEvents: { readonly [M in PanelEventMethod]: NotificationDef<z.ZodType<PanelEventParams[M]>> } = {
  'connection/didChange': PanelConnectionDidChange,
  'status/didChange': PanelStatusDidChange,
  'config/didChange': PanelConfigDidChange,
  'runs/didList': PanelRunsDidList,
  'runs/didChange': PanelRunsDidChange,
  'runs/didProgress': PanelRunsDidProgress,
  'logs/didAppend': PanelLogsDidAppend,
  'models/didList': PanelModelsDidList,
  'judge/didChange': PanelJudgeDidChange,
};

export function isPanelEventMethod(method: string): method is PanelEventMethod {
  return Object.prototype.hasOwnProperty.call(panelEvents, method);
}

// ---- the envelope -------------------------------------------------------------------------

export const rpcError = z.object({ code: z.number().int(), message: z.string(), data: z.unknown().optional() });
export type RpcError = z.infer<typeof rpcError>;

const rpcId = z.number().int();
const envelope = z.object({
  jsonrpc: z.literal('2.0'),
  id: rpcId.nullable().optional(),
  method: z.string().min(1).max(200).optional(),
  params: z.unknown().optional(),
  result: z.unknown().optional(),
  error: rpcError.optional(),
});

export type PanelMessage =
  | { kind: 'request'; id: number; method: string; params: unknown }
  | { kind: 'notification'; method: string; params: unknown }
  | { kind: 'response'; id: number; result: unknown }
  | { kind: 'error'; id: number | null; error: RpcError };

/** Sorts a received message into one of the four JSON-RPC kinds; null when it is none of them. */
export function classifyMessage(raw: unknown): PanelMessage | null {
  const m = envelope.safeParse(raw);
  if (!m.success) return null;
  const { id, method, params, error } = m.data;
  const has = (key: string) => typeof raw === 'object' && raw !== null && key in raw;
  if (method !== undefined) {
    if (typeof id === 'number') return { kind: 'request', id, method, params };
    return id === undefined ? { kind: 'notification', method, params } : null;
  }
  if (error !== undefined) return { kind: 'error', id: id ?? null, error };
  if (typeof id === 'number' && has('result')) return { kind: 'response', id, result: m.data.result };
  return null;
}

export function notificationMessage(method: string, params: unknown) {
  return { jsonrpc: '2.0' as const, method, params };
}
export function requestMessage(id: number, method: string, params: unknown) {
  return { jsonrpc: '2.0' as const, id, method, params };
}
export function resultMessage(id: number, result: unknown) {
  return { jsonrpc: '2.0' as const, id, result };
}
export function errorMessage(id: number | null, error: RpcError) {
  return { jsonrpc: '2.0' as const, id, error };
}
