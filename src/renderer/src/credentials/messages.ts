import { formatCount } from '../../../shared/format'
import { useT } from '../i18n'

const id = {
  title: 'Kredensial dan kartu akses',
  intro:
    'Terbitkan kode akses untuk pelapor, staf desk dan layar papan, lalu cetak kartunya (A4, 8 kartu per halaman). Kode hanya tampil sekali: desk menyimpan hash-nya saja. Daftar di bawah hanya ada di tab ini dan hilang saat tab ditutup.',
  adminOnly: 'Hanya admin yang boleh menerbitkan kode akses. Masuk dengan token admin.',
  addressesTitle: 'Alamat di kartu',
  publicUrl: 'Alamat publik desk',
  publicUrlHelp:
    'Alamat yang dibuka HP pelapor lewat data seluler, mis. https://desk-pilkada.jemberkab.go.id (reverse proxy Diskominfo atau port yang diteruskan). Tersimpan di desk.',
  publicUrlSave: 'Simpan alamat publik',
  publicUrlClear: 'Hapus',
  publicUrlFromFlag: 'Dari --public-url saat desk dijalankan.',
  publicUrlFromAdmin: (flag: string | null) =>
    `Diatur admin di layar ini${flag ? ` (menggantikan --public-url ${flag}; Hapus untuk kembali ke sana)` : ''}.`,
  publicUrlNone: 'Belum ada alamat publik: kartu pelapor hanya berlaku di jaringan kantor.',
  deskAddress: 'Alamat desk untuk HP',
  deskAddressHelp: 'Dicetak di kartu pelapor dan di kode QR-nya.',
  staffAddress: 'Alamat LAN untuk staf',
  staffAddressHelp: 'Dicetak di kartu operator, supervisor (konsol di laptop) dan layar papan.',
  choose: '— pilih alamat —',
  fromList: 'Pilih dari daftar',
  kindPublic: 'publik',
  kindLan: (iface: string) => `LAN ${iface}`,
  kindHere: 'alamat yang sedang dibuka',
  loopbackWarning:
    'Alamat 127.0.0.1/localhost hanya bisa dibuka di komputer ini, bukan dari HP. Pilih alamat LAN.',
  loopbackOnly:
    'Desk hanya mendengar di 127.0.0.1 (komputer ini): HP dan laptop lain tidak bisa membukanya. Jalankan ulang desk dengan --host 0.0.0.0, atau isi alamat publik bila desk dibuka lewat reverse proxy di komputer ini.',
  loopbackOnlyWithPublic:
    'Desk hanya mendengar di 127.0.0.1: HP membukanya lewat alamat publik, tetapi laptop staf dan layar papan di LAN tidak bisa. Jalankan ulang dengan --host 0.0.0.0 bila staf memakai komputer lain.',
  lanWhilePublic: (pub: string) =>
    `Alamat ini hanya terbuka di jaringan kantor, padahal pelapor di lapangan memakai data seluler. Pilih alamat publik ${pub}.`,
  chooseReporterUrl: 'Pilih alamat yang bisa dibuka HP pelapor sebelum mencetak.',
  chooseStaffUrl: 'Pilih alamat LAN untuk kartu staf dan papan sebelum mencetak.',
  staffLoopback:
    'Alamat 127.0.0.1 hanya terbuka di komputer ini: laptop staf dan layar papan perlu alamat LAN.',
  staffPublic: 'Staf dan papan masuk dari jaringan kantor: pilih alamat LAN.',
  custom: 'Alamat lain…',
  bulkTitle: 'Kode baru untuk banyak orang',
  bulkHelp:
    'Untuk mencetak ulang kartu yang kodenya tidak ada lagi di tab ini: pilih orangnya, terbitkan kode baru, lalu cetak sekali jalan. Kode yang sudah dicabut tidak ikut.',
  bulkKecamatan: 'Kecamatan',
  bulkAllKecamatan: 'Semua kecamatan (dan staf)',
  bulkRole: 'Peran',
  bulkAllRoles: 'Semua peran',
  bulkReporters: 'Pelapor (desa/kelurahan dan kecamatan)',
  bulkCount: (n: number) => `Terpilih: ${formatCount(n)} orang`,
  bulkStart: (n: number) => `Terbitkan kode baru untuk ${formatCount(n)} orang…`,
  bulkConfirmTitle: (n: number) => `Yakin menerbitkan ${formatCount(n)} kode baru?`,
  bulkConfirmText: (n: number, what: string) =>
    `${formatCount(n)} kode lama (${what}) langsung tidak berlaku: kartu lama tidak bisa dipakai lagi dan HP yang sudah masuk harus masuk ulang dengan kartu baru. Kode baru hanya tampil di tab ini: cetak sebelum menutupnya.`,
  bulkConfirm: (n: number) => `Ya, terbitkan ${formatCount(n)} kode baru`,
  bulkCancel: 'Batal',
  bulkBusy: 'Menerbitkan… (±1 menit per 1.000 orang)',
  bulkDone: (n: number) =>
    `${formatCount(n)} kode baru diterbitkan. Kartunya ada di lembar cetak di bawah.`,
  everyone: 'semua orang',
  printAll: (n: number) => `Semua kode di tab ini (${formatCount(n)})`,
  printLatest: (n: number) => `Terbitan terakhir saja (${formatCount(n)})`,
  printWhich: 'Yang dicetak',
  importTitle: 'Impor daftar pelapor',
  importHelp:
    'CSV atau XLSX dengan kolom nama, hp, peran, kode_wilayah (peran kosong = pelapor). Semua baris harus benar; bila ada yang salah tidak ada yang diimpor.',
  importButton: 'Impor dan terbitkan kode',
  importing: 'Mengimpor… (±1 menit per 1.000 orang)',
  imported: (n: number) => `${formatCount(n)} orang diimpor. Kodenya ada di daftar bawah.`,
  rowErrors: 'Tidak ada yang diimpor. Perbaiki baris berikut:',
  row: 'baris',
  addTitle: 'Tambah satu orang',
  name: 'Nama',
  role: 'Peran',
  add: 'Tambah dan terbitkan kode',
  reissueTitle: 'Kode baru untuk orang yang sudah terdaftar',
  reissueHelp:
    'Kode lama langsung tidak berlaku. Dicabut: kode tidak berlaku sampai diterbitkan ulang.',
  search: 'Cari nama atau wilayah',
  reissue: 'Kode baru',
  revoke: 'Cabut',
  revoked: 'dicabut',
  confirmReissue: (n: string) =>
    `Terbitkan kode baru untuk ${n}? Kode lama langsung tidak berlaku.`,
  confirmRevoke: (n: string) =>
    `Cabut kode ${n}? Orang ini tidak bisa masuk sampai diberi kode baru.`,
  more: (n: number) => `… dan ${formatCount(n)} lagi: persempit pencarian`,
  windowTitle: 'Jam lapor',
  windowHelp:
    'Di luar jam ini pelapor tidak bisa masuk atau mengirim (laporan tetap tersimpan di HP mereka). Kosongkan untuk selalu buka. Waktu dalam WIB.',
  opensAt: 'Buka',
  closesAt: 'Tutup',
  dateWord: 'tanggal (hh-bb-tttt)',
  timeWord: 'jam (24 jam)',
  save: 'Simpan',
  clear: 'Selalu buka',
  windowOpen: 'Sekarang: BUKA untuk pelapor',
  windowClosed: 'Sekarang: TUTUP untuk pelapor',
  issuedTitle: (n: number) => `Kode yang diterbitkan di tab ini (${formatCount(n)})`,
  none: 'Belum ada kode yang diterbitkan di tab ini.',
  print: 'Cetak lembar kredensial',
  preparing: 'Menyiapkan kode QR…',
  forget: 'Lupakan daftar ini',
  confirmForget:
    'Hapus daftar kode dari tab ini? Kode tidak bisa ditampilkan lagi (hanya bisa diterbitkan ulang).',
  code: 'Kode akses',
  region: 'Wilayah',
  preview: 'Pratinjau lembar cetak',
  roles: {
    reporterDesa: 'Pelapor desa/kelurahan',
    reporterKecamatan: 'Petugas kecamatan',
    operator: 'Operator desk',
    supervisor: 'Supervisor desk',
    display: 'Layar tampilan',
  },
  desaPrefix: 'Desa/Kel.',
  kecPrefix: 'Kec.',
  kecamatanPrefix: 'Kecamatan',
}
export type CredentialMessages = typeof id

