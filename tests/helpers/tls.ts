import { execFileSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A fresh self-signed certificate for 127.0.0.1, localhost and desk-pilkada.test, made with Debian's openssl. */
export function makeCert(
  dir = mkdtempSync(join(tmpdir(), 'desk-tls-')),
  name = 'desk',
): { cert: string; key: string; dir: string } {
  const cert = join(dir, `${name}.crt`)
  const key = join(dir, `${name}.key`)
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '2',
      '-subj',
      '/CN=desk-pilkada.test',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:desk-pilkada.test',
    ],
    { stdio: 'ignore' },
  )
  return { cert, key, dir }
}
