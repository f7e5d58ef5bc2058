/** What the desk is doing when the last window is about to close. */
export interface DeskActivity {
  /** Results committed in the last five minutes. */
  recentResults: number
  /** Writes waiting for their commit. */
  waiting: number
}

/**
 * Closing the last window stops the desk. While phones are still sending, ask first: the
 * question to show, or null when nothing is arriving and the desk may stop at once.
 */
export function closeQuestion(activity: DeskActivity): { message: string; detail: string } | null {
  if (activity.recentResults === 0 && activity.waiting === 0) return null
  const parts: string[] = []
  if (activity.recentResults > 0)
    parts.push(
      `${activity.recentResults.toLocaleString('id-ID')} hasil masuk dalam 5 menit terakhir`,
    )
  if (activity.waiting > 0)
    parts.push(`${activity.waiting.toLocaleString('id-ID')} laporan sedang disimpan`)
  return {
    message: 'Desk masih menerima laporan. Hentikan desk?',
    detail: `${parts.join('; ')}. Jika desk dihentikan, HP pelapor menyimpan laporannya dan mengirim ulang saat desk hidup lagi, tetapi papan dan operator tidak melihat apa pun sampai itu.`,
  }
}
