// The RPC surface: thin handlers that validate (done by dispatch), call a service, and return
// what the shared protocol says.
import { isFiltered } from '../assess/sampleFilter';
import type { AssessService } from '../assess/AssessService';
import type { DatasetFiles } from '../assess/DatasetFiles';
import type { Logger } from '../log';
import {
  ConfigGet,
  DaemonShutdown,
  DatasetsAnnotations,
  DatasetsAssess,
  DatasetsIngest,
  DatasetsList,
  LogsTail,
  ModelsList,
  ModelsPromote,
  ModelsRollback,
  RunsCancel,
  RunsList,
  RunsStart,
  SamplesAnnotate,
  SamplesList,
  SamplesSubmit,
  StatusGet,
  type ConfigState,
  type Status,
} from '../protocol';
import type { RunService } from '../runs/RunService';
import { handler, type Handler } from './dispatch';

export interface HandlerDeps {
  status(): Status;
  config(): ConfigState;
  assess: AssessService;
  runs: RunService;
  files: DatasetFiles;
  log: Logger;
  shutdown(): void;
}

export function buildHandlers(d: HandlerDeps): Handler[] {
  const { assess, runs, files } = d;
  return [
    handler(StatusGet, () => d.status()),
    handler(ConfigGet, () => d.config()),
    handler(SamplesSubmit, (p) => assess.submit(p.sample as Parameters<AssessService['submit']>[0])),
    handler(SamplesList, (p) => {
      // The explorer's filters work on files; without a path they apply to the training dataset's file.
      if (p.path || isFiltered(p.filter)) return files.samples(p.path ?? assess.datasetPath, p.offset, p.limit, p.filter);
      return assess.listSamples(p.offset, p.limit);
    }),
    handler(SamplesAnnotate, (p) => assess.annotate(p)),
    handler(DatasetsList, () => files.list()),
    handler(DatasetsIngest, (p, ctx) => assess.ingestFile(p, ctx.progress, ctx.signal)),
    handler(DatasetsAssess, (p, ctx) => assess.assessFile(p, ctx.progress, ctx.signal)),
    handler(DatasetsAnnotations, (p) => files.annotations(p.path, p.fromLine, p.toLine)),
    handler(RunsStart, (p) => runs.startRun({ force: p.force, idempotencyKey: p.idempotencyKey })),
    handler(RunsCancel, (p) => runs.cancelRun(p.id)),
    handler(RunsList, (p) => runs.list(p.limit)),
    handler(ModelsList, () => runs.models.list()),
    handler(ModelsPromote, (p) => runs.promote(p.version, 'promoted by hand')),
    handler(ModelsRollback, () => runs.rollback()),
    handler(LogsTail, (p) => d.log.tail(p.after, p.limit)),
    handler(DaemonShutdown, () => {
      setImmediate(() => d.shutdown());
      return { stopping: true };
    }),
  ];
}
