import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import '../../shared/shell'
import { StartScreen } from './start-screen'
import './start.css'

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <StartScreen />
  </StrictMode>,
)
