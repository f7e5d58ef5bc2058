import { createContext, useContext } from 'react'

const id = {
  appTitle: 'Desk Pilkada',
  notOfficial: 'DATA CEPAT — BUKAN DATA RESMI',
  signInTitle: 'Masuk ke desk',
  signInHelp: 'Masukkan kode akses (contoh K7PQ-M2XD-9RTA) atau token admin.',
  accessCode: 'Kode akses',
  signIn: 'Masuk',
  signOut: 'Keluar',
  progress: 'Kemajuan laporan',
  reportedOf: 'TPS melapor',
  kecamatan: 'Kecamatan',
  expected: 'TPS',
  reported: 'Melapor',
  percent: '%',
  live: 'Tersambung langsung',
  disconnected: 'Koneksi terputus',
  lastUpdate: 'Pembaruan terakhir',
  conflicts: 'konflik menunggu',
  language: 'English',
  training: 'MODE LATIHAN — data simulasi',
  loading: 'Memuat…',
}
export type Messages = typeof id

const en: Messages = {
  appTitle: 'Election Desk',
  notOfficial: 'FAST DATA — NOT OFFICIAL DATA',
  signInTitle: 'Sign in to the desk',
  signInHelp: 'Enter your access code (e.g. K7PQ-M2XD-9RTA) or the admin token.',
  accessCode: 'Access code',
  signIn: 'Sign in',
  signOut: 'Sign out',
  progress: 'Reporting progress',
  reportedOf: 'polling stations reported',
  kecamatan: 'District',
  expected: 'Stations',
  reported: 'Reported',
  percent: '%',
  live: 'Live',
  disconnected: 'Connection lost',
  lastUpdate: 'Last update',
  conflicts: 'conflicts waiting',
  language: 'Bahasa Indonesia',
  training: 'TRAINING MODE — simulated data',
  loading: 'Loading…',
}

export const MESSAGES = { id, en }
export type Lang = keyof typeof MESSAGES

export const LangContext = createContext<{ lang: Lang; t: Messages; setLang: (l: Lang) => void }>({
  lang: 'id',
  t: id,
  setLang: () => {},
})

export function useT() {
  return useContext(LangContext)
}
