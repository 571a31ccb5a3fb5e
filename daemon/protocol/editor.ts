// The editor side of the protocol: the daemon is also a language server for JSONL dataset
// files (vscode-languageclient connects over the same socket). LSP's own messages come from
// vscode-languageserver-protocol; what is ours is here: the handshake options and the command
// ids the daemon puts in code lenses and code actions, which the extension registers.
import { z } from 'zod';

/**
 * `initializationOptions` of LSP `initialize`: the same handshake as daemon/hello. A missing or
 * different protocolVersion is refused; after initialize the connection may use every
 * custom method too.
 */
export const editorInitializationOptions = z.object({
  protocolVersion: z.number().int(),
  client: z.string().max(200).default('vscode'),
});
export type EditorInitializationOptions = z.input<typeof editorInitializationOptions>;

/** Command ids in code lenses and code actions; the extension registers them (the daemon does not execute them). */
export const SampleCommands = {
  accept: 'finetune.sample.accept',
  reject: 'finetune.sample.reject',
  rejudge: 'finetune.sample.rejudge',
  correct: 'finetune.sample.correct',
} as const;

/**
 * The one argument of every sample command: the sample id, the document URI, and the
 * 0-based line (LSP/VS Code numbering, unlike the 1-based `line` of datasets/annotations).
 */
export const sampleCommandArgs = z.object({
  id: z.string(),
  uri: z.string(),
  line: z.number().int().min(0),
});
export type SampleCommandArgs = z.infer<typeof sampleCommandArgs>;
