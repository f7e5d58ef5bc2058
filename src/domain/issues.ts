/** A problem found in user input: the field it concerns, a stable code, and a message in Indonesian. */
export interface FieldIssue {
  field: string
  code: string
  message: string
}

const idFormat = new Intl.NumberFormat('id-ID', { maximumFractionDigits: 2 })

/** 1234567 → "1.234.567", the way every number is written for our users. */
export function formatNumber(n: number): string {
  return idFormat.format(n)
}
