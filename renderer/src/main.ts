// Why: the one entry of the single-page renderer; it routes on location.pathname:
// `/s/:id` is the share-link viewer (loaded with the entry, so a link opens fast), anything
// else the owner's control panel (a separate chunk a viewer never downloads).
import './zod-config.js';
import '@xterm/xterm/css/xterm.css';
import './styles.css';
import { startViewer } from './viewer.js';

const root = document.getElementById('app') ?? document.body;
const m = /^\/s\/([^/]+)\/?$/.exec(location.pathname);
if (m) startViewer(root, decodeURIComponent(m[1]));
else void import('./panel.js').then(({ startPanel }) => startPanel(root));
