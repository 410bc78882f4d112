/**
 * The timer's end: a short two-note chime made in the browser (no sound file to fetch), unless
 * this person muted it. The choice is kept on this device.
 */
import { z } from 'zod'
import { readLocal, writeLocal } from '../shared/local-store'

const MUTE_KEY = 'switchback:chime-muted'

export const chimeSetting = {
  muted: () => readLocal(MUTE_KEY, z.boolean(), false),
  setMuted: (muted: boolean) => writeLocal(MUTE_KEY, muted),
}

/** The timer's two notes by default; a raised hand asks for one quieter note. */
export function playChime({ notes = [880, 1175], volume = 0.25 } = {}): void {
  if (chimeSetting.muted()) return
  try {
    const context = new AudioContext()
    notes.forEach((frequency, i) => {
      const oscillator = context.createOscillator()
      const gain = context.createGain()
      const start = context.currentTime + i * 0.18
      oscillator.frequency.value = frequency
      gain.gain.setValueAtTime(0.0001, start)
      gain.gain.exponentialRampToValueAtTime(volume, start + 0.02)
      gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.5)
      oscillator.connect(gain).connect(context.destination)
      oscillator.start(start)
      oscillator.stop(start + 0.55)
    })
    setTimeout(() => void context.close(), 1200)
  } catch {
    // No audio (a headless browser, or a page that has not been clicked yet): the flash stays.
  }
}
