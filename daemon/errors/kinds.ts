// Every stable error kind and the protocol code it is sent with: the single mapping from the
// daemon's domain errors to the wire. A new kind must be added here, or it does not compile.
import { ErrorCodes } from '../protocol';

export const ERROR_KINDS = {
  // CLI arguments and request params
  usage: ErrorCodes.InvalidParams,
  // workspace paths
  'path-outside-workspace': ErrorCodes.PathOutsideWorkspace,
  'file-not-found': ErrorCodes.FileNotFound,
  'not-a-file': ErrorCodes.FileNotFound,
  'not-a-dataset': ErrorCodes.FileNotFound,
  // the daemon process
  'daemon-not-running': ErrorCodes.DaemonUnavailable,
  'daemon-start-failed': ErrorCodes.DaemonUnavailable,
  'daemon-stop-failed': ErrorCodes.DaemonUnavailable,
  'daemon-gone': ErrorCodes.DaemonUnavailable,
  'daemon-running': ErrorCodes.DaemonRunning,
  'runtime-dir-unsafe': ErrorCodes.DaemonUnavailable,
  // config/models.yml
  'invalid-config': ErrorCodes.InvalidConfig,
  // the judge
  judge: ErrorCodes.Judge,
  // measuring and calibrating the judge on people's labels
  'too-few-labels': ErrorCodes.TooFewLabels,
  'labels-changed': ErrorCodes.Calibration,
  'nothing-to-calibrate': ErrorCodes.Calibration,
  'calibration-off': ErrorCodes.Calibration,
  'no-earlier-calibration': ErrorCodes.Calibration,
  // runs
  'below-threshold': ErrorCodes.BelowThreshold,
  'run-active': ErrorCodes.RunActive,
  'run-not-found': ErrorCodes.RunNotFound,
  'nothing-to-train': ErrorCodes.NothingToTrain,
  // model versions
  'model-not-found': ErrorCodes.VersionNotFound,
  'version-not-found': ErrorCodes.VersionNotFound,
  'no-current-version': ErrorCodes.VersionNotFound,
  'no-earlier-version': ErrorCodes.VersionNotFound,
  'invalid-model-name': ErrorCodes.InvalidParams,
  // samples
  'sample-not-found': ErrorCodes.SampleNotFound,
  // files the daemon owns (data/.flywheel, the dataset, the models folder)
  'store-read-only': ErrorCodes.Storage,
  'store-failed': ErrorCodes.Storage,
  'store-invalid': ErrorCodes.Storage,
  'store-busy': ErrorCodes.Storage,
  registry: ErrorCodes.Storage,
  // a symbolic link where the daemon keeps its own file or folder
  'link-refused': ErrorCodes.Storage,
  // a long request the client cancelled or walked away from
  cancelled: ErrorCodes.RequestCancelled,
} as const;

export type ErrorKind = keyof typeof ERROR_KINDS;
