// First: before any module below makes a zod schema (see the module).
import './protocol/zod-setup'
import { mount } from 'svelte'
import App from './App.svelte'
import './app/theme.css'

mount(App, { target: document.getElementById('app')! })
