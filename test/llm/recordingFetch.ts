// The real global fetch, watched: what the judge sent and how many requests it had in flight at once.
// The judge takes a `fetch` option; nothing is answered here, every request goes to the real server.

export interface SentRequest {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  /** HTTP status, or the error name when no answer came. */
  outcome?: number | string;
}

export interface RecordingFetch {
  fetch: typeof fetch;
  sent: SentRequest[];
  inFlight(): number;
  maxInFlight(): number;
  /** Resolves once `count` requests have been sent. */
  waitForSent(count: number): Promise<void>;
}

export function recordingFetch(): RecordingFetch {
  const sent: SentRequest[] = [];
  let inFlight = 0;
  let max = 0;
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  const wrapped: typeof fetch = async (input, init) => {
    const rec: SentRequest = { body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined };
    sent.push(rec);
    inFlight++;
    max = Math.max(max, inFlight);
    for (const w of waiters.filter((w) => sent.length >= w.count)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
    try {
      const res = await fetch(input, init);
      rec.outcome = res.status;
      // Count the request as in flight until its body is read, as the judge does.
      const text = await res.text();
      return new Response(text, { status: res.status, statusText: res.statusText, headers: res.headers });
    } catch (e) {
      rec.outcome = (e as Error).name;
      throw e;
    } finally {
      inFlight--;
    }
  };
  return {
    fetch: wrapped,
    sent,
    inFlight: () => inFlight,
    maxInFlight: () => max,
    waitForSent: (count) => (sent.length >= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ count, resolve }))),
  };
}
