// First: before any module below makes a zod schema (see the module).
import './protocol/zod-setup'
// Next: a board link starts fetching what the board needs before the rest of the app runs.
import './app/preload-board'
import { mount } from 'svelte'
import App from './App.svelte'
import './app/theme.css'

mount(App, { target: document.getElementById('app')! })
