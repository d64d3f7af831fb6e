/** Something the user can fix or should know (bad input, cooldown, missing permission): shown to them as is. */
export class UserError extends Error {
  override name = 'UserError';
}

/** Removes anything token-like from text before it reaches a log line. */
export function scrubSecrets(text: string, secrets: readonly string[] = []): string {
  let clean = text;
  for (const secret of secrets) if (secret) clean = clean.split(secret).join('[redacted]');
  return clean
    .replace(/[A-Za-z0-9_-]{18,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{20,}/gu, '[redacted]')
    .replace(/(webhooks|interactions)\/(\d+)\/[^/\s]+/gu, '$1/$2/[redacted]');
}

/** What a log line may say about an error: its kind and message, never its stack or request secrets. */
export function describeError(error: unknown, secrets: readonly string[] = []): { name: string; message: string; code?: string | number; status?: number } {
  if (!(error instanceof Error)) return { name: 'NonError', message: scrubSecrets(String(error), secrets) };
  const extra = error as Error & { code?: unknown; status?: unknown };
  return {
    name: error.name,
    message: scrubSecrets(error.message, secrets),
    ...(typeof extra.code === 'string' || typeof extra.code === 'number' ? { code: extra.code } : {}),
    ...(typeof extra.status === 'number' ? { status: extra.status } : {}),
  };
}
