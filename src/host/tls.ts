import { createPrivateKey, X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'

export interface TlsFiles {
  cert: Buffer
  key: Buffer
  /** When the certificate stops being valid (phones refuse it after). */
  validTo: Date
  /** Names the certificate is for (subjectAltName), for the start-up lines. */
  names: string
  /**
   * SHA-256 of the certificate (AA:BB:…): public, advertised on the LAN so the desktop app of
   * another laptop can accept exactly this certificate at the desk's LAN address.
   */
  fingerprint256: string
}

function read(file: string, what: string): Buffer {
  try {
    return readFileSync(file)
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw new Error(`Berkas ${what} ${file} tidak ditemukan.`)
    if (code === 'EACCES' || code === 'EPERM')
      throw new Error(`Berkas ${what} ${file} tidak bisa dibaca: desk tidak punya izin membacanya.`)
    if (code === 'EISDIR')
      throw new Error(`Berkas ${what} ${file} adalah folder, bukan berkas PEM.`)
    throw new Error(`Berkas ${what} ${file} tidak bisa dibaca (${code ?? String(e)}).`)
  }
}

/**
 * Read and check the desk's certificate and key (PEM) before anything listens: a wrong file must
 * stop the desk with one sentence naming it, not a TLS stack trace or phones that cannot connect.
 */
export function loadTls(certFile: string | undefined, keyFile: string | undefined): TlsFiles {
  if (!certFile || !keyFile) {
    throw new Error(
      certFile
        ? 'Sertifikat TLS perlu kuncinya juga: tambahkan --tls-key BERKAS.'
        : 'Kunci TLS perlu sertifikatnya juga: tambahkan --tls-cert BERKAS.',
    )
  }
  const cert = read(certFile, 'sertifikat TLS')
  const key = read(keyFile, 'kunci TLS')
  let x509: X509Certificate
  try {
    x509 = new X509Certificate(cert)
  } catch {
    throw new Error(
      `Berkas sertifikat TLS ${certFile} bukan sertifikat PEM yang sah (harus diawali "-----BEGIN CERTIFICATE-----").`,
    )
  }
  let privateKey
  try {
    privateKey = createPrivateKey(key)
  } catch {
    throw new Error(
      `Berkas kunci TLS ${keyFile} bukan kunci privat PEM yang sah tanpa kata sandi (harus diawali "-----BEGIN … PRIVATE KEY-----").`,
    )
  }
  if (!x509.checkPrivateKey(privateKey))
    throw new Error(`Kunci TLS ${keyFile} tidak cocok dengan sertifikat ${certFile}.`)
  return {
    cert,
    key,
    validTo: new Date(x509.validTo),
    names: x509.subjectAltName ?? x509.subject,
    fingerprint256: x509.fingerprint256,
  }
}
