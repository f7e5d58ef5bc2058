// Shown by the console and computed by the desk alike (issue 15).

/** A number stored as 62… shown the way people write it: 0812-3456-7890. */
export function displayMsisdn(normalized: string): string {
  const local = normalized.startsWith('62') ? '0' + normalized.slice(2) : normalized
  return local.replace(/^(\d{4})(\d{4})(\d+)$/, '$1-$2-$3')
}
