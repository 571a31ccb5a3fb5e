// The docker runner: the only place that imports dockerode.
export { DockerRunner, type DockerRunnerOptions, type EnsureImageResult } from './DockerRunner';
export { OOM_MESSAGE } from './exitStatus';
export { GPU_TOOLKIT_HINT } from './engineErrors';
export { containerName, LABEL_RUN_ID, LABEL_WORKSPACE } from './containerConfig';
