// Helpers that pair a JSON-RPC method name with the zod schemas of its params and result,
// so the sender gets types and the receiver always parses what it is sent.
import { NotificationType, RequestType } from 'vscode-jsonrpc';
import type { z } from 'zod';

export interface RequestDef<P extends z.ZodType, R extends z.ZodType> {
  readonly method: string;
  readonly params: P;
  readonly result: R;
  readonly type: RequestType<z.input<P>, z.output<R>, unknown>;
}

export interface NotificationDef<P extends z.ZodType> {
  readonly method: string;
  readonly params: P;
  readonly type: NotificationType<z.output<P>>;
}

export function defineRequest<P extends z.ZodType, R extends z.ZodType>(method: string, params: P, result: R): RequestDef<P, R> {
  return { method, params, result, type: new RequestType(method) };
}

export function defineNotification<P extends z.ZodType>(method: string, params: P): NotificationDef<P> {
  return { method, params, type: new NotificationType(method) };
}
