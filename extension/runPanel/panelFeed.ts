// Keeps the run panel's channel fed from the daemon: connection state, status, config, runs,
// progress, log entries and model versions, each as it changes (notifications, not polling).
import * as vscode from 'vscode';
import {
  ConfigDidReload,
  ConfigGet,
  DatasetsDidChange,
  ModelsDidLand,
  ModelsList,
  RunsCancel,
  RunsDidChange,
  RunsDidProgress,
  RunsList,
  RunsStart,
  type LogEntry,
  type Status,
} from '../../daemon/protocol';
import { PanelChannel, type PanelHandlers } from './PanelChannel';
import type { DaemonApi } from '../daemon/DaemonApi';
import type { DaemonConnection } from '../daemon/DaemonConnection';
import type { FlywheelState } from '../state/FlywheelState';
import type { Event } from '../util/Emitter';
import { panelConfigOf } from './panelConfig';
import { JudgeFeed } from './judgeFeed';

export interface PanelFeedDeps {
  api: DaemonApi;
  connection: DaemonConnection;
  state: FlywheelState;
  /** Fresh daemon log entries, in order, once each (from DaemonLog). */
  onLogEntries: Event<LogEntry[]>;
  handlers: Omit<PanelHandlers, 'run' | 'cancel' | 'judgeEvaluate' | 'judgeCalibrate' | 'judgeRevert'>;
  output: vscode.LogOutputChannel;
}

export function createPanelFeed(d: PanelFeedDeps): { channel: PanelChannel; disposable: vscode.Disposable } {
  const judge = new JudgeFeed(d.api, () => d.state.status?.judge.name.startsWith('heuristic') ?? false, (m) => d.output.debug(m));
  const channel = new PanelChannel(
    {
      // The panel's own Run button shows the daemon's refusal (below threshold) and offers force itself.
      run: (p) => d.api.request(RunsStart, { force: p.force }),
      cancel: (p) => d.api.request(RunsCancel, p.id ? { id: p.id } : {}),
      judgeEvaluate: () => judge.judgeEvaluate(),
      judgeCalibrate: (p) => judge.judgeCalibrate(p),
      judgeRevert: () => judge.judgeRevert(),
      ...d.handlers,
    },
    { onProblem: (m) => d.output.debug(`run panel: ${m}`) },
  );
  judge.attach(channel);
  const refreshConfig = async () => {
    try {
      channel.setConfig(panelConfigOf((await d.api.request(ConfigGet, {})).config));
    } catch (err) {
      d.output.debug(`run panel: could not get the config: ${String(err)}`);
    }
  };
  const refreshLists = async () => {
    try {
      const [runs, models] = await Promise.all([d.api.request(RunsList, { limit: 50 }), d.api.request(ModelsList, {})]);
      channel.setRuns(runs);
      channel.setModels(models);
    } catch (err) {
      d.output.debug(`run panel: could not list runs and models: ${String(err)}`);
    }
  };
  let lastConnection: unknown;
  let lastStatus: Status | undefined;
  let lastModel: string | null | undefined;
  let lastJudge: string | undefined;
  const stateChanged = () => {
    const c = d.state.connection;
    if (c !== lastConnection) {
      lastConnection = c;
      if (c.kind === 'running') channel.setConnection('connected');
      else if (c.kind === 'starting') channel.setConnection('connecting');
      else channel.setConnection('disconnected', c.message);
    }
    const s = d.state.status;
    if (s && s !== lastStatus) {
      lastStatus = s;
      channel.setStatus(s);
      // A promotion or rollback elsewhere (the CLI, another window) changes the current model.
      const current = s.currentModel?.version ?? null;
      if (lastModel !== undefined && current !== lastModel) void d.api.request(ModelsList, {}).then((m) => channel.setModels(m), () => undefined);
      lastModel = current;
      // A calibration (from the CLI too) or a config edit makes another judge version.
      if (s.judge.version !== lastJudge) {
        lastJudge = s.judge.version;
        judge.changed();
      }
    }
  };
  const subs: { dispose(): void }[] = [
    d.state.onDidChange(stateChanged),
    d.connection.onDidConnect(() => {
      void refreshConfig();
      void refreshLists();
      judge.changed();
    }),
    // An Accept or Reject (from this window, another, or the CLI) is a new label.
    d.api.on(DatasetsDidChange)(() => judge.changed()),
    judge,
    // The daemon re-read config/models.yml (an invalid edit keeps the last good config).
    d.api.on(ConfigDidReload)((c) => channel.setConfig(panelConfigOf(c.config))),
    d.api.on(RunsDidChange)((r) => channel.runChanged(r)),
    d.api.on(RunsDidProgress)((p) => channel.runProgress(p.id, p.progress)),
    d.api.on(ModelsDidLand)(() => void d.api.request(ModelsList, {}).then((m) => channel.setModels(m), () => undefined)),
    d.onLogEntries((entries) => channel.appendLogs(entries)),
  ];
  stateChanged();
  if (d.api.connected) {
    void refreshConfig();
    judge.changed();
  }
  return { channel, disposable: { dispose: () => subs.forEach((s) => s.dispose()) } };
}
