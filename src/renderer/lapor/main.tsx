import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { LaporApp } from './app'
import './lapor.css'

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <LaporApp />
  </StrictMode>,
)

// Keep the form on the phone so it opens without signal. Browsers allow this only on https:// or
// localhost; on plain http in the LAN the form still works, it just needs the desk to load.
if ('serviceWorker' in navigator && window.isSecureContext) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/lapor-sw.js', { scope: '/lapor' }).catch(() => {
      // no offline copy; nothing else depends on it
    })
  })
}
