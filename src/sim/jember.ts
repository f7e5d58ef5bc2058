// Facts for simulating Kabupaten Jember (35.09): the number of TPS per kecamatan at the 2024
// Pilkada (4,046 in all, over 248 desa/kelurahan), as a small table rather than a data file.
// Source: the published table, kept for the tests in tests/fixtures/jember/jember-tps-per-kecamatan.csv.

export const JEMBER_CODE = '35.09'

export const JEMBER_TPS_PER_KECAMATAN: Readonly<Record<string, number>> = {
  '35.09.01': 92, // Jombang
  '35.09.02': 110, // Kencong
  '35.09.03': 190, // Sumberbaru
  '35.09.04': 141, // Gumukmas
  '35.09.05': 117, // Umbulsari
  '35.09.06': 150, // Tanggul
  '35.09.07': 85, // Semboro
  '35.09.08': 192, // Puger
  '35.09.09': 190, // Bangsalsari
  '35.09.10': 123, // Balung
  '35.09.11': 195, // Wuluhan
  '35.09.12': 179, // Ambulu
  '35.09.13': 135, // Rambipuji
  '35.09.14': 105, // Panti
  '35.09.15': 64, // Sukorambi
  '35.09.16': 140, // Jenggawah
  '35.09.17': 130, // Ajung
  '35.09.18': 131, // Tempurejo
  '35.09.19': 190, // Kaliwates
  '35.09.20': 154, // Patrang
  '35.09.21': 197, // Sumbersari
  '35.09.22': 69, // Arjasa
  '35.09.23': 115, // Mumbulsari
  '35.09.24': 70, // Pakusari
  '35.09.25': 60, // Jelbuk
  '35.09.26': 83, // Mayang
  '35.09.27': 122, // Kalisat
  '35.09.28': 117, // Ledokombo
  '35.09.29': 100, // Sukowono
  '35.09.30': 196, // Silo
  '35.09.31': 104, // Sumberjambe
}

/**
 * The prison (Lapas Kelas IIA Jember) lies in Kecamatan Kaliwates: its two TPS, numbered 901 and
 * 902, are placed in kelurahan Kaliwates and counted within the kecamatan's 190.
 */
export const JEMBER_PRISON_DESA = '35.09.19.1004'

/**
 * Mean vote shares (percent, by pair number) the simulator draws around for the Jember 2024
 * contests. Plausible figures for a rehearsal, not results.
 */
export const JEMBER_DEFAULT_SHARES: Readonly<Record<string, number[]>> = {
  gubernur: [9, 58, 33],
  bupati: [38, 62],
}
