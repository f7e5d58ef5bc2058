import type { PrincipalRole } from '../shared/schemas'

export interface Principal {
  /** user id, or 'admin' for the desk's administrator token */
  id: string
  name: string
  role: PrincipalRole
  /** The region this principal may report for: the regency for everyone but reporters. */
  region: string
}

const RANK: Record<PrincipalRole, number> = {
  display: 0,
  reporter: 1,
  operator: 2,
  supervisor: 3,
  admin: 4,
}

/** Operators enter and chase; supervisors also decide; admins also manage people and configuration. */
export function atLeast(p: Principal, role: 'operator' | 'supervisor' | 'admin'): boolean {
  if (p.role === 'display' || p.role === 'reporter') return false
  return RANK[p.role] >= RANK[role]
}
