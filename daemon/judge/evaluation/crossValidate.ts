// Honest "after" figures for a calibration: each label is scored by curves fitted without it
// (k folds), so the figures estimate how the calibration does on samples it has not seen rather
// than how well it memorised the labels it was fitted on.
import { calibrate, type Calibration } from '../calibration/Calibration';
import type { ScoredLabel } from './agreement';
import { fitCalibration, type FitMeta, type RawLabel } from './fitCalibration';

export function crossValidatedScores(labels: readonly (RawLabel & { id: string })[], meta: FitMeta, inUse: Calibration | undefined, folds = 5): ScoredLabel[] {
  // Folds by id order, not file order: a file sorted by quality would otherwise put all the good
  // samples in one fold.
  const order = labels.map((l, i) => [l.id, i] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]));
  const foldOf = new Array<number>(labels.length);
  order.forEach(([, i], rank) => (foldOf[i] = rank % folds));
  const out = new Array<ScoredLabel>(labels.length);
  for (let f = 0; f < folds; f++) {
    const train = labels.filter((_, i) => foldOf[i] !== f);
    if (train.length === labels.length) continue;
    const { calibration } = fitCalibration(train, meta, inUse);
    labels.forEach((l, i) => {
      if (foldOf[i] === f) out[i] = { scores: calibrate(calibration, l.raw), human: l.human };
    });
  }
  return out;
}