const en: CredentialMessages = {
  title: 'Credentials and access cards',
  intro:
    'Issue access codes for reporters, desk staff and wall boards, then print their cards (A4, 8 cards per page). A code is shown once: the desk keeps only its hash. The list below lives only in this tab and is gone when the tab closes.',
  adminOnly: 'Only the admin may issue access codes. Sign in with the admin token.',
  addressesTitle: 'Addresses on the cards',
  publicUrl: 'Public desk address',
  publicUrlHelp:
    "The address reporters' phones open over mobile data, e.g. https://desk-pilkada.jemberkab.go.id (the regency's reverse proxy or a forwarded port). Kept by the desk.",
  publicUrlSave: 'Save public address',
  publicUrlClear: 'Remove',
  publicUrlFromFlag: 'From --public-url when the desk was started.',
  publicUrlFromAdmin: (flag: string | null) =>
    `Set by the admin on this screen${flag ? ` (instead of --public-url ${flag}; Remove to go back to it)` : ''}.`,
  publicUrlNone: "No public address yet: reporters' cards work on the office network only.",
  deskAddress: 'Desk address for phones',
  deskAddressHelp: "Printed on reporters' cards and in their QR codes.",
  staffAddress: 'LAN address for staff',
  staffAddressHelp:
    'Printed on operator and supervisor cards (console on a laptop) and wall-board cards.',
  choose: '— choose an address —',
  fromList: 'Choose from the list',
  kindPublic: 'public',
  kindLan: (iface: string) => `LAN ${iface}`,
  kindHere: 'the address open now',
  loopbackWarning:
    '127.0.0.1/localhost only opens on this computer, not from a phone. Choose a LAN address.',
  loopbackOnly:
    'The desk listens on 127.0.0.1 only (this computer): phones and other laptops cannot open it. Restart it with --host 0.0.0.0, or enter the public address if a reverse proxy on this computer serves it.',
  loopbackOnlyWithPublic:
    'The desk listens on 127.0.0.1 only: phones open it through the public address, but staff laptops and wall boards on the LAN cannot. Restart with --host 0.0.0.0 if staff use other computers.',
  lanWhilePublic: (pub: string) =>
    `This address opens on the office network only, but reporters in the field use mobile data. Choose the public address ${pub}.`,
  chooseReporterUrl: "Choose an address reporters' phones can open before printing.",
  chooseStaffUrl: 'Choose a LAN address for staff and board cards before printing.',
  staffLoopback:
    '127.0.0.1 opens on this computer only: staff laptops and wall boards need a LAN address.',
  staffPublic: 'Staff and boards sign in from the office network: choose a LAN address.',
  custom: 'Other address…',
  bulkTitle: 'New codes for many people',
  bulkHelp:
    'To reprint cards whose codes are no longer in this tab: choose the people, issue new codes, print in one run. Revoked codes are left out.',
  bulkKecamatan: 'District',
  bulkAllKecamatan: 'All districts (and staff)',
  bulkRole: 'Role',
  bulkAllRoles: 'All roles',
  bulkReporters: 'Reporters (village and district)',
  bulkCount: (n: number) => `Selected: ${n.toLocaleString('en')} people`,
  bulkStart: (n: number) => `Issue new codes for ${n.toLocaleString('en')} people…`,
  bulkConfirmTitle: (n: number) => `Issue ${n.toLocaleString('en')} new codes?`,
  bulkConfirmText: (n: number, what: string) =>
    `${n.toLocaleString('en')} old codes (${what}) stop working at once: old cards cannot be used and signed-in phones must sign in again with the new card. The new codes appear in this tab only: print before closing it.`,
  bulkConfirm: (n: number) => `Yes, issue ${n.toLocaleString('en')} new codes`,
  bulkCancel: 'Cancel',
  bulkBusy: 'Issuing… (about 1 minute per 1,000 people)',
  bulkDone: (n: number) =>
    `${n.toLocaleString('en')} new codes issued. Their cards are in the print sheet below.`,
  everyone: 'everyone',
  printAll: (n: number) => `All codes in this tab (${n})`,
  printLatest: (n: number) => `Latest run only (${n})`,
  printWhich: 'What to print',
  importTitle: 'Import the reporter list',
  importHelp:
    'CSV or XLSX with columns nama, hp, peran, kode_wilayah (empty role = reporter). All rows must be valid; if one is wrong nothing is imported.',
  importButton: 'Import and issue codes',
  importing: 'Importing… (about 1 minute per 1,000 people)',
  imported: (n: number) => `${formatCount(n)} people imported. Their codes are in the list below.`,
  rowErrors: 'Nothing imported. Fix these rows:',
  row: 'row',
  addTitle: 'Add one person',
  name: 'Name',
  role: 'Role',
  add: 'Add and issue a code',
  reissueTitle: 'New code for someone already registered',
  reissueHelp:
    'The old code stops working at once. Revoked: no code works until a new one is issued.',
  search: 'Search name or region',
  reissue: 'New code',
  revoke: 'Revoke',
  revoked: 'revoked',
  confirmReissue: (n: string) => `Issue a new code for ${n}? The old code stops working at once.`,
  confirmRevoke: (n: string) => `Revoke ${n}'s code? They cannot sign in until given a new one.`,
  more: (n: number) => `… and ${formatCount(n)} more: narrow the search`,
  windowTitle: 'Reporting hours',
  windowHelp:
    'Outside these hours reporters cannot sign in or send (reports stay on their phones). Leave empty to stay open. Times in WIB.',
  opensAt: 'Opens',
  closesAt: 'Closes',
  dateWord: 'date (dd-mm-yyyy)',
  timeWord: 'time (24 h)',
  save: 'Save',
  clear: 'Always open',
  windowOpen: 'Now: OPEN for reporters',
  windowClosed: 'Now: CLOSED for reporters',
  issuedTitle: (n: number) => `Codes issued in this tab (${formatCount(n)})`,
  none: 'No codes issued in this tab yet.',
  print: 'Print credential sheet',
  preparing: 'Drawing QR codes…',
  forget: 'Forget this list',
  confirmForget:
    'Remove the list of codes from this tab? The codes cannot be shown again (only reissued).',
  code: 'Access code',
  region: 'Region',
  preview: 'Print preview',
  roles: {
    reporterDesa: 'Village reporter',
    reporterKecamatan: 'District officer',
    operator: 'Desk operator',
    supervisor: 'Desk supervisor',
    display: 'Display screen',
  },
  desaPrefix: 'Village',
  kecPrefix: 'Dist.',
  kecamatanPrefix: 'District',
}

export function useCredentialMessages(): CredentialMessages {
  return useT().lang === 'en' ? en : id
}

/** The printed cards are always in Indonesian: the reporters read them, whatever the admin's screen language. */
export const CARD_MESSAGES = id
