// Secrets never appear in an error message: the values of the daemon's secret-looking variables
// (API keys, tokens, passwords, and the judge's key variable whatever its name) are replaced in
// every message that leaves through toProtocolError, withHint or the log. A library's error can
// quote a secret (undici puts an invalid Authorization header value in its message).

const SECRET_NAME = /(KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIALS?|AUTH)$/i;
const MIN_LENGTH = 6; // shorter values would redact ordinary words
const named = new Set<string>();

/** Treat this variable as a secret too (e.g. judge.openai.api_key_env). */
export function treatAsSecret(name: string): void {
  named.add(name);
}

/** The forms a secret can take in a message: as is, per line, trimmed, JSON-escaped. */
function secretForms(env: NodeJS.ProcessEnv): string[] {
  const forms = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (!value || !(named.has(name) || SECRET_NAME.test(name))) continue;
    for (const form of [value, value.trim(), value.replace(/\s+/g, ' '), JSON.stringify(value).slice(1, -1), ...value.split(/\r?\n/)]) {
      if (form.trim().length >= MIN_LENGTH) forms.add(form);
    }
  }
  // Longest first, so a whole value goes before the lines it is made of.
  return [...forms].sort((a, b) => b.length - a.length);
}

export function redactSecrets(text: string, env: NodeJS.ProcessEnv = process.env): string {
  let out = text;
  for (const form of secretForms(env)) if (out.includes(form)) out = out.split(form).join('[redacted]');
  return out;
}
