// Turns a raw JSON-RPC request into a validated handler call: unknown methods get -32601,
// params failing the shared zod schema get -32602 with the field path.
import { ResponseError, type CancellationToken } from 'vscode-jsonrpc';
import type { z } from 'zod';
import { ErrorCodes, type RequestDef } from '../protocol';
import { toResponseError } from '../errors/toProtocolError';

/** What a handler gets besides its params: cancellation, and progress for the requesting client. */
export interface RequestContext {
  token: CancellationToken;
  /** Aborted when the client cancels the request or its connection goes away: long work stops. */
  signal: AbortSignal;
  progress(fraction: number, message: string): void;
}

export interface Handler {
  def: RequestDef<z.ZodType, z.ZodType>;
  handle(params: unknown, ctx: RequestContext): unknown;
}

/** Builds a table entry whose handler receives already-parsed, typed params. */
export function handler<P extends z.ZodType, R extends z.ZodType>(
  def: RequestDef<P, R>,
  handle: (params: z.output<P>, ctx: RequestContext) => Promise<z.input<R>> | z.input<R>,
): Handler {
  return { def, handle: handle as Handler['handle'] };
}

export function invalidParams(issues: z.core.$ZodIssue[]): ResponseError<unknown> {
  const first = issues[0];
  const path = first ? first.path.map(String).join('.') : '';
  const where = path ? `${path}: ` : '';
  return new ResponseError(ErrorCodes.InvalidParams, `invalid params: ${where}${first?.message ?? 'invalid'}`, {
    kind: 'invalid-params',
    path,
    hint: 'check the request against the protocol schema in daemon/protocol',
  });
}

export async function dispatch(
  table: Map<string, Handler>,
  method: string,
  raw: unknown,
  ctx: (params: unknown) => RequestContext,
): Promise<unknown> {
  const entry = table.get(method);
  if (!entry) throw new ResponseError(ErrorCodes.MethodNotFound, `unknown method "${method}"`, { kind: 'method-not-found' });
  // vscode-jsonrpc hands params by-position as an array; this protocol only uses by-name objects.
  const parsed = entry.def.params.safeParse(Array.isArray(raw) ? (raw.length === 1 ? raw[0] : raw) : raw);
  if (!parsed.success) throw invalidParams(parsed.error.issues);
  try {
    return await entry.handle(parsed.data, ctx(parsed.data));
  } catch (err) {
    throw toResponseError(err);
  }
}
