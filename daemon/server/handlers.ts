// The RPC surface: thin handlers that validate (done by dispatch), call the Flywheel, and
// return what the shared protocol says.
import type { Flywheel } from '../core/Flywheel';
import type { Logger } from '../log';
import { effectiveConfigOf } from '../config/effective';
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
} from '../protocol';
import { handler, type Handler } from './dispatch';
import type { AssessService } from '../assess/AssessService';
import type { DatasetFiles } from '../assess/DatasetFiles';

export interface HandlerDeps {
  flywheel: Flywheel;
  assess: AssessService;
  files: DatasetFiles;
  log: Logger;
  shutdown(): void;
}

export function buildHandlers(d: HandlerDeps): Handler[] {
  const fw = d.flywheel;
  return [
    handler(StatusGet, () => fw.status()),
    handler(ConfigGet, () => ({ config: effectiveConfigOf(fw.settings), error: fw.status().configError })),
    handler(SamplesSubmit, (p) => d.assess.submit(p.sample as Parameters<AssessService['submit']>[0])),
    handler(SamplesList, (p) => (p.path ? d.files.samples(p.path, p.offset, p.limit) : d.assess.listSamples(p.offset, p.limit))),
    handler(SamplesAnnotate, (p) => d.assess.annotate(p)),
    handler(DatasetsList, () => d.files.list()),
    handler(DatasetsIngest, (p, ctx) => d.assess.ingestFile(p, ctx.progress)),
    handler(DatasetsAssess, (p, ctx) => d.assess.assessFile(p, ctx.progress)),
    handler(DatasetsAnnotations, (p) => d.files.annotations(p.path, p.fromLine, p.toLine)),
    handler(RunsStart, (p) => fw.startRun({ force: p.force, idempotencyKey: p.idempotencyKey })),
    handler(RunsCancel, (p) => fw.cancelRun(p.id)),
    handler(RunsList, (p) => fw.runs.list(p.limit)),
    handler(ModelsList, () => fw.listModels()),
    handler(ModelsPromote, (p) => fw.promote(p.version, 'promoted by hand')),
    handler(ModelsRollback, () => fw.rollback()),
    handler(LogsTail, (p) => d.log.tail(p.after, p.limit)),
    handler(DaemonShutdown, () => {
      setImmediate(() => d.shutdown());
      return { stopping: true };
    }),
  ];
}
