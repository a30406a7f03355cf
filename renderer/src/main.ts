// Why: the one entry of the single-page renderer; it routes on location.pathname:
// `/s/:id` is the share-link viewer, anything else the owner's control panel. The entry stays
// tiny: for a share link it opens the session's socket first (early.ts) and only then loads
// the viewer chunk (xterm.js), so the handshake overlaps the download and parse, and it fetches
// the visible screen as styled text (preview.ts) to paint before xterm.js has parsed.
import '@xterm/xterm/css/xterm.css';
import './styles.css';
import { preconnect } from './early.js';
import { startPreview } from './preview.js';

const root = document.getElementById('app') ?? document.body;
// A link pasted into a tab already showing Porthole changes only the fragment, which loads
// nothing: start over so the new token is read (the fragment survives the reload).
window.addEventListener('hashchange', () => {
  if (location.hash.length > 1) location.reload();
});
const m = /^\/s\/([^/]+)\/?$/.exec(location.pathname);
if (m) {
  const sessionId = decodeURIComponent(m[1]);
  const early = preconnect(sessionId);
  // The screen as the server has it, drawn as text while xterm.js downloads (preview.ts).
  if (early) startPreview(root, sessionId, early.token);
  void import('./viewer.js').then(({ startViewer }) => startViewer(root, sessionId, early));
} else {
  void import('./panel.js').then(({ startPanel }) => startPanel(root));
}
