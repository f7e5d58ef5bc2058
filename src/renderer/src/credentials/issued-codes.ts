// Access codes are shown once, when they are made (the desk keeps only their hashes). So the admin
// can print them, this tab remembers the codes it was given — in sessionStorage only, gone when the
// tab closes. Other screens that issue codes (the console's People screen) may add theirs here and
// link to /kredensial to print them.

export interface IssuedCode {
  id: string
  name: string
  role: string
  region: string
  accessCode: string
  /** The SMS code issued with it (issue 15); absent in lists remembered before it existed. */
  smsCode?: string
  issuedAt: string
}

const KEY = 'desk.kredensial.issued'

export function issuedCodes(): IssuedCode[] {
  try {
    const raw = sessionStorage.getItem(KEY)
    return raw ? (JSON.parse(raw) as IssuedCode[]) : []
  } catch {
    return []
  }
}

/** Add codes just issued; a newer code for the same person replaces the older one. */
export function rememberIssuedCodes(codes: Omit<IssuedCode, 'issuedAt'>[]): IssuedCode[] {
  const at = new Date().toISOString()
  const fresh = codes.map((c) => ({ ...c, issuedAt: at }))
  const ids = new Set(fresh.map((c) => c.id))
  const all = [...issuedCodes().filter((c) => !ids.has(c.id)), ...fresh]
  sessionStorage.setItem(KEY, JSON.stringify(all))
  return all
}

export function forgetIssuedCodes(ids?: string[]): IssuedCode[] {
  const keep = ids ? issuedCodes().filter((c) => !ids.includes(c.id)) : []
  if (keep.length === 0) sessionStorage.removeItem(KEY)
  else sessionStorage.setItem(KEY, JSON.stringify(keep))
  return keep
}

/** The reporter form's link that signs this code in (the code travels in the fragment, never to a server log). */
export function laporLink(deskUrl: string, accessCode: string): string {
  return `${deskUrl.replace(/\/+$/, '')}/lapor#code=${accessCode}`
}

/** The wall board's link that signs this display code in (`#token=`, read once and removed by the UI). */
export function boardLink(deskUrl: string, accessCode: string): string {
  return `${deskUrl.replace(/\/+$/, '')}/papan#token=${accessCode}`
}
