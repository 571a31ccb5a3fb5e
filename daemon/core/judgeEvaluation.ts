// Wires the judge evaluation service to the workspace: its config, overrides, labelled samples,
// calibration versions and dataset files, and the Flywheel's judge to rebuild after a calibration.
import * as fs from 'node:fs';
import { findSamples } from '../assess/findSamples';
import { JudgeEvaluation } from '../assess/JudgeEvaluation';
import { findFiles } from '../workspace/glob';
import type { Flywheel } from './Flywheel';
import { openLineSource } from '../assess/lineSource';
import * as path from 'node:path';

export function judgeEvaluationFor(fw: Flywheel, env: NodeJS.ProcessEnv = process.env): JudgeEvaluation {
  const ws = fw.layout.workspace;
  return new JudgeEvaluation({
    config: () => fw.settings,
    env,
    calibrations: fw.calibrations,
    annotations: fw.annotations,
    labelled: fw.labelled,
    async find(ids) {
      // The training dataset first (most overrides are of its samples), then every dataset file.
      const files = [fw.layout.dataset, ...(await findFiles(ws, fw.settings.dataset.glob)).map((f) => path.resolve(ws, f))];
      return findSamples([...new Set(files)].filter((f) => fs.existsSync(f)), ids, fw.settings.dataset.max_line_bytes);
    },
    openLabels: (source) => openLineSource(ws, source, fw.settings.dataset.max_line_bytes),
    judgeChanged: () => fw.calibrationChanged(),
  });
}
