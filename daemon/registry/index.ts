// The model registry: landed versions, the gate, promotion/rollback and the integration hook.
export * from './ModelRegistry';
export * from './integrationHook';
export { decide, formatPair, type DecideInput, type GateMode } from './gate';
export { isModelName, normalizeVersion } from './modelName';
