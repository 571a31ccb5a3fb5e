// Shapes of the LSP messages the daemon acts on, checked like every other request it receives
// (only the fields it reads; anything else a client sends is ignored).
import { z } from 'zod';

const uint = z.number().int().min(0);
const position = z.object({ line: uint, character: uint });
const range = z.object({ start: position, end: position });
const textDocument = z.object({ uri: z.string().max(8192) });

export const didOpen = z.object({
  textDocument: textDocument.extend({ languageId: z.string(), version: z.number().int(), text: z.string() }),
});

export const didChange = z.object({
  textDocument: textDocument.extend({ version: z.number().int() }),
  contentChanges: z.array(z.object({ range: range.optional(), text: z.string() })),
});

export const didClose = z.object({ textDocument });

export const hover = z.object({ textDocument, position });

export const inlayHint = z.object({ textDocument, range });

export const codeLens = z.object({ textDocument });

const diagnostic = z
  .object({ range, message: z.string(), severity: z.number().int().optional(), source: z.string().optional(), code: z.union([z.string(), z.number()]).optional() })
  .loose();

export const codeAction = z.object({
  textDocument,
  range,
  context: z.object({ diagnostics: z.array(diagnostic).default([]), only: z.array(z.string()).optional() }).default({ diagnostics: [] }),
});

export const setTrace = z.object({ value: z.enum(['off', 'messages', 'verbose']) });

export const initialize = z.object({
  capabilities: z
    .object({
      workspace: z
        .object({
          inlayHint: z.object({ refreshSupport: z.boolean().optional() }).optional(),
          codeLens: z.object({ refreshSupport: z.boolean().optional() }).optional(),
        })
        .optional(),
    })
    .default({}),
  clientInfo: z.object({ name: z.string(), version: z.string().optional() }).optional(),
});
