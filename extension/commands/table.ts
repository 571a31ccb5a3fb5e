// Every command the extension contributes, one file each. register.ts registers them from this
// table; a unit test checks it against package.json's contributes.commands both ways.
import { daemonRestart } from './daemonRestart';
import { daemonStart } from './daemonStart';
import { datasetsAssess } from './datasetsAssess';
import { datasetsFilter } from './datasetsFilter';
import { datasetsLoadMore } from './datasetsLoadMore';
import { logsShow } from './logsShow';
import { modelsOpenCard } from './modelsOpenCard';
import { modelsPromote } from './modelsPromote';
import { modelsRollback } from './modelsRollback';
import { runCancel } from './runCancel';
import { runPanelOpen } from './runPanelOpen';
import { runStart } from './runStart';
import { runsShowLogs } from './runsShowLogs';
import { sampleAccept } from './sampleAccept';
import { sampleCorrect } from './sampleCorrect';
import { sampleRejudge } from './sampleRejudge';
import { sampleReject } from './sampleReject';
import type { Command } from './types';
import { viewsRefresh } from './viewsRefresh';

export const commandTable: readonly Command[] = [
  runStart,
  runCancel,
  runPanelOpen,
  datasetsAssess,
  datasetsLoadMore,
  datasetsFilter,
  logsShow,
  modelsPromote,
  modelsRollback,
  modelsOpenCard,
  runsShowLogs,
  daemonStart,
  daemonRestart,
  sampleAccept,
  sampleReject,
  sampleRejudge,
  sampleCorrect,
  viewsRefresh,
];
