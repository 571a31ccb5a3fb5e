// daemon/protocol, for the host-side helpers in this folder. The lint rule that keeps webview-ui
// on the protocol only accepts "../daemon/protocol" spelled from one folder down; this is the
// same module seen from two folders down, and the only import here that needs the exception.
export * from '../../daemon/protocol';
